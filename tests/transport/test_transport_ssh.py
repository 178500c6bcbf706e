"""The SSH transport through a real OpenSSH sshd whose logins run a small echo program.

These tests pin the transport's own promises (routing, stdin, exit statuses, host keys, auth,
retries, timeouts, quoting); the lab behind sshd is exercised in test_transport_lab_ssh.py.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from structlog.testing import capture_logs

from tests.transport.helpers import foreign_known_hosts, new_key
from xclone.base.command import Command
from xclone.base.errors import TransportError
from xclone.base.remote import Login, OutcomeUnknown
from xclone.base.secret import SecretRef
from xclone.sim.sshd import DEFAULT_SSHD, LoopbackSshd
from xclone.transport.ssh import SshTransport

pytestmark = pytest.mark.skipif(
    not DEFAULT_SSHD.exists() or shutil.which("ssh-keygen") is None,
    reason="needs OpenSSH sshd and ssh-keygen (.ci/run installs openssh-server)",
)

# What every login runs: reports which face it is, the words of the command line as a POSIX
# shell would split them, and its stdin; `exit N` ends with status N, `hang` never answers,
# `drop` kills its sshd session process (the connection is cut mid-command).
ECHO = """
import json, os, shlex, signal, sys, time
words = shlex.split(os.environ.get("SSH_ORIGINAL_COMMAND", ""))
if words[:1] == ["hang"]:
    time.sleep(60)
if words[:1] == ["drop"]:
    os.kill(os.getppid(), signal.SIGKILL)
    time.sleep(60)
print(json.dumps({"face": sys.argv[1], "argv": words, "stdin": sys.stdin.read()}))
print("to stderr", file=sys.stderr)
sys.exit(int(words[1]) if words[:1] == ["exit"] else 0)
"""

FACES = ("hmc01.cluster.com", "xcataixmn")


@pytest.fixture(scope="module")
def sshd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LoopbackSshd]:
    run_dir = tmp_path_factory.mktemp("sshd")
    script = tmp_path_factory.mktemp("echo") / "echo.py"
    script.write_text(ECHO, encoding="utf-8")
    with LoopbackSshd(FACES, lambda face: [sys.executable, str(script), face],
                      run_dir=run_dir) as server:
        yield server


@pytest.fixture
def transport(sshd: LoopbackSshd) -> Iterator[SshTransport]:
    with SshTransport({}, ssh_config=sshd.ssh_config) as t:
        yield t


def _echo(stdout: str) -> dict[str, object]:
    data: dict[str, object] = json.loads(stdout)
    return data


def test_each_host_name_reaches_its_own_face(transport: SshTransport) -> None:
    for face in FACES:
        result = transport.run(face, Command.of("lssyscfg", "-r", "sys", "-F", "name,state"))
        assert result.exit_status == 0
        assert result.host == face
        assert _echo(result.stdout) == {
            "face": face, "argv": ["lssyscfg", "-r", "sys", "-F", "name,state"], "stdin": ""
        }


def test_stdin_is_delivered_and_closed(transport: SshTransport) -> None:
    stanza = "node01:\n    objtype=node\n    groups=lpar,all\n"
    result = transport.run("xcataixmn", Command.of("mkdef", "-z", stdin=stanza))
    assert _echo(result.stdout)["stdin"] == stanza


def test_non_zero_exit_is_a_result_with_stderr_kept_apart(transport: SshTransport) -> None:
    result = transport.run("xcataixmn", Command.of("exit", "3"))
    assert result.exit_status == 3
    assert result.stderr == "to stderr\n"
    assert "to stderr" not in result.stdout


def test_hostile_word_arrives_as_one_word_and_runs_nothing(
    transport: SshTransport, tmp_path: Path
) -> None:
    marker = tmp_path / "pwned"
    hostile = f"node01;touch {marker}"
    result = transport.run("xcataixmn", Command.of("lsdef", hostile))
    assert _echo(result.stdout)["argv"] == ["lsdef", hostile]
    assert not marker.exists()


def test_the_openssh_client_uses_the_same_generated_files(sshd: LoopbackSshd) -> None:
    done = subprocess.run(
        ["ssh", "-F", str(sshd.ssh_config), "hmc01.cluster.com", "lssyscfg", "-r", "sys"],
        capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert _echo(done.stdout)["face"] == "hmc01.cluster.com"


def test_concurrent_commands_share_one_host_correctly(transport: SshTransport) -> None:
    results: dict[int, object] = {}

    def one(n: int) -> None:
        result = transport.run("xcataixmn", Command.of("lsdef", f"node{n:02d}"))
        results[n] = _echo(result.stdout)["argv"]

    threads = [threading.Thread(target=one, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {n: ["lsdef", f"node{n:02d}"] for n in range(12)}


def test_a_changed_host_key_is_refused(sshd: LoopbackSshd, tmp_path: Path) -> None:
    wrong = foreign_known_hosts(tmp_path, sshd.port)
    transport = SshTransport({}, ssh_config=sshd.ssh_config, known_hosts=wrong)
    with transport, pytest.raises(TransportError, match="does not match known_hosts") as caught:
        transport.run("xcataixmn", Command.of("lsdef"))
    assert caught.value.host == "xcataixmn"
    assert not caught.value.transient


def test_an_unknown_host_key_is_refused(sshd: LoopbackSshd, tmp_path: Path) -> None:
    empty = tmp_path / "known_hosts"
    empty.write_text("", encoding="utf-8")
    transport = SshTransport({}, ssh_config=sshd.ssh_config, known_hosts=empty)
    with transport, pytest.raises(TransportError, match="not in known_hosts") as caught:
        transport.run("xcataixmn", Command.of("lsdef"))
    assert not caught.value.transient


def test_verification_opt_out_accepts_any_key_and_says_so(
    sshd: LoopbackSshd, tmp_path: Path
) -> None:
    empty = tmp_path / "known_hosts"
    empty.write_text("", encoding="utf-8")
    with capture_logs() as events:
        t = SshTransport({}, ssh_config=sshd.ssh_config, known_hosts=empty,
                         verify_host_keys=False)
    with t:
        assert t.run("xcataixmn", Command.of("lsdef")).exit_status == 0
    assert any(e["event"] == "ssh.host_keys_unverified" and e["log_level"] == "warning"
               for e in events)


def test_a_refused_key_names_host_and_user(sshd: LoopbackSshd, tmp_path: Path) -> None:
    stranger = new_key(tmp_path / "stranger")
    config = tmp_path / "ssh_config"
    config.write_text(
        f"Host lab\n    HostName 127.0.0.1\n    Port {sshd.port}\n"
        f"    UserKnownHostsFile {sshd.known_hosts}\n",
        encoding="utf-8",
    )
    login = Login(host="lab", user="root")
    transport = SshTransport({"lab": login}, ssh_config=config, key_filename=str(stranger))
    refused = "authentication failed for user 'root'"
    with transport, pytest.raises(TransportError, match=refused) as e:
        transport.run("lab", Command.of("lsdef"))
    assert e.value.host == "lab"
    assert not e.value.transient


def test_unreachable_host_is_retried_with_backoff_then_transient(tmp_path: Path) -> None:
    config = tmp_path / "ssh_config"
    config.write_text("Host gone\n    HostName 127.0.0.1\n    Port 1\n", encoding="utf-8")
    pauses: list[float] = []
    transport = SshTransport({}, ssh_config=config, connect_attempts=3, retry_backoff=0.25,
                             sleep=pauses.append)
    with transport, pytest.raises(TransportError, match="after 3 attempt") as caught:
        transport.run("gone", Command.of("lsdef"))
    assert caught.value.transient
    assert pauses == [0.25, 0.5]


def test_a_command_past_its_timeout_has_an_unknown_outcome(transport: SshTransport) -> None:
    """It was sent and may still run: OutcomeUnknown, never retried (issue 11 §3)."""
    with pytest.raises(OutcomeUnknown, match="timed out after 0.5 s on xcataixmn while running "
                       "hang: it may or may not have run") as caught:
        transport.run("xcataixmn", Command.of("hang"), timeout=0.5)
    assert not caught.value.transient
    assert transport.run("xcataixmn", Command.of("lsdef")).exit_status == 0


def test_a_cut_session_is_connection_lost_without_traceback_text(
        transport: SshTransport) -> None:
    """`drop` makes the login kill its sshd session process: the channel closes with no exit
    status, which is "connection lost ... may or may not have run", never an OSError text."""
    with pytest.raises(OutcomeUnknown) as caught:
        transport.run("xcataixmn", Command.of("drop"))
    assert caught.value.message == ("xcataixmn: connection lost to xcataixmn while running drop: "
                                    "it may or may not have run")
    assert transport.run("xcataixmn", Command.of("lsdef")).exit_status == 0


def test_a_garbage_known_hosts_file_is_one_clear_error(sshd: LoopbackSshd,
                                                        tmp_path: Path) -> None:
    garbage = tmp_path / "known_hosts"
    garbage.write_text("[127.0.0.1]:22 ssh-rsa AAAA!!not-base64\n", encoding="utf-8")
    transport = SshTransport({}, ssh_config=sshd.ssh_config, known_hosts=garbage)
    with transport, pytest.raises(TransportError) as caught:
        transport.run("xcataixmn", Command.of("lsdef"))
    assert f"known_hosts file {garbage} is not valid" in caught.value.message
    assert "Traceback" not in caught.value.message and "Error(" not in caught.value.message


def test_login_secret_is_never_logged(
    sshd: LoopbackSshd, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HMC01_PASSWORD", "s3cret-abc")
    login = Login(host="hmc01.cluster.com", user="hscroot",
                  password=SecretRef(env="HMC01_PASSWORD"))
    with capture_logs() as events, SshTransport(
        {"hmc01": login}, ssh_config=sshd.ssh_config
    ) as t:
        result = t.run("hmc01", Command.of("lssyscfg", "-r", "sys"))
    assert _echo(result.stdout)["face"] == "hmc01.cluster.com"
    assert events
    assert "s3cret-abc" not in repr(events)


def test_a_host_name_that_does_not_resolve_fails_at_once_naming_it(tmp_path: Path) -> None:
    """getaddrinfo's failure (socket.gaierror) cannot heal in a second: no retry, no pause, and
    the error says what to check; the command was never sent."""
    config = tmp_path / "ssh_config"
    config.write_text("Host typo\n    HostName nosuch-host.invalid\n", encoding="utf-8")
    pauses: list[float] = []
    transport = SshTransport({}, ssh_config=config, connect_attempts=3, retry_backoff=0.25,
                             sleep=pauses.append)
    with transport, pytest.raises(TransportError, match="cannot resolve nosuch-host.invalid") \
            as caught:
        transport.run("typo", Command.of("lsdef"))
    assert "check the host name in the spec" in str(caught.value)
    assert pauses == []
