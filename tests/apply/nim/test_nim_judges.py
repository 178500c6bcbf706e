"""The NIM driver's result judges (drivers/nim/judges.py) on what the NIM-only lab answers.

Sources: docs/formats.md "NIM" (IBM, "NIM error and warning messages": every NIM error is
0042-NNN and a fatal one sets the exit status; warnings leave it; the 0042-001 wrapper is followed
by the real cause) and "HMC" (`lpar_netboot` output as xCAT's port of IBM's script prints it,
perl-xCAT/xCAT/LparNetbootExp.pm 2.9.2: "# Network boot proceeding..." on a started boot,
"# Finished in an error." otherwise; HSCL codes of the HMC)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.apply.nim.world import (
    HMC,
    SYSTEM,
    action,
    armed,
    build_image,
    define_machine,
    netboot,
    nim_lab,
    runner,
    sh,
)
from xclone.apply.checks import Verdict
from xclone.base.command import C_LOCALE, Command
from xclone.base.remote import Result
from xclone.drivers.nim import judges
from xclone.drivers.nim.kinds import KINDS, ActionKind, Judging
from xclone.sim.faults import Fault

K = ActionKind


def _judge(kind: ActionKind, words: str | tuple[str, ...], result: Result) -> Verdict:
    return judges.judge(action(kind, words, result.host), (), result, None)


def test_every_judged_kind_has_a_rule() -> None:
    judged = {k for k, info in KINDS.items() if info.judging is not Judging.POLLED}
    assert judged <= set(judges.RULES)


def test_a_define_that_worked_and_one_refused_as_not_unique(tmp_path: Path) -> None:
    lab = nim_lab(tmp_path)
    words = define_machine("node01")
    first = runner(lab)(Command(words, C_LOCALE))
    assert _judge(K.NIM_DEFINE_MACHINE, words, first).ok
    again = runner(lab)(Command(words, C_LOCALE))
    verdict = _judge(K.NIM_DEFINE_MACHINE, words, again)
    assert not verdict.ok and not verdict.transient
    assert verdict.failed[""] == '0042-032 nim: the NIM object name "node01" is not unique'


def test_the_wrapper_and_its_cause_are_the_reason(tmp_path: Path) -> None:
    """A script resource whose file is missing: 0042-001 names the host, the line after it
    (0042-154) says why; the reason keeps both."""
    lab = nim_lab(tmp_path)
    words = "nim -o define -t script -a server=master -a location=/export/nothere nothere"
    got = sh(lab, words)
    verdict = _judge(K.NIM_DEFINE_SCRIPT, words, got)
    assert got.exit_status != 0 and not verdict.transient
    wrapper, cause = verdict.failed[""].splitlines()
    assert wrapper.startswith("0042-001 nim: processing error encountered on")
    assert "0042-154" in cause and "/export/nothere" in cause


def test_a_nim_warning_at_exit_0_is_not_a_failure() -> None:
    """A warning carries a 0042 code but leaves the exit status 0 (IBM, "NIM error and warning
    messages"): the command worked."""
    result = Result("nimmaster", "nim -o define ...", 0, "",
                    "warning: 0042-158 m_mkspot: the SPOT was built with warnings\n")
    assert _judge(K.NIM_DEFINE_SPOT, "nim -o define -t spot spot1", result).ok
    failed = Result("nimmaster", "nim -o define ...", 0, "",
                    '0042-053 nim: there is no NIM object named "x"\n')
    assert not _judge(K.NIM_DEFINE_SPOT, "nim -o define -t spot spot1", failed).ok


def test_hostent_refusal_is_its_text(tmp_path: Path) -> None:
    lab = nim_lab(tmp_path)
    got = sh(lab, "hostent -a 9.114.113.225 -h nimmaster2")
    verdict = _judge(K.HOSTENT, "hostent -a 9.114.113.225 -h nimmaster2", got)
    assert verdict.failed[""] == "hostent: an entry for 9.114.113.225 already exists."


def test_lpar_netboot_that_started_the_boot(tmp_path: Path) -> None:
    lab = nim_lab(tmp_path)
    build_image(lab)
    armed(lab, "node01")
    got = sh(lab, netboot("node01"), HMC)
    assert _judge(K.LPAR_NETBOOT, netboot("node01"), got).ok


def test_lpar_netboot_that_ended_in_an_error(tmp_path: Path) -> None:
    """The lab's default lpar_netboot fault prints the script's failure lines."""
    lab = nim_lab(tmp_path)
    lab.add_fault(Fault(command="lpar_netboot"))
    got = sh(lab, netboot("node01"), HMC)
    verdict = _judge(K.LPAR_NETBOOT, netboot("node01"), got)
    assert not verdict.ok and not verdict.transient
    assert "Unable to boot network adapter." in verdict.failed[""]
    assert "# Finished in an error." in verdict.failed[""]


@pytest.mark.parametrize(("stdout", "transient"), [
    ("# Connecting to node01.\nCannot connect to node01\n# Finished in an error.\n", True),
    ("# Connecting to node01.\n# Connected\n# Checking for power off.\n# Power off complete.\n"
     "Cannot connect to node01\n# Finished in an error.\n", False),
])
def test_a_lost_console_link_is_retried_only_before_the_lpar_was_touched(
        tmp_path: Path, stdout: str, transient: bool) -> None:
    """'Cannot connect' before any power line: nothing happened, another try is safe; after
    the power-off, the LPAR was already power-cycled: no automatic retry."""
    lab = nim_lab(tmp_path)
    lab.add_fault(Fault(command="lpar_netboot", stdout=stdout, exit_status=1))
    got = sh(lab, netboot("node01"), HMC)
    verdict = _judge(K.LPAR_NETBOOT, netboot("node01"), got)
    assert not verdict.ok
    assert verdict.transient is transient


def test_lpar_netboot_exit_0_without_the_proceeding_line_fails(tmp_path: Path) -> None:
    lab = nim_lab(tmp_path)
    lab.add_fault(Fault(command="lpar_netboot", stdout="# Connecting to node01.\n# Finished.\n",
                        exit_status=0))
    got = sh(lab, netboot("node01"), HMC)
    verdict = _judge(K.LPAR_NETBOOT, netboot("node01"), got)
    assert verdict.failed[""].startswith("lpar_netboot exited 0 without reporting")


def test_rmvterm_on_an_unknown_system_names_the_hsc_code(tmp_path: Path) -> None:
    lab = nim_lab(tmp_path)
    got = sh(lab, "rmvterm -m NOSUCH -p node01", HMC)
    verdict = _judge(K.RMVTERM, "rmvterm -m NOSUCH -p node01", got)
    assert "HSCL8018" in verdict.failed[""] and not verdict.transient
    assert _judge(K.RMVTERM, f"rmvterm -m {SYSTEM} -p node01",
                  sh(lab, f"rmvterm -m {SYSTEM} -p node01", HMC)).ok
