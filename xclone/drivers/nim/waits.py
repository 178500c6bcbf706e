"""Waiting for network installs from both sides: NIM's machine state and the HMC's reference codes.

Each poll is one `lsnim -l NODE...` on the NIM master and one `lsrefcode -r lpar -m SYS -F
lpar_name,refcode` on the HMC of the wait action's managed system (no environment prefix: the
HMC's restricted shell takes none). An install is done when NIM shows the machine "ready for a
NIM operation" with `Cstate_result = success` after the install ran: the wait saw it in another
state, `prev_state` names the install, or the LPAR showed a network boot or install code; a
machine still showing "BOS installation has been enabled" has not started. It failed when
`Cstate_result = failure` (err_info and info say why). A reference code of the stall table
(refcodes.py) that stays fails the LPAR early with the code, its meaning and the remedy;
otherwise no change of Cstate, info or code for the stall limit, or the timeout, fails it as the
xCAT driver's wait does. Every failure message ends with the last codes seen. When the wait's
`nimsh` extra says its nodes run confignimsh, an installed node counts only once nimsh answers
with SSL (drivers/nimsh.py: `nim -o lslpp`, `nimquery`; the nodes of one poll at once), else it
failed as that postscript, with the evidence. Sources:
docs/formats.md "NIM" (Cstate values) and "HMC" (lsrefcode).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from xclone.apply.waits import Progress, Run, RunOn, WaitLimits
from xclone.base.command import Command
from xclone.base.errors import TransportError, XcloneError
from xclone.drivers import nimsh
from xclone.drivers.nim import console
from xclone.drivers.nim.refcodes import StallCode, stall
from xclone.drivers.nim.resources.lpar import NIMSH
from xclone.observed.parsers.hmc import parse_fields
from xclone.observed.parsers.nim import parse_lsnim_long
from xclone.plan.action import MN_ENV, Action

READY = "ready for a NIM operation"
ENABLED = "BOS installation has been enabled"
REFCODE_FIELDS = ("lpar_name", "refcode")
TIMELINE = 5  # codes quoted in a failure message
# Codes that do not show a boot under way: off, firmware's own start, a running AIX (blank).
_NOT_BOOTING = frozenset({"", "00000000", "CA000000"})


@dataclass
class _Lpar:
    seen: tuple[str, str, str] = ("", "", "")  # Cstate, info, reference code
    changed_at: float = 0.0
    busy: bool = False  # seen in a state other than ready or enabled: the install ran
    codes: list[str] = field(default_factory=list)  # each code change, oldest first
    stalled_at: float | None = None  # when the current stall code was first seen


def refcode_command(system: str) -> Command:
    return Command(("lsrefcode", "-r", "lpar", "-m", system, "-F", ",".join(REFCODE_FIELDS)), ())


def _nim(run: Run, nodes: list[str]) -> dict[str, dict[str, str]]:
    """Machines as `lsnim -l` lists them; a missing one is simply absent (NIM prints 0042-053
    for it on stderr and lists the others)."""
    result = run(Command(("lsnim", "-l", *nodes), MN_ENV))
    return {o.name: dict(o.attrs) for o in parse_lsnim_long(result.stdout)}


def _codes(run_on: RunOn, action: Action) -> dict[str, str] | None:
    """Each partition's current code, or None when the HMC gave no usable answer this poll
    (the NIM side still decides; the next poll asks again)."""
    hmc, system = action.extra_value("hmc"), action.extra_value("system")
    if not hmc or not system:
        return None
    try:
        result = run_on(hmc, refcode_command(system))
        if result.exit_status != 0:
            return None
        return {r["lpar_name"]: r["refcode"].strip() for r in
                parse_fields(result.stdout, REFCODE_FIELDS)}
    except (TransportError, XcloneError):
        return None


def _timeline(lpar: _Lpar) -> str:
    shown = [c or "(blank)" for c in lpar.codes[-TIMELINE:]]
    return f"; reference codes: {' -> '.join(shown)}" if shown else ""


def _stall_check(lpar: _Lpar, code: str, now: float, confirm: list[float],
                 installing: bool) -> str | None:
    """Why the LPAR is stalled, once a stall code seen on an earlier poll is still shown after
    its hold time; else None, asking (`confirm`) for the next poll when the hold ends. A
    firmware code (CAxx) while NIM says the BOS installation is being performed is stale (the
    HMC still shows an earlier, interrupted boot's code): the boot got past firmware, so it is
    not a stall; AIX's own codes (0C48 at the console...) still are."""
    found = stall(code)
    if found is None or installing and found.code.startswith("CA"):
        lpar.stalled_at = None
        return None
    if lpar.stalled_at is None or lpar.seen[2] != code:
        lpar.stalled_at = now
        confirm.append(found.hold)
        return None
    if now - lpar.stalled_at >= found.hold:
        return _stalled(found, lpar)
    confirm.append(found.hold - (now - lpar.stalled_at))
    return None


def _stalled(code: StallCode, lpar: _Lpar) -> str:
    return (f"stalled on reference code {code.code} ({code.meaning}): {code.remedy}"
            f"{_timeline(lpar)}")


def wait_install(run: Run, nodes: tuple[str, ...], limits: WaitLimits,
                 cancel: threading.Event, progress: Progress, action: Action,
                 run_on: RunOn) -> tuple[set[str], dict[str, str]]:
    """Returns (installed nodes, failed node -> why). Nodes still pending when `cancel` is set
    are failed as abandoned: the install goes on in the cluster. A poll of the master that gets
    no answer is only read-only: the next one asks again, within the limits."""
    start = time.monotonic()
    pending = {n: _Lpar() for n in nodes}
    done: set[str] = set()
    failed: dict[str, str] = {}
    interval = limits.first_interval
    max_interval = limits.poll_ceiling
    answered = 0.0  # when lsnim last gave a listing that could be read
    while pending:
        try:
            nim = _nim(run, sorted(pending))
        except TransportError as exc:
            limits.lost_poll(exc, start)
            if cancel.wait(interval):
                break
            continue
        except XcloneError as exc:  # a listing the parser does not recognise
            if limits.elapsed(start) - answered > limits.stall:
                failed.update(dict.fromkeys(pending, (
                    f"lsnim gave no listing xclone could read for {int(limits.stall)} s: "
                    f"{exc.message}")))
                return done, failed
            if cancel.wait(interval):
                break
            continue
        codes = _codes(run_on, action)
        now = answered = limits.elapsed(start)
        confirm: list[float] = []  # seconds until a stall code seen now has been held
        installed: list[str] = []
        for node in sorted(pending):
            why = _judge(node, pending[node], nim.get(node, {}),
                         None if codes is None else codes.get(node), now, limits, progress,
                         confirm)
            if why is None:
                continue
            if why:
                failed[node] = why
            else:
                installed.append(node)
            del pending[node]
        problems = nimsh.checks(run, installed) if action.extra_value(NIMSH) == "yes" else {}
        failed.update(problems)
        done.update(n for n in installed if n not in problems)
        if not pending:
            break
        wait = min(max_interval, interval) if not confirm else \
            max(min(confirm) / limits.scale, 0.01)
        if cancel.wait(wait):
            break
        interval = min(max_interval, interval * 1.5)
    for node in sorted(failed):  # what each partition last showed goes with its error
        failed[node] += console.last_codes(run_on, action, node)
    for node in pending:
        failed[node] = ("abandoned by Ctrl-C: the install goes on; the next plan waits"
                        f"{_timeline(pending[node])}")
    return done, failed


def _judge(node: str, lpar: _Lpar, machine: dict[str, str], code: str | None, now: float,
           limits: WaitLimits, progress: Progress, confirm: list[float]) -> str | None:
    """None: still pending; "": installed; else why it failed."""
    cstate, info = machine.get("Cstate", ""), machine.get("info", "")
    result = machine.get("Cstate_result", "")
    if cstate and cstate not in (READY, ENABLED):
        lpar.busy = True
    ran = lpar.busy or "being performed" in machine.get("prev_state", "") or \
        any(c not in _NOT_BOOTING for c in lpar.codes)
    if code is not None and (not lpar.codes or lpar.codes[-1] != code):
        lpar.codes.append(code)
        progress(node, f"reference code {code or '(blank)'}")
    shown = code if code is not None else lpar.seen[2]
    if cstate == READY and result == "success" and ran:
        return ""
    if cstate == READY and result == "failure":
        why = machine.get("err_info") or info or "NIM reports Cstate_result = failure"
        return f"install failed: {why}{_timeline(lpar)}"
    if code is not None:  # an unanswered HMC poll leaves the stall clock as it was
        stalled = _stall_check(lpar, code, now, confirm, "being performed" in cstate)
        if stalled:
            # The wait action ends with its last LPAR; say at once that this one failed.
            progress(node, f"stalled on reference code {code}: failed")
            return stalled
    if now > limits.timeout:
        return (f"install did not finish within {int(limits.timeout)} s (Cstate: "
                f"{cstate or '?'}, info: {info or 'none'}){_timeline(lpar)}")
    if (cstate, info, shown) != lpar.seen:
        if (cstate, info) != lpar.seen[:2]:
            progress(node, info or cstate or "no NIM machine")
        lpar.seen, lpar.changed_at = (cstate, info, shown), now
        return None
    if now - lpar.changed_at > limits.stall:
        return (f"install made no progress for {int(limits.stall)} s (Cstate: "
                f"{cstate or '?'}, info: {info or 'none'}){_timeline(lpar)}")
    return None
