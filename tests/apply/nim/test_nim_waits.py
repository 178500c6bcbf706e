"""The NIM driver's install wait (drivers/nim/waits.py) against the NIM-only lab: NIM's Cstate,
Cstate_result and err_info on the master and the HMC's reference codes, one `lsnim -l` and one
`lsrefcode` per poll.

Sources: docs/formats.md "NIM" (Cstate "BOS installation has been enabled", "... is being
performed", "ready for a NIM operation" with Cstate_result success/failure) and "HMC"
(`lsrefcode -r lpar -m SYS -F lpar_name,refcode`; IBM "(CAxx) Partition firmware progress codes":
a partition can hang on a progress code, CA00E175 being firmware's BOOTP request)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from tests.apply.nim.world import (
    HMC,
    SYSTEM,
    action,
    armed,
    booted,
    build_image,
    nim_lab,
    on,
    runner,
)
from xclone.apply.waits import RunOn, WaitLimits
from xclone.base.command import Command
from xclone.base.remote import Result
from xclone.drivers.nim import waits
from xclone.drivers.nim.kinds import ActionKind
from xclone.drivers.nim.refcodes import stall
from xclone.sim import Lab, choices
from xclone.sim.faults import Fault

EXTRA = (("hmc", HMC), ("system", SYSTEM))
# Lab time is frozen; each poll of the master moves it on by STEP lab seconds. The wait measures
# real time times SCALE, so a stall code's hold passes after one short confirmation wait.
STEP = 60.0
SCALE = 10_000.0
LIMITS = WaitLimits(timeout=10**9, stall=10**9, first_interval=0.001, max_interval=0.001,
                    scale=SCALE)


class Polls:
    """The wait's `run` and `run_on`, counting polls; each master poll advances the lab."""

    def __init__(self, lab: Lab) -> None:
        self.lab, self.master, self.hmc = lab, runner(lab), on(lab)
        self.count, self.hmc_commands = 0, list[Command]()

    def run(self, command: Command) -> Result:
        self.count += 1
        self.lab.advance(STEP)
        return self.master(command)

    def run_on(self) -> RunOn:
        def run(host: str, command: Command) -> Result:
            self.hmc_commands.append(command)
            return self.hmc(host, command)
        return run


def _wait(lab: Lab, nodes: tuple[str, ...], polls: Polls,
          limits: WaitLimits = LIMITS) -> tuple[set[str], dict[str, str], list[tuple[str, str]]]:
    seen: list[tuple[str, str]] = []
    wait = action(ActionKind.WAIT_INSTALL, ("lsnim", "-l"), extra=EXTRA, nodes=nodes)
    done, failed = waits.wait_install(polls.run, nodes, limits, threading.Event(),
                                      lambda n, p: seen.append((n, p)), wait, polls.run_on())
    return done, failed, seen


def test_installs_complete_and_each_poll_asks_the_hmc_once(tmp_path: Path) -> None:
    lab = nim_lab(tmp_path)
    build_image(lab)
    armed(lab, "node01", "node02")
    booted(lab, "node01", "node02")
    polls = Polls(lab)
    done, failed, seen = _wait(lab, ("node01", "node02"), polls)
    assert (done, failed) == ({"node01", "node02"}, {})
    assert len(polls.hmc_commands) == polls.count
    assert {c.argv for c in polls.hmc_commands} == {
        ("lsrefcode", "-r", "lpar", "-m", SYSTEM, "-F", "lpar_name,refcode")}
    assert {c.env for c in polls.hmc_commands} == {()}
    codes = [p for n, p in seen if n == "node01" and p.startswith("reference code")]
    assert len(codes) == len(set(codes)) and "reference code 0C54" in codes


def test_an_install_that_has_not_started_is_not_taken_as_done(tmp_path: Path) -> None:
    """Armed but never booted: NIM keeps 'BOS installation has been enabled'; the machine is
    ready only when an earlier install left it so. The wait must not report it installed."""
    lab = nim_lab(tmp_path)
    build_image(lab)
    armed(lab, "node01")
    polls = Polls(lab)
    limits = WaitLimits(timeout=10**9, stall=STEP * 3, first_interval=0.001,
                        max_interval=0.001, scale=SCALE)
    done, failed, _ = _wait(lab, ("node01",), polls, limits)
    assert done == set()
    assert "made no progress" in failed["node01"]
    assert "BOS installation has been enabled" in failed["node01"]


def test_a_stalled_reference_code_fails_its_lpar_within_two_polls(tmp_path: Path) -> None:
    """node02's firmware stays on CA00E175 (BOOTP unanswered, the lab's stall fault): it fails
    at the second poll that shows the code, with the code, its meaning and the remedy; node01
    installs."""
    lab = nim_lab(tmp_path)
    lab.add_fault(Fault(lpar="node02", refcode="CA00E175"))
    build_image(lab)
    armed(lab, "node01", "node02")
    booted(lab, "node01", "node02")
    polls = Polls(lab)
    stalled_at: list[int] = []

    def progress(node: str, phase: str) -> None:
        if node == "node02" and phase == "reference code CA00E175":
            stalled_at.append(polls.count)

    wait = action(ActionKind.WAIT_INSTALL, ("lsnim", "-l"), extra=EXTRA,
                  nodes=("node01", "node02"))
    limits = WaitLimits(timeout=10**9, stall=STEP * 20, first_interval=0.001,
                        max_interval=0.001, scale=SCALE)
    done, failed = waits.wait_install(polls.run, ("node01", "node02"), limits,
                                      threading.Event(), progress, wait, polls.run_on())
    assert done == {"node01"}
    why = failed["node02"]
    assert why.startswith("stalled on reference code CA00E175 (partition firmware sent a BOOTP "
                          "request and no boot server answers)")
    assert "bos_inst" in why and "CA00E175" in why.rsplit("reference codes:", 1)[1]
    assert stalled_at == [1]
    assert polls.count > 2  # node01 went on being polled after node02 failed


def test_install_failure_reports_err_info_and_the_codes(tmp_path: Path) -> None:
    """An `install: error` fault: NIM ends 'ready for a NIM operation' with Cstate_result
    failure and err_info 0042-175; the message carries err_info and the last codes."""
    lab = nim_lab(tmp_path)
    lab.add_fault(Fault(lpar="node01", install="error"))
    build_image(lab)
    armed(lab, "node01")
    booted(lab, "node01")
    done, failed, _ = _wait(lab, ("node01",), Polls(lab))
    assert done == set()
    assert failed["node01"].startswith("install failed: 0042-175 c_bosinst:")
    assert "reference codes:" in failed["node01"]


def test_ctrl_c_abandons_the_pending_installs(tmp_path: Path) -> None:
    lab = nim_lab(tmp_path)
    build_image(lab)
    armed(lab, "node01")
    booted(lab, "node01")
    cancel = threading.Event()
    cancel.set()
    wait = action(ActionKind.WAIT_INSTALL, ("lsnim", "-l"), extra=EXTRA, nodes=("node01",))
    polls = Polls(lab)
    done, failed = waits.wait_install(polls.run, ("node01",), LIMITS, cancel,
                                      lambda n, p: None, wait, polls.run_on())
    assert done == set()
    assert failed["node01"].startswith("abandoned by Ctrl-C")
    assert "; reference codes: " in failed["node01"]  # where it was left


def test_an_unanswered_hmc_poll_leaves_the_nim_side_deciding(tmp_path: Path) -> None:
    """The HMC refuses lsrefcode every time (a lab fault): installs still complete on NIM's
    word alone."""
    lab = nim_lab(tmp_path)
    build_image(lab)
    armed(lab, "node01")
    booted(lab, "node01")
    lab.add_fault(Fault(command="lsrefcode", exit_status=1, stderr="HSCL1234 busy"))
    done, failed, _ = _wait(lab, ("node01",), Polls(lab))



def test_a_machine_left_ready_by_an_earlier_install_is_not_this_install(tmp_path: Path) -> None:
    """node27 (the golden client) is ready with Cstate_result success from its own install
    long ago and runs AIX (blank code): nothing shows an install ran during this wait."""
    lab = nim_lab(tmp_path)
    limits = WaitLimits(timeout=10**9, stall=STEP * 3, first_interval=0.001,
                        max_interval=0.001, scale=SCALE)
    done, failed, _ = _wait(lab, ("node27",), Polls(lab), limits)
    assert done == set() and "made no progress" in failed["node27"]


@pytest.mark.slow  # a real-time wait: about 1 s of a limit running out
def test_an_unreadable_lsnim_fails_after_the_stall_limit(tmp_path: Path) -> None:
    """lsnim answers with something that is not a listing: the wait asks again and gives up
    after the no-progress limit with the parser's complaint, never a traceback."""
    lab = nim_lab(tmp_path)
    build_image(lab)
    armed(lab, "node01")
    lab.add_fault(Fault(command="lsnim", stdout="garbage here\n", exit_status=0))
    limits = WaitLimits(timeout=10**9, stall=1.0, first_interval=0.01, max_interval=0.01,
                        scale=1.0)
    done, failed, _ = _wait(lab, ("node01",), Polls(lab), limits)
    assert done == set()
    assert failed["node01"].startswith("lsnim gave no listing xclone could read for 1 s: ")


def test_a_normal_install_passes_every_stall_code_faster_than_its_hold() -> None:
    """The lab's install timeline (choices.REFCODE_INSTALL, seconds after bootp was answered)
    stays on no code of the stall table as long as that code's hold: a healthy install is never
    failed as stalled."""
    timeline = choices.REFCODE_INSTALL
    for (at, code), (after, _) in zip(timeline, timeline[1:], strict=False):
        found = stall(code)
        assert found is None or after - at < found.hold, code


def test_an_install_waiting_at_the_console_fails_at_the_second_poll_showing_it(
        tmp_path: Path) -> None:
    """AIX's 0C48 (BOS install waiting for console input) after the boot went well: NIM still
    says the install is being performed; the code decides, at the poll after the first that
    showed it, with the bosinst_data remedy."""
    lab = nim_lab(tmp_path)
    lab.add_fault(Fault(lpar="node01", refcode="0C48"))
    build_image(lab)
    armed(lab, "node01")
    booted(lab, "node01")
    polls = Polls(lab)
    moments: dict[str, int] = {}

    def progress(node: str, phase: str) -> None:
        moments.setdefault(phase, polls.count)

    wait = action(ActionKind.WAIT_INSTALL, ("lsnim", "-l"), extra=EXTRA, nodes=("node01",))
    done, failed = waits.wait_install(polls.run, ("node01",), LIMITS, threading.Event(),
                                      progress, wait, polls.run_on())
    assert done == set()
    assert failed["node01"].startswith("stalled on reference code 0C48 (the BOS installation "
                                       "is waiting for input at the console)")
    assert "PROMPT = no" in failed["node01"]
    assert moments["stalled on reference code 0C48: failed"] == \
        moments["reference code 0C48"] + 1


@pytest.mark.parametrize(("shown", "code"), [
    ("CA00E175", "CA00E175"), ("ca00e175 ", "CA00E175"), ("0c48", "0C48"),
    ("00000C48", "0C48"), ("00000000", None), ("", None), ("CA000000", None),
])
def test_stall_codes_are_read_as_panels_show_them(shown: str, code: str | None) -> None:
    found = stall(shown)
    assert (found.code if found else None) == code


def test_a_stall_code_left_from_an_earlier_boot_while_nim_moves_on_is_not_a_stall(
        tmp_path: Path) -> None:
    """A resumed apply boots an LPAR again while the HMC still shows the first, interrupted
    boot's CA00E175 (BOOTP unanswered). NIM is the better witness: while it says the BOS
    installation is being performed, the boot got past firmware, so a firmware code is stale and
    the wait must not fail the LPAR as stalled on it (found by the NIM crash-resume family). The
    NIM side is the lab's real install; the HMC's answer is the lab's own, with that stale code
    in place of node01's."""
    lab = nim_lab(tmp_path)
    build_image(lab)
    armed(lab, "node01")
    booted(lab, "node01")
    polls = Polls(lab)
    hmc = polls.run_on()

    def stale(host: str, command: Command) -> Result:
        answer = hmc(host, command)
        lines = [("node01,CA00E175" if line.startswith("node01,") else line)
                 for line in answer.stdout.splitlines()]
        return Result(answer.host, answer.command, answer.exit_status,
                      "\n".join(lines) + "\n", answer.stderr)

    wait = action(ActionKind.WAIT_INSTALL, ("lsnim", "-l"), extra=EXTRA, nodes=("node01",))
    done, failed = waits.wait_install(polls.run, ("node01",), LIMITS, threading.Event(),
                                      lambda n, p: None, wait, stale)
    assert failed == {}
    assert done == {"node01"}
    assert polls.count > 3  # the stale code was shown on many polls while NIM installed
