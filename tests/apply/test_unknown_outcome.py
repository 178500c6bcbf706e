"""A command whose answer is lost is never sent again (issue 11 §3): apply re-observes what the
command changes and decides from that; the journal says so. Also: `Error:` on stdout with exit 0
fails its branch (§5), and `site.timeouts.command` and the lab's clock bound every wait (§6).

Facts used (xcat-core 2.9.2_aix_release): `xCAT::MsgUtils->message("E", ...)` sends `error`
texts, which the client prints as `Error: text` on stderr with a non-zero status, while
`message("I", ...)` sends `data`/`info` texts to stdout and leaves the status alone; the AIX
plugins report some failures that way (xCAT-server/lib/xcat/plugins/aixinstall.pm, e.g. "Error
message is: ..." and "Could not run ..." pushed to `$rsp->{data}` with severity "I"), so an
`Error:` text can arrive on stdout with exit 0. A dropped SSH session gives the client no exit
status (paramiko reports -1).

Each test but the per-node one runs once per driver (tests/drivers.py). NIM facts (docs/formats.md
"NIM"): NIM names one object per command and reports failures as `0042-` message lines on
stderr (AIX "NIM error and warning messages"), so a NIM command has no per-node answer to judge.
"""

from __future__ import annotations

import json
import re
import shlex
import time
from pathlib import Path
from typing import Any

import pytest

from tests.apply.helpers import Scenario
from tests.drivers import DriverCase, both
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


def _lines(seed: Scenario, program: str, pattern: str) -> dict[str, int]:
    """The command lines of `program` whose arguments match `pattern`, with their counts."""
    return {line: n for line, n in seed.lab.command_counts().items()
            if line.split()[1:2] == [program] and re.search(pattern, line)}


# The site keys a driver's spec may carry (ppctimeout is an xCAT site attribute).
SITE: dict[str, dict[str, Any]] = {"xcat": {"ppctimeout": 180}, "nim": {}}
# Per driver, one of each kind of command that changes something (program, argument pattern).
DROPS = {
    "xcat": (("getmacs", "-D"), ("mkdef", "-z"), ("mknimimage", "610sysb"),
             ("rnetboot", "node"), ("chdef", "ppctimeout"), ("xcat2nim", "node"),
             ("nimnodeset", "610sysb"), ("mkdef", "-t network")),
    "nim": (("nim", "-t mksysb"), ("nim", "-t spot"), ("nim", "-t bosinst_data"),
            ("nim", "-t script"), ("hostent", "-a"), ("nim", "-t standalone"),
            ("nim", "bos_inst"), ("lpar_netboot", "node")),
}  # rmvterm is left out: it changes nothing a read-back could show (kinds.py: no recheck)


@pytest.mark.parametrize("case", both())
def test_a_dropped_answer_is_reobserved_not_resent(case: DriverCase, tmp_path: Path) -> None:
    """Each dropped command really ran: re-observing finds it done, the apply goes on and
    converges in one run, and each ran exactly once."""
    drops = [{"command": c, "args": a, "drop": True, "times": 1} for c, a in DROPS[case.name]]
    seed = case.scenario(tmp_path, faults=drops)
    result = seed.apply()
    assert result.exit_code == 0, result.output
    if case.name == "xcat":
        for program in ("getmacs", "mknimimage", "rnetboot", "xcat2nim", "nimnodeset", "chdef"):
            assert _counts(seed, program) == 1, (program, seed.lab.command_counts())
    else:
        for program, pattern in DROPS[case.name]:
            lines = _lines(seed, program, pattern)
            assert lines and all(n == 1 for n in lines.values()), (program, lines)
    events = _events(seed)
    unknown = [e for e in events if e["event"] == "command.unknown_outcome"]
    assert len(unknown) == len(drops), unknown
    assert all("may or may not have run" in e["error"] for e in unknown)
    assert all("Traceback" not in e["error"] and "OSError" not in e["error"] for e in unknown)
    checks = [e for e in events if e["event"] == "reobserve"]
    assert len(checks) == len(drops) and all(e["not_done"] == [] for e in checks), checks
    assert seed.plan("--detailed-exitcode").exit_code == 0


# Per driver, the install wait's poll (program, argument pattern): xCAT's node status, NIM's
# machines on the master.
POLLS = {"xcat": ("lsdef", "-i status"), "nim": ("lsnim", "-l node01")}


@pytest.mark.parametrize("case", both())
def test_a_lost_answer_to_an_install_poll_is_polled_again(case: DriverCase,
                                                          tmp_path: Path) -> None:
    """A poll only reads, so a poll whose answer was lost is sent again (apply/waits.py
    `WaitLimits.lost_poll`) instead of failing the wait: the apply converges in one run."""
    program, pattern = POLLS[case.name]
    seed = case.scenario(tmp_path, faults=[{"command": program, "args": pattern, "drop": True,
                                            "times": 1}])
    result = seed.apply()
    assert result.exit_code == 0, result.output
    polls = _lines(seed, program, pattern)
    assert sum(polls.values()) == 2, polls


# The command writing the LPARs' host entries: xCAT's makehosts (one for all), AIX's hostent.
HOSTS = {"xcat": "makehosts", "nim": "hostent"}


@pytest.mark.slow
@pytest.mark.parametrize("case", both())
def test_a_hung_command_times_out_once_fails_its_branch_and_a_rerun_converges(
        case: DriverCase, tmp_path: Path) -> None:
    """`hang` delays the command past site.timeouts.command: apply stops waiting, re-observes
    (not done yet), never re-sends; once the late command has run, a rerun converges."""
    hosts = HOSTS[case.name]
    seed = case.scenario(tmp_path, faults=[{"command": hosts, "hang": 4, "times": 1}])
    seed.write_spec(site={**SITE[case.name], "timeouts": {"command": 1}})
    started = time.monotonic()
    result = seed.apply()
    assert result.exit_code == 1, result.output
    assert time.monotonic() - started < 60
    assert f"timed out after 1 s on {seed.master} while running {hosts}" in result.output
    assert "it was not sent again" in result.output
    if case.name == "xcat":
        assert _counts(seed, "makehosts") == 1
    else:
        lines = _lines(seed, hosts, "")
        assert lines and all(n == 1 for n in lines.values()), lines
    assert _counts(seed, case.netboot) == 0
    time.sleep(4)  # the hung makehosts ends on the management node
    seed.lab.clear_faults()
    assert seed.converge().exit_code == 0
    assert seed.plan("--detailed-exitcode").exit_code == 0


# Per driver: the command held past its limit (program, argument pattern: node01's only), the
# spec's timeouts that bound it, and the later commands of node01 that must not run.
NOT_RUN = {
    "xcat": (("getmacs", ""), {"command": 1, "power": 1}, ("xcat2nim", "nimnodeset", "rnetboot")),
    "nim": (("nim", "-t standalone .* node01$"), {"command": 1}, ("lpar_netboot", "rmvterm")),
}


@pytest.mark.slow  # a real-time wait: about 1 s of a limit running out
@pytest.mark.parametrize("case", both())
def test_a_reobserved_command_that_did_not_run_fails_with_a_clear_message(
        case: DriverCase, tmp_path: Path) -> None:
    (program, pattern), timeouts, later = NOT_RUN[case.name]
    fault: dict[str, Any] = {"command": program, "hang": 3, "times": 1}
    seed = case.scenario(tmp_path, faults=[{**fault, "args": pattern} if pattern else fault])
    seed.write_spec(site={**SITE[case.name], "timeouts": timeouts})
    result = seed.apply()
    assert result.exit_code == 1, result.output
    assert "re-observed: not done; it was not sent again: run apply again after checking" \
        in result.output
    if case.name == "xcat":
        assert _counts(seed, "getmacs") == 1
    else:
        lines = _lines(seed, program, pattern)
        assert lines and all(n == 1 for n in lines.values()), lines
        assert not any("bos_inst" in line and line.endswith(" node01")
                       for line in seed.lab.command_counts())
    assert not _ran_for(seed, "node01", *later)
    checks = [e for e in _events(seed) if e["event"] == "reobserve"]
    assert checks and checks[0]["not_done"] == ["node01"]


# Per driver: a command answering exit 0 with the tool's error text (fault fields), what the
# output must show, and the later programs that must not run.
ERROR_EXIT_0: dict[str, tuple[dict[str, Any], str, tuple[str, ...]]] = {
    "xcat": ({"command": "xcat2nim", "times": 1, "exit": 0, "stderr": "",
              "stdout": "Error: Could not create a NIM definition for 'node01'.\n"
                        "Error: Could not create a NIM definition for 'node02'.\n"},
             "Could not create a NIM definition", ("nimnodeset", "rnetboot")),
    "nim": ({"command": "nim", "args": "-t standalone", "exit": 0, "stdout": "",
             "stderr": '0042-001 nim: processing error encountered on "master":\n'
                       "   0042-161 m_mkstdalone: the machine could not be defined\n"},
            "0042-161", ("lpar_netboot",)),
}


@pytest.mark.parametrize("case", both())
def test_error_on_stdout_with_exit_0_fails_the_branch(case: DriverCase, tmp_path: Path) -> None:
    """xcat2nim printing a plain `Error:` line on stdout and exiting 0: both nodes' branches
    stop, so nimnodeset (which would create unmarked NIM machines) never runs. NIM: a machine
    define answering a 0042- error with exit 0 stops that LPAR: no bos_inst, no boot."""
    fault, shown, later = ERROR_EXIT_0[case.name]
    seed = case.scenario(tmp_path, faults=[fault])
    result = seed.apply()
    assert result.exit_code == 1, result.output
    assert shown in result.output
    assert "Apply complete" not in result.output or "0 failed" not in result.output
    assert all(_counts(seed, program) == 0 for program in later)
    if case.name == "nim":
        assert not any("bos_inst" in line for line in seed.lab.command_counts())


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


@pytest.mark.slow  # a real-time wait: about 1 s of a limit running out
@pytest.mark.parametrize("case", both())
def test_install_limits_follow_the_lab_clock(case: DriverCase, tmp_path: Path) -> None:
    """At 3000 lab seconds per real second an install of about 2,400 lab seconds outlasts a
    600 s install limit in lab time: apply says so within real seconds, not 600 of them."""
    seed = case.scenario(tmp_path, clock={"scale": 3000})
    seed.write_spec(site={**SITE[case.name], "timeouts": {"install": 600}})
    started = time.monotonic()
    result = seed.apply()
    assert result.exit_code == 1, result.output
    assert "install did not finish within 600 s" in result.output
    assert time.monotonic() - started < 120
