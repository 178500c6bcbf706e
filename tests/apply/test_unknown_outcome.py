"""A command whose answer is lost is never sent again (issue 11 §3): apply re-observes what the
command changes and decides from that; the journal says so. Also: `Error:` on stdout with exit 0
fails its branch (§5), and `site.timeouts.command` and the lab's clock bound every wait (§6).

Facts used (xcat-core 2.9.2_aix_release): `xCAT::MsgUtils->message("E", ...)` sends `error`
texts, which the client prints as `Error: text` on stderr with a non-zero status, while
`message("I", ...)` sends `data`/`info` texts to stdout and leaves the status alone; the AIX
plugins report some failures that way (xCAT-server/lib/xcat/plugins/aixinstall.pm, e.g. "Error
message is: ..." and "Could not run ..." pushed to `$rsp->{data}` with severity "I"), so an
`Error:` text can arrive on stdout with exit 0. A dropped SSH session gives the client no exit
status (paramiko reports -1)."""

from __future__ import annotations

import json
import shlex
import time
from pathlib import Path
from typing import Any

import pytest

from tests.apply.helpers import Scenario
from xclone.base.noderange import expand_token


def _counts(seed: Scenario, program: str) -> int:
    return sum(n for line, n in seed.lab.command_counts().items()
               if line.split()[1:2] == [program])


def _ran_for(seed: Scenario, node: str, *programs: str) -> bool:
    """Whether any of `programs` ran with `node` in one of its words (noderanges expanded)."""
    for line in seed.lab.command_counts():
        words = shlex.split(line)[1:]
        if words[0] in programs and any(node in (expand_token(w) or [w]) for w in words[1:]):
            return True
    return False


def _events(seed: Scenario) -> list[dict[str, Any]]:
    return [json.loads(line) for p in seed.journals()
            for line in p.read_text(encoding="utf-8").splitlines()]


def test_a_dropped_answer_is_reobserved_not_resent(tmp_path: Path) -> None:
    """Each dropped command really ran: re-observing finds it done, the apply goes on and
    converges in one run, and each ran exactly once."""
    drops = [{"command": c, "args": a, "drop": True, "times": 1}
             for c, a in (("getmacs", "-D"), ("mkdef", "-z"), ("mknimimage", "610sysb"),
                          ("rnetboot", "node"), ("chdef", "ppctimeout"), ("xcat2nim", "node"),
                          ("nimnodeset", "610sysb"), ("mkdef", "-t network"))]
    seed = Scenario(tmp_path, faults=drops)
    result = seed.apply()
    assert result.exit_code == 0, result.output
    for program in ("getmacs", "mknimimage", "rnetboot", "xcat2nim", "nimnodeset", "chdef"):
        assert _counts(seed, program) == 1, (program, seed.lab.command_counts())
    events = _events(seed)
    unknown = [e for e in events if e["event"] == "command.unknown_outcome"]
    assert len(unknown) == len(drops), unknown
    assert all("may or may not have run" in e["error"] for e in unknown)
    assert all("Traceback" not in e["error"] and "OSError" not in e["error"] for e in unknown)
    checks = [e for e in events if e["event"] == "reobserve"]
    assert len(checks) == len(drops) and all(e["not_done"] == [] for e in checks), checks
    assert seed.plan("--detailed-exitcode").exit_code == 0


@pytest.mark.slow
def test_a_hung_command_times_out_once_fails_its_branch_and_a_rerun_converges(
        tmp_path: Path) -> None:
    """`hang` delays the command past site.timeouts.command: apply stops waiting, re-observes
    (not done yet), never re-sends; once the late command has run, a rerun converges."""
    seed = Scenario(tmp_path, faults=[{"command": "makehosts", "hang": 4, "times": 1}])
    seed.write_spec(site={"ppctimeout": 180, "timeouts": {"command": 1}})
    started = time.monotonic()
    result = seed.apply()
    assert result.exit_code == 1, result.output
    assert time.monotonic() - started < 60
    assert "timed out after 1 s on xcataixmn while running makehosts" in result.output
    assert "it was not sent again" in result.output
    assert _counts(seed, "makehosts") == 1
    assert _counts(seed, "rnetboot") == 0
    time.sleep(4)  # the hung makehosts ends on the management node
    seed.lab.clear_faults()
    assert seed.apply().exit_code == 0
    assert seed.plan("--detailed-exitcode").exit_code == 0


def test_a_reobserved_command_that_did_not_run_fails_with_a_clear_message(
        tmp_path: Path) -> None:
    seed = Scenario(tmp_path, faults=[{"command": "getmacs", "hang": 3, "times": 1}])
    seed.write_spec(site={"ppctimeout": 180, "timeouts": {"command": 1, "power": 1}})
    result = seed.apply()
    assert result.exit_code == 1, result.output
    assert "re-observed: not done; it was not sent again: run apply again after checking" \
        in result.output
    assert _counts(seed, "getmacs") == 1
    assert not _ran_for(seed, "node01", "xcat2nim", "nimnodeset", "rnetboot")
    checks = [e for e in _events(seed) if e["event"] == "reobserve"]
    assert checks and checks[0]["not_done"] == ["node01"]


def test_error_on_stdout_with_exit_0_fails_the_branch(tmp_path: Path) -> None:
    """xcat2nim printing a plain `Error:` line on stdout and exiting 0: both nodes' branches
    stop, so nimnodeset (which would create unmarked NIM machines) never runs."""
    seed = Scenario(tmp_path, faults=[{
        "command": "xcat2nim", "times": 1, "exit": 0, "stderr": "",
        "stdout": "Error: Could not create a NIM definition for 'node01'.\n"
                  "Error: Could not create a NIM definition for 'node02'.\n"}])
    result = seed.apply()
    assert result.exit_code == 1, result.output
    assert "Could not create a NIM definition" in result.output
    assert "Apply complete" not in result.output or "0 failed" not in result.output
    assert _counts(seed, "nimnodeset") == 0 and _counts(seed, "rnetboot") == 0


def test_node_error_on_stdout_with_exit_0_fails_that_node(tmp_path: Path) -> None:
    seed = Scenario(tmp_path, faults=[{
        "command": "getmacs", "times": 1, "exit": 0, "stderr": "",
        "stdout": "node01: Error: Could not get the MAC address of the adapter\n"}])
    result = seed.apply()
    assert result.exit_code == 1, result.output
    assert "node01: Error: Could not get the MAC address" in result.output or \
        "Could not get the MAC address" in result.output
    assert _counts(seed, "getmacs") == 1
    assert not _ran_for(seed, "node01", "xcat2nim", "nimnodeset", "rnetboot")


def test_install_limits_follow_the_lab_clock(tmp_path: Path) -> None:
    """At 3000 lab seconds per real second an install of about 2,400 lab seconds outlasts a
    600 s install limit in lab time: apply says so within real seconds, not 600 of them."""
    seed = Scenario(tmp_path, clock={"scale": 3000})
    seed.write_spec(site={"ppctimeout": 180, "timeouts": {"install": 600}})
    started = time.monotonic()
    result = seed.apply()
    assert result.exit_code == 1, result.output
    assert "install did not finish within 600 s" in result.output
    assert time.monotonic() - started < 120
