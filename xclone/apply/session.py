"""One run against a cluster: lock, observe and plan, review, execute, unlock, journal its end.

The application service behind `xclone apply`, `destroy` and `import SPEC ADDR|--all`. It takes
plain inputs and returns a result; it prints nothing and asks nothing itself.

Layering (CONTRACT §2, tests/test_layers.py): `apply` imports neither the spec nor the planner's
internals, only xclone.plan's public document and action types. So what to run arrives as a
callable, `make_plan(transport) -> Plan`, which the CLI builds from the planner: a fresh plan, a
saved plan checked against the cluster, or an adoption (marks only). It is called under the
lock, with a transport that journals every observing command, so the journal of any run reads
lock, observe, then the plan's commands. What the session needs from the spec comes as plain
values (`Run`: the lock's host and cluster; ExecOptions: the limits and timeouts). Showing the
plan, the confirmation and the progress display stay with the CLI as `Hooks`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xclone.apply import lock as locks
from xclone.apply.events import Sink, Summary
from xclone.apply.executor import ExecOptions, Executor
from xclone.apply.journal import Journal, JournaledTransport
from xclone.apply.runner import CommandRunner
from xclone.base.digest import digest
from xclone.base.errors import XcloneError
from xclone.base.remote import Transport
from xclone.plan.document import Plan, to_json

MakePlan = Callable[[Transport], Plan]


class Abandoned(KeyboardInterrupt):
    """A second Ctrl-C gave up on the running commands: the run's journal (closed with
    `abandoned`) is all that is left to summarise from."""

    def __init__(self, journal: Path) -> None:
        super().__init__()
        self.journal = journal


@dataclass(frozen=True)
class Run:
    """What kind of run (the journal's `kind`: apply, destroy, import), whose lock it takes and
    how long to wait for it, and the spec path its messages name."""

    kind: str
    mn_host: str
    cluster: str
    runs_dir: Path
    options: ExecOptions
    spec: str = "SPEC"
    lock_wait: float = 0.0
    skip_preflight: bool = False  # --skip-preflight: the plan record says so
    # what a refusal's `xclone force-unlock ...` hint gives before the lock id: the spec and the
    # connection options, so that the hint runs as printed (default: `spec` alone)
    unlock_hint: str = ""


@dataclass(frozen=True)
class Hooks:
    """What the user sees. `show` gets every plan, `confirm` only a non-empty one and cancels by
    raising XcloneError; `running` yields the progress sink while the actions run (and may
    install a Ctrl-C handler that sets the run's cancel event); `warn` gets a lock left behind.
    `resources` words what became of the plan's resources (`7 added, 1 changed, ...`: the CLI
    passes render's count, which apply must not import); run.end journals it for `runs show`."""

    show: Callable[[Plan], None]
    confirm: Callable[[Plan], None]
    running: Callable[[], AbstractContextManager[Sink]]
    warn: Callable[[str], None]
    resources: Callable[[Plan, Summary], str] | None = None


@dataclass(frozen=True)
class Outcome:
    """How the run ended: the plan it ran, its summary (None when the plan was empty), the
    journal file, and how many commands went to each host."""

    plan: Plan
    summary: Summary | None
    journal: Path
    per_host: dict[str, int]


class Unconfirmed(XcloneError):
    """The plan was shown and not confirmed: the run ends before any change."""


def run(transport: Transport, what: Run, make_plan: MakePlan, hooks: Hooks,
        cancel: threading.Event) -> Outcome:
    """Lock, plan under the lock, review, execute, unlock. The journal's last record says how the
    run ended, even when it ended in an error; the caller closes the transport."""
    journal = Journal(what.runs_dir, kind=what.kind, cluster=what.cluster, spec=what.spec)
    end: dict[str, Any] = {"event": "run.end", "ok": False}
    try:
        held = locks.acquire(JournaledTransport(transport, journal, "lock"), what.mn_host,
                             what.cluster, spec=what.unlock_hint or what.spec,
                             wait=what.lock_wait)
    except XcloneError as exc:
        journal.write({**end, "error": exc.message})
        raise
    try:
        plan = make_plan(JournaledTransport(transport, journal, "observe"))
        held = locks.record_plan(JournaledTransport(transport, journal, "lock"), held,
                                 digest(to_json(plan)))
        skipped = {"preflight": "skipped"} if what.skip_preflight else {}
        journal.write({"event": "plan", "spec_digest": plan.spec_digest,
                       "observed_digest": plan.observed_digest, "summary": plan.summary(),
                       "lock": held.id, "parallelism": what.options.parallelism, **skipped})
        outcome, end = _execute(plan, transport, journal, what.options, hooks, cancel)
        return outcome
    except XcloneError as exc:
        # not confirmed (no terminal, or an answer other than yes): nothing ran, no failure
        declined = {"declined": True} if isinstance(exc, Unconfirmed) else {}
        end = {**end, **declined, "error": exc.message}
        raise
    except KeyboardInterrupt:
        end = {**end, "abandoned": True, "error": "abandoned by a second Ctrl-C"}
        raise Abandoned(journal.path) from None
    finally:
        lost = locks.release(JournaledTransport(transport, journal, "lock"), held)
        if lost is not None:
            hooks.warn(lost)
            end = {**end, "lock_warning": lost}
        journal.write(end)


def _execute(plan: Plan, transport: Transport, journal: Journal, options: ExecOptions,
             hooks: Hooks, cancel: threading.Event) -> tuple[Outcome, dict[str, Any]]:
    hooks.show(plan)
    if plan.empty:
        return (Outcome(plan, None, journal.path, {}),
                {"event": "run.end", "ok": True, "done": [], "commands": 0})
    try:
        hooks.confirm(plan)
    except XcloneError as exc:
        raise Unconfirmed(exc.message) from None
    runner = CommandRunner(transport, journal, options.host_limits, options.parallelism)
    runner.preflight(plan.actions)
    with hooks.running() as sink:
        summary = Executor(plan, runner, options, sink, cancel).run()
    per_host = dict(runner.per_host)
    counted = {"resources": hooks.resources(plan, summary)} if hooks.resources else {}
    return (Outcome(plan, summary, journal.path, per_host),
            Journal.end_record(summary, {"per_host": per_host, **counted}))
