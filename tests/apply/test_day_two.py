"""Issue 18's rough edges around apply and destroy, met through the real CLI on the seed lab:
destroy speaks of destroy, a piped `yes` confirms, the lock refusal names the spec, and
`--lock-wait` waits for a held lock (Terraform's `-lock-timeout`)."""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.apply.helpers import Scenario
from tests.conftest import needs_sshd
from xclone.apply import lock as locks
from xclone.base.command import Command
from xclone.cli.main import _register, cli
from xclone.transport.sim import SimTransport

MN, CLUSTER = "xcataixmn", "clustersite"


@pytest.fixture
def seed(tmp_path: Path) -> Scenario:
    return Scenario(tmp_path)


def _xclone(seed: Scenario, *args: str, stdin: str | None = None, cwd: Path | None = None) \
        -> Result:
    """The CLI with something on stdin (CliRunner's stdin is never a terminal, like a pipe)."""
    _register()
    old = os.getcwd()
    os.chdir(cwd or seed.dir)
    try:
        return CliRunner().invoke(cli, list(args), env=seed.env, input=stdin,
                                  catch_exceptions=False)
    finally:
        os.chdir(old)


def _hold_lock_elsewhere(seed: Scenario) -> locks.Lock:
    """A lock held by another machine's apply that has not planned yet: never taken over."""
    transport = SimTransport(seed.lab)
    held = locks.acquire(transport, MN, CLUSTER)
    holder = {"id": held.id, "who": "alice", "where": "elsewhere", "pid": "1", "when": "now",
              "plan": ""}
    transport.run(MN, Command.of("tee", held.record, stdin=json.dumps(holder)))
    return held


def test_destroy_asks_and_reports_as_destroy_and_keeps_the_partitions(seed: Scenario) -> None:
    assert seed.converge().exit_code == 0
    lab = ("--lab", str(seed.lab_file))
    refused = _xclone(seed, "destroy", str(seed.spec_file), *lab)
    assert refused.exit_code == 1
    assert "Error: destroy needs confirmation" in refused.output
    assert "on cluster clustersite (7 resources)." in refused.output
    assert "--auto-approve" in refused.output and "apply needs" not in refused.output
    assert "lpar.node02 will be destroyed in xCAT and NIM only, the partition stays" \
        in refused.output
    done = _xclone(seed, "destroy", str(seed.spec_file), *lab, stdin="yes\n")
    assert done.exit_code == 0, done.output
    assert "Destroy complete" in done.output and "Apply complete" not in done.output
    assert seed.mn("lsdef -t node -o node02")[0] != 0


def test_a_piped_yes_confirms_apply_and_anything_else_cancels(seed: Scenario) -> None:
    lab = ("--lab", str(seed.lab_file))
    cancelled = _xclone(seed, "apply", str(seed.spec_file), *lab, stdin="no\n")
    assert cancelled.exit_code == 1 and "Error: apply cancelled" in cancelled.output
    assert seed.mn("lsdef -t node -o node01")[0] != 0
    applied = _xclone(seed, "apply", str(seed.spec_file), *lab, stdin="yes\n")
    assert applied.exit_code == 0, applied.output
    assert "Apply complete" in applied.output
    # the journal tells a declined run from a failed one: nothing ran (issue 18, runs list)
    listed = _xclone(seed, "runs", "list", str(seed.spec_file)).output.splitlines()
    # newest first, also within the one second both runs may have started in
    assert [line.split()[2:4] for line in listed] == [["apply", "ok"], ["apply", "not"]]
    shown = _xclone(seed, "runs", "show", listed[1].split()[1], str(seed.spec_file)).output
    assert ": not confirmed" in shown.splitlines()[0] and "apply cancelled" in shown


def test_the_lock_refusal_names_the_spec_and_a_holder_still_planning(seed: Scenario) -> None:
    held = _hold_lock_elsewhere(seed)
    result = seed.apply()
    assert result.exit_code == 1
    assert (f"`xclone force-unlock {seed.spec_file} --lab {seed.lab_file} {held.id}`"
            in result.output)
    assert "force-unlock SPEC" not in result.output
    assert "still planning" in result.output and "plan -" not in result.output


def test_lock_wait_waits_for_the_holder_to_release(seed: Scenario) -> None:
    held = _hold_lock_elsewhere(seed)
    release = threading.Timer(0.4, lambda: locks._remove(SimTransport(seed.lab), MN, CLUSTER,
                                                         held.id))
    release.start()
    started = time.monotonic()
    try:
        result = seed.apply("--lock-wait", "30s")
    finally:
        release.cancel()
    assert result.exit_code == 0, result.output
    assert time.monotonic() - started >= 0.4
    assert "Apply complete" in result.output


@pytest.mark.slow  # a real-time wait: about 1 s of a limit running out
def test_lock_wait_gives_up_with_the_same_refusal(seed: Scenario) -> None:
    _hold_lock_elsewhere(seed)
    started = time.monotonic()
    result = seed.apply("--lock-wait", "1s")
    assert result.exit_code == 1
    assert time.monotonic() - started >= 1.0
    assert "locked by another apply" in result.output and "(waited 1 s)" in result.output
    assert seed.mn("lsdef -t node -o node01")[0] != 0


def test_lock_wait_takes_durations_and_refuses_nonsense(seed: Scenario) -> None:
    bad = seed.apply("--lock-wait", "soon")
    assert bad.exit_code == 1 and "'soon' is not a duration" in bad.output
    imported = seed.xclone("import", str(seed.spec_file), "--all", "--lab", str(seed.lab_file),
                           "--auto-approve", "--lock-wait", "2m")
    assert imported.exit_code == 0, imported.output


def test_a_refused_hmc_password_names_the_hmc_and_its_secret(seed: Scenario) -> None:
    seed.env["HMC01_PASSWORD"] = "not-the-password"
    result = seed.plan()
    assert result.exit_code == 1
    assert ("Permission denied (publickey,password). (hmc.hmc01: user 'hscroot', password "
            "from env:HMC01_PASSWORD: check that secret and the HMC user)") in result.output
    assert "not-the-password" not in result.output


@pytest.mark.slow
@needs_sshd
def test_an_unknown_host_key_says_how_to_add_it(seed: Scenario, tmp_path: Path) -> None:
    empty = tmp_path / "empty_known_hosts"
    empty.write_text("", encoding="utf-8")
    with seed.served() as served:
        result = seed.xclone("plan", str(seed.spec_file), "--ssh-config",
                             str(served.server.ssh_config), "--known-hosts", str(empty))
    assert result.exit_code == 1
    assert "not in known_hosts" in result.output and "ssh-keyscan" in result.output
    assert "--no-verify-host-keys only for a throw-away lab" in result.output


@pytest.mark.slow
def test_a_second_ctrl_c_still_prints_a_summary_and_the_run_reads_interrupted(
        tmp_path: Path) -> None:
    seed = Scenario(tmp_path, clock={"scale": 100})  # the mksysb takes 15 s: both Ctrl-C land in it
    proc = seed.apply_process()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if "xcat2nim" in "".join(p.read_text(encoding="utf-8") for p in seed.journals()):
            break
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    time.sleep(1.0)
    proc.send_signal(signal.SIGINT)
    output, _ = proc.communicate(timeout=120)
    assert proc.returncode == 130, output
    assert "Abandoned:" in output and "commands had ended" in output, output[-1500:]
    assert "Journal: " in output and "Traceback" not in output
    listed = seed.xclone("runs")
    assert " interrupted " in listed.output, listed.output


def _read_pty_until(fd: int, marker: bytes | None) -> bytes:
    """What the terminal showed until `marker`, or until the child closed it (when None, or
    when it ended first). No deadline of its own: a loaded machine may take minutes to start
    and plan, and a child that ignores Ctrl-C is pytest-timeout's (pyproject.toml, 600 s per
    test) to fail, with the stack, instead of a guess at how long is too long."""
    seen = b""
    while marker is None or marker not in seen:
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    return seen


@pytest.mark.slow
def test_ctrl_c_at_the_confirmation_prompt_exits_130(seed: Scenario) -> None:
    """On a terminal the prompt waits for `yes`; Ctrl-C there is an interrupt (CONTRACT §9:
    130), not click's `Aborted!` with exit 1. A pseudo-terminal stands in for the user's."""
    import pty

    pid, fd = pty.fork()
    if pid == 0:  # the child: xclone on the terminal (tests/conftest.py restores its Ctrl-C)
        os.chdir(seed.dir)
        os.execvpe(sys.executable, [sys.executable, "-m", "xclone", "apply",
                                    str(seed.spec_file), "--lab", str(seed.lab_file)],
                   {**os.environ, **seed.env})
    try:
        prompt = b"Only 'yes' will be accepted"
        seen = _read_pty_until(fd, prompt)
        if prompt in seen:  # else it ended first: the assertions below show its output
            os.write(fd, b"\x03")
            seen += _read_pty_until(fd, None)
        status = os.waitpid(pid, 0)[1]
    except BaseException:  # pytest-timeout's failure among them: never leave xclone running
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise
    finally:
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 130, seen.decode(errors="replace")[-500:]
    assert b"Aborted" not in seen and b"Traceback" not in seen
    assert seed.mn("lsdef -t node -o node01")[0] != 0
