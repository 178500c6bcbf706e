"""Waiting for network installs by polling xCAT and NIM, with two limits (STYLE: lessons).

An install is done when xCAT reports `status=booted` (xcataixpost; docs/formats.md "NIM from
xCAT"); it failed when NIM says `Cstate_result = failure`; it stalls when NIM's Cstate and info
stop changing for the stall limit; it times out after the action's timeout. Each poll is two
commands for all nodes; the xCAT one also reads each node's postscripts (a booted node that runs
confignimsh must answer through nimsh: nimsh.py). A boot NIM never saw is blamed on the boot
services (remedy.py: the remedy itself runs after the wait, in the core, under `--remediate`).
On the lab the limits are lab time: `WaitLimits.scale` is how much faster its clock runs.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from xclone.apply.waits import Progress, Run, WaitLimits
from xclone.base.command import Command
from xclone.base.errors import TransportError
from xclone.base.noderange import compact
from xclone.drivers.nimsh import checks
from xclone.drivers.xcat import console, nimsh, remedy
from xclone.observed.parsers.nim import parse_lsnim_long
from xclone.observed.parsers.xcat import parse_compact
from xclone.plan.action import MN_ENV


@dataclass
class _Node:
    seen: tuple[str, str] = ("", "")
    changed_at: float = 0.0


def _poll(run: Run, nodes: list[str], nim_run: Run
          ) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """Each node's xCAT status and postscripts (on the management node), and its NIM
    machine (`nim_run`: on its NIM master, a service node's own for its nodes)."""
    status_cmd = Command(("lsdef", "-t", "node", "-i", "status,postscripts", "-c",
                          compact(nodes)), MN_ENV)
    nim_cmd = Command(("lsnim", "-l", *nodes), MN_ENV)
    xcat = {o.name: dict(o.attrs) for o in parse_compact(run(status_cmd).stdout)}
    nim = {o.name: dict(o.attrs) for o in parse_lsnim_long(nim_run(nim_cmd).stdout)}
    return xcat, nim


def wait_install(run: Run, nodes: tuple[str, ...], limits: WaitLimits,
                 cancel: threading.Event, progress: Progress, *,
                 remediating: bool = False, mn: str | None = None, nim_run: Run | None = None
                 ) -> tuple[set[str], dict[str, str]]:
    """Returns (installed nodes, failed node -> why). Nodes still pending when `cancel` is set
    are reported as failed with an 'abandoned' reason: the install goes on in the cluster.
    A poll that gets no answer is only read-only: the next one asks again, within the limits.
    A booted node whose postscripts run confignimsh is installed only when nimsh answers with
    SSL (nimsh.py), asked of the nodes' NIM master (`nim_run`, default `run`: a service
    node's nodes are its own NIM clients). A boot NIM never saw is blamed on the boot services
    on `mn` (remedy.py), `remediating` when the core remedies it after this wait."""
    nim_run = nim_run or run
    start = time.monotonic()
    pending = {n: _Node(changed_at=0.0) for n in nodes}
    done: set[str] = set()
    failed: dict[str, str] = {}
    interval = limits.first_interval
    max_interval = limits.poll_ceiling
    while pending:
        try:
            xcat, nim = _poll(run, sorted(pending), nim_run)
        except TransportError as exc:
            limits.lost_poll(exc, start)
            if cancel.wait(interval):
                break
            continue
        now = limits.elapsed(start)
        status = {n: a.get("status", "") for n, a in xcat.items()}
        nimsh_problems = checks(nim_run, [
            n for n in pending if status.get(n) == "booted"
            and nim.get(n, {}).get("Cstate_result", "") != "failure"
            and nimsh.runs_it(xcat.get(n, {}).get("postscripts", ""))])
        for node in sorted(pending):
            machine = nim.get(node, {})
            cstate, info = machine.get("Cstate", ""), machine.get("info", "")
            result = machine.get("Cstate_result", "")
            if status.get(node) == "booted" and result != "failure":
                why = nimsh_problems.get(node)
                if why is None:
                    done.add(node)
                else:
                    failed[node] = why
            elif result == "failure" and "ready" in cstate:
                why = machine.get("err_info") or info or "NIM reports Cstate_result = failure"
                failed[node] = f"install failed: {why}"
            elif now > limits.timeout:
                failed[node] = (f"install did not finish within {int(limits.timeout)} s "
                                f"(Cstate: {cstate or '?'}, xCAT status: {status.get(node, '?')})"
                                + (remedy.advice(mn, remediating)
                                   if remedy.unanswered(cstate) else ""))
            elif (cstate, info) != pending[node].seen:
                pending[node].seen, pending[node].changed_at = (cstate, info), now
                progress(node, info or cstate)
                continue
            elif now - pending[node].changed_at > limits.stall:
                failed[node] = (f"install made no progress for {int(limits.stall)} s "
                                f"(Cstate: {cstate or '?'}, info: {info or 'none'})"
                                + (remedy.advice(mn, remediating)
                                   if remedy.unanswered(cstate) else ""))
            else:
                continue
            del pending[node]
        if not pending:
            break
        if cancel.wait(interval):
            break
        interval = min(max_interval, interval * 1.5)
    for node in sorted(failed):  # what each node's console last showed goes with its error
        failed[node] += console.last_lines(run, node)
    for node in pending:
        failed[node] = "abandoned by Ctrl-C: the install goes on; the next plan waits"
    return done, failed

