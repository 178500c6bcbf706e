"""Over `xclone lab serve` (real OpenSSH): a dropped or hung `mkdef -z`, `mknimimage`,
`getmacs -D` and `rnetboot` each reach the server exactly once, and reruns converge (issue 11
§3, "Done when"). A `drop` fault kills the sshd session process after the command ran, so the
client sees the channel close with no exit status (paramiko: -1); a `hang` fault holds the
command past `site.timeouts.command` before it runs.

Both tests run once per driver (tests/drivers.py): for the NIM driver the mksysb define, bos_inst,
hostent and the HMC's lpar_netboot take the place of xCAT's commands."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from tests.apply.helpers import Scenario, Served
from tests.conftest import needs_sshd
from tests.drivers import DriverCase, both
from xclone.sim import Lab
from xclone.sim.faults import Fault

pytestmark = [pytest.mark.slow, needs_sshd]

TIMEOUT = 10  # site.timeouts.command (and mksysb): far above a lab command over sshd (~1 s)
HANG = TIMEOUT + 5


def _apply(seed: Scenario, served: Served, *extra: str) -> Result:
    return seed.xclone("apply", str(seed.spec_file), *served.ssh, "--auto-approve", *extra)


def _plan_exit(seed: Scenario, served: Served) -> int:
    return seed.xclone("plan", str(seed.spec_file), *served.ssh, "--detailed-exitcode").exit_code


def _count(lab: Lab, prefix: str) -> int:
    return sum(n for line, n in lab.command_counts().items() if line.startswith(prefix))


def _until(lab: Lab, command: str, deadline: float = 60, *, host: str = "xcataixmn",
           shows: str = "") -> None:
    """Wait until a late (hung) command has had its effect on the server."""
    end = time.monotonic() + deadline
    while (done := lab.execute(host, command)).exit_status != 0 or shows not in done.stdout:
        assert time.monotonic() < end, f"still not there: {command}"
        time.sleep(0.5)


def _once(lab: Lab, program: str, pattern: str) -> None:
    """Every command line of `program` matching `pattern` reached the server, and only once."""
    lines = {line: n for line, n in lab.command_counts().items()
             if line.split()[1:2] == [program] and re.search(pattern, line)}
    assert lines and all(n == 1 for n in lines.values()), (program, pattern, lines)


DROPS = {
    "xcat": (("mkdef", "-z"), ("mknimimage", "610sysb"), ("getmacs", "-D"), ("rnetboot", "node")),
    "nim": (("hostent", "node01"), ("nim", "-t mksysb"), ("nim", "bos_inst.* node02"),
            ("lpar_netboot", "node01")),
}


@pytest.mark.parametrize("case", both())
def test_dropped_commands_run_once_and_apply_converges(case: DriverCase, tmp_path: Path) -> None:
    drops = [{"command": c, "args": a, "drop": True, "times": 1} for c, a in DROPS[case.name]]
    seed = case.scenario(tmp_path, faults=drops)
    with seed.served() as served:
        lab = served.lab
        # One command at a time: a cut connection loses the answers of every command in
        # flight on it, and this test wants each drop to hit only the command it names.
        applied = _apply(seed, served, "--parallelism", "1")
        assert applied.exit_code == 0, applied.output
        assert "Traceback" not in applied.output and "Socket is closed" not in applied.output
        assert _plan_exit(seed, served) == 0
    if case.name == "xcat":
        assert _count(lab, "xcataixmn mknimimage ") == 1
        assert _count(lab, "xcataixmn getmacs ") == 1
        assert _count(lab, "xcataixmn rnetboot ") == 1
        assert _count(lab, "xcataixmn mkdef -z") == 3  # HMC, CEC, LPARs: one each
    else:
        for program, pattern in DROPS[case.name]:
            _once(lab, program, pattern)
    journal = "".join(p.read_text(encoding="utf-8") for p in seed.journals())
    assert journal.count('"event": "command.unknown_outcome"') == 4
    assert f"connection lost to {seed.master} while running" in journal


# Per driver: the two commands of the first run held past their limit (fault fields), the spec's
# site keys, the read-backs (command, text shown) that say each late one has run on the server,
# and the programs held in the second run.
HUNG: dict[str, tuple[list[dict[str, Any]], dict[str, Any], list[tuple[str, str]],
                      tuple[str, ...]]] = {
    "xcat": ([{"command": "mkdef", "args": "-z", "hang": HANG},
              {"command": "mknimimage", "hang": HANG}], {"ppctimeout": 180},
             [("lsdef -t osimage -o 610sysb", ""), ("lsdef hmc01", "")], ("getmacs", "rnetboot")),
    "nim": ([{"command": "hostent", "hang": HANG}, {"command": "nim", "args": "-t mksysb",
                                                    "hang": HANG}], {},
            [("lsnim -l 610sysb_mksysb", ""), ("cat /etc/hosts", " node02")],
            ("lpar_netboot",)),
}


@pytest.mark.parametrize("case", both())
def test_hung_commands_run_once_and_reruns_converge(case: DriverCase, tmp_path: Path) -> None:
    faults, site, late, second_hung = HUNG[case.name]
    seed = case.scenario(tmp_path, faults=faults)
    seed.write_spec(site={**site, "timeouts": {"command": TIMEOUT, "mksysb": TIMEOUT}})
    with seed.served() as served:
        lab = served.lab
        first = _apply(seed, served)
        assert first.exit_code == 1, first.output
        assert first.output.count("re-observed: not done") >= 2, first.output
        for command, shows in late:
            _until(lab, command, host=seed.master, shows=shows)
        lab.clear_faults()
        for command in second_hung:
            lab.add_fault(Fault(command=command, hang=HANG))
        second = _apply(seed, served)
        assert second.exit_code == 1, second.output
        time.sleep(HANG)  # the hung getmacs and rnetboot end on the server
        lab.clear_faults()
        third = _apply(seed, served)
        assert third.exit_code == 0, third.output
        assert _plan_exit(seed, served) == 0
    counts = lab.command_counts()
    if case.name == "xcat":
        assert _count(lab, "xcataixmn mknimimage ") == 1, counts
        assert _count(lab, "xcataixmn getmacs ") == 1, counts
        assert all(n == 1 for line, n in counts.items() if " rnetboot " in line), counts
        assert _count(lab, "xcataixmn mkdef -z") == 3, counts
    else:
        for program, pattern in (("nim", "-t mksysb"), ("hostent", ""), ("rmvterm", ""),
                                 ("lpar_netboot", "")):
            _once(lab, program, pattern)
