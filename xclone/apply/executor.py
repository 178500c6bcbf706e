"""The executor: a ready queue over the action DAG with a global and a per-host limit.

A failed node stops only its own branch: a dependant batch runs again for the nodes that are
still good. An action ordered after another (Action.ordered_after) waits for it to end, however
it ended: its failure skips nothing. A command that never left (no connection) and what the
driver's judge calls transient (xCAT's own HMC-link failures) are retried with backoff; a command
whose answer was lost is never sent again but re-observed (the driver's read-back); anything else
stops the dependants and lets independent branches finish.
Ctrl-C (the `cancel` event) stops scheduling, lets running commands end, and reports what was
left where.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from xclone.apply import remedies
from xclone.apply.checks import Verdict
from xclone.apply.events import Event, Failure, Sink, Summary
from xclone.apply.ready import Entry, ReadyQueue
from xclone.apply.runner import CommandRunner
from xclone.apply.waits import WaitLimits
from xclone.base.command import Command
from xclone.base.errors import TransportError
from xclone.base.known_after import NotKnown
from xclone.base.log import get_logger
from xclone.base.remote import NotSent, OutcomeUnknown, Result
from xclone.drivers import registry
from xclone.plan.action import Action
from xclone.plan.document import Plan

log = get_logger("xclone.apply")

# The timeout an Action carries when its planner set none of its own (plan/action.py).
_DEFAULT_TIMEOUT = next(f.default for f in dataclasses.fields(Action) if f.name == "timeout")


@dataclass(frozen=True)
class ExecOptions:
    parallelism: int = 10
    host_limits: Mapping[str, int] = field(default_factory=dict)
    retries: int = 3
    backoff: float = 1.0
    poll_first: float = 2.0
    poll_max: float = 30.0
    mn_name: str | None = None
    command_timeout: float = 600.0  # site.timeouts.command
    time_scale: float = 1.0  # simulated seconds per real second (the lab's scaled clock)


@dataclass
class _State:
    ok_nodes: set[str] = field(default_factory=set)
    bad_nodes: set[str] = field(default_factory=set)
    failed_whole: bool = False
    finished: bool = False


class Executor:
    def __init__(self, plan: Plan, runner: CommandRunner, options: ExecOptions, sink: Sink,
                 cancel: threading.Event) -> None:
        self.plan, self.runner, self.options, self.sink, self.cancel = (
            plan, runner, options, sink, cancel)
        self.driver = registry.driver(plan.driver)
        self.actions = {a.id: a for a in plan.actions}
        self.state = {a.id: _State() for a in plan.actions}
        self.dependants: dict[str, list[str]] = {a.id: [] for a in plan.actions}
        for a in plan.actions:
            for dep in (*a.depends_on, *a.ordered_after):  # both kinds wait for its end
                self.dependants[dep].append(a.id)
        self.failures: list[Failure] = []
        self.skipped: list[tuple[str, str]] = []
        self.done: list[str] = []
        self.interrupted: list[str] = []
        # The values commands read for later ones (Verdict.values, base/known_after.py).
        self.values: dict[str, str] = {}
        # The nodes a remedy was run for (`--remediate`): at most once per node per run.
        self.remedied = remedies.Tried(set(), threading.Lock())

    # -- scheduling -------------------------------------------------------------------------
    def run(self) -> Summary:
        """Commands share `parallelism` slots and each host's session limit (xclone/apply/
        ready.py: depth first); install waits run beside them, one thread each: a wait only
        polls, and one per managed system (the NIM driver's) must not hold back the network
        boots of the systems after it."""
        waiting = {a.id: len(a.depends_on) + len(a.ordered_after) for a in self.plan.actions}
        ready = ReadyQueue((Entry(a.id, a.host, a.kind.polled, a.depends_on, a.ordered_after)
                            for a in self.plan.actions),
                           self.options.parallelism, self.runner.limit)
        for action_id, count in waiting.items():
            if count == 0:
                ready.add(action_id)
        running: dict[Future[None], str] = {}
        polled = sum(1 for a in self.plan.actions if a.kind.polled)
        with ThreadPoolExecutor(max_workers=max(1, self.options.parallelism)) as pool, \
                ThreadPoolExecutor(max_workers=max(1, polled)) as waits:
            while True:
                self._launch(ready, waiting, running, pool, waits)
                if not running:
                    break
                finished, _ = wait(running, timeout=0.2, return_when=FIRST_COMPLETED)
                for future in finished:
                    action_id = running.pop(future)
                    future.result()
                    self._finish(action_id, waiting, ready)
        for action_id in ready.pending() + [i for i, n in waiting.items() if n > 0]:
            if not self.state[action_id].finished:
                self.interrupted.append(action_id)
        return Summary(tuple(self.done), tuple(self.failures), tuple(self.skipped),
                       tuple(sorted(set(self.interrupted))), self.runner.count)

    def _launch(self, ready: ReadyQueue, waiting: dict[str, int],
                running: dict[Future[None], str], pool: ThreadPoolExecutor,
                waits: ThreadPoolExecutor) -> None:
        """Start every ready action that has a slot; a skipped one frees its slot at once and
        may make others ready, so take again until nothing more starts."""
        while not self.cancel.is_set():
            started = ready.take()
            if not started:
                return
            for action_id in started:
                action = self.actions[action_id]
                nodes = self._runnable(action)
                if nodes is None:
                    self._finish(action.id, waiting, ready)
                    continue
                self.sink(Event("start", action.id, action.kind.value, nodes=nodes))
                target = waits if action.kind.polled else pool
                running[target.submit(self._run_action, action.id, nodes)] = action.id

    def _finish(self, action_id: str, waiting: dict[str, int], ready: ReadyQueue) -> None:
        self.state[action_id].finished = True
        ready.done(action_id)
        for child in self.dependants[action_id]:
            waiting[child] -= 1
            if waiting[child] == 0:
                ready.add(child)

    def _runnable(self, action: Action) -> tuple[str, ...] | None:
        """The nodes still worth running for, or None (recorded as skipped) when nothing is.

        A failed node stops only its own branch when it is one of this action's nodes; a failed
        node this action does not name (an LPAR below a CEC being removed) stops the action.
        Only dependencies count: what the action is merely ordered after never stops it."""
        bad: set[str] = set()
        for dep in action.depends_on:
            st = self.state[dep]
            if st.failed_whole:
                self._skip(action, f"depends on {dep}, which failed")
                return None
            bad |= st.bad_nodes
        foreign = bad - set(action.nodes)
        if foreign:
            self._skip(action, f"depends on failed nodes {', '.join(sorted(foreign))}")
            return None
        nodes = tuple(n for n in action.nodes if n not in bad)
        if action.nodes and not nodes:
            self._skip(action, "every node failed in an earlier step")
            return None
        self.state[action.id].bad_nodes |= set(action.nodes) - set(nodes)
        return nodes

    def _skip(self, action: Action, why: str) -> None:
        st = self.state[action.id]
        st.bad_nodes |= set(action.nodes)
        st.failed_whole = not action.nodes
        self.skipped.append((action.id, why))
        self.sink(Event("skipped", action.id, action.kind.value, why, action.nodes))

    # -- running one action -----------------------------------------------------------------
    def _run_action(self, action_id: str, nodes: tuple[str, ...]) -> None:
        action = self.actions[action_id]
        started = time.monotonic()
        bound = log.bind(action_id=action_id, host=action.host, kind=action.kind)
        try:
            if action.kind.polled:
                verdict = self._wait(action, nodes)
            else:
                verdict = self._run_with_retries(action, nodes)
        except TransportError as exc:
            verdict = Verdict((), {"": exc.message}, exc.transient)
        self._record(action, nodes, verdict, time.monotonic() - started)
        bound.info("action.end", ok=verdict.ok, failed=sorted(verdict.failed))

    def _run_with_retries(self, action: Action, nodes: tuple[str, ...]) -> Verdict:
        """Runs the batch; sends it again only when it never left (NotSent) or the driver's judge
        found the failure transient. A lost answer (OutcomeUnknown) is re-observed, not re-sent."""
        todo, ok_nodes, values = nodes, list[str](), list[tuple[str, str]]()
        attempt = 0
        while True:
            try:
                command = self.runner.resolve(action, todo if action.nodes else None,
                                              self.values)
            except NotKnown as exc:
                return Verdict(tuple(ok_nodes), dict.fromkeys(todo or ("",), str(exc)), False)
            try:
                result = self.runner.run(action, command, self._timeout(action))
                verdict = self.driver.judge(action, todo, result, self.options.mn_name)
            except OutcomeUnknown as exc:
                verdict = self._reobserve(action, todo, command, exc)
            except NotSent as exc:
                verdict = Verdict((), {n: exc.message for n in todo} if todo else
                                  {"": exc.message}, True)
            ok_nodes.extend(verdict.ok_nodes)
            values.extend(verdict.values)
            if verdict.ok or not verdict.transient or attempt >= self.options.retries \
                    or self.cancel.is_set():
                return Verdict(tuple(ok_nodes), verdict.failed, verdict.transient,
                               tuple(sorted(values)))
            attempt += 1
            delay = self.options.backoff * 2 ** (attempt - 1)
            self.sink(Event("retry", action.id, action.kind.value,
                            f"attempt {attempt + 1} in {delay:.1f}s", tuple(verdict.failed)))
            self.cancel.wait(delay)
            todo = tuple(n for n in todo if n in verdict.failed)

    def _timeout(self, action: Action) -> float:
        """The planner's own limit for long operations (mksysb, power, install); the spec's
        `site.timeouts.command` for every command the planner left at the default."""
        if action.timeout != _DEFAULT_TIMEOUT:
            return float(action.timeout)
        return self.options.command_timeout

    def _reobserve(self, action: Action, nodes: tuple[str, ...], command: Command,
                   lost: OutcomeUnknown) -> Verdict:
        self.sink(Event("progress", action.id, action.kind.value,
                        "outcome unknown: re-observing instead of sending it again", nodes))
        self.runner.journal.write({"event": "command.unknown_outcome", "action": action.id,
                                   "host": action.host, "command": command.display(),
                                   "error": lost.message})
        def run_on(host: str, command: Command) -> Result:
            return self.runner.run(dataclasses.replace(action, host=host), command,
                                   self.options.command_timeout)

        decision = self.driver.reobserve(
            lambda c: self.runner.run(action, c, self.options.command_timeout),
            action, nodes, lost.message, run_on)
        self.runner.journal.write({"event": "reobserve", "action": action.id,
                                   "how": decision.note, "done": list(decision.done),
                                   "not_done": list(decision.not_done)})
        return decision.verdict

    def _wait(self, action: Action, nodes: tuple[str, ...]) -> Verdict:
        # No stall limit in the action (none planned) leaves only the total limit.
        stall = float(action.timeout if action.stall is None else action.stall)
        limits = WaitLimits(action.timeout, stall, self.options.poll_first,
                            self.options.poll_max, self.options.time_scale)

        def progress(node: str, phase: str) -> None:
            """Each phase an install shows (NIM info, a reference code) is journaled, so the
            run's record holds every node's timeline, not only its last poll."""
            self.runner.journal.write({"event": "wait.progress", "action": action.id,
                                       "node": node, "phase": phase})
            self.sink(Event("progress", action.id, action.kind.value, phase, (node,)))

        def run_on(host: str, command: Command) -> Result:
            return self.runner.run(dataclasses.replace(action, host=host), command,
                                   self.options.command_timeout)

        def run(command: Command) -> Result:
            return self.runner.run(action, command, self.options.command_timeout)

        def wait_for(waited: tuple[str, ...]) -> tuple[set[str], dict[str, str]]:
            return self.driver.wait_install(run, waited, limits, self.cancel, progress, action,
                                            run_on)

        done, failed = wait_for(nodes)
        remedy = remedies.offered(self.driver, action)
        if remedy is not None and failed and not self.cancel.is_set():
            hooks = remedies.Hooks(run, run_on, self._run_with_retries, wait_for,
                                   self.runner.journal.write, progress)
            done, failed = remedies.retry(remedy, action, (done, failed), self.actions,
                                          self.remedied, hooks)
        return Verdict(tuple(sorted(done)), failed, False)

    def _record(self, action: Action, nodes: tuple[str, ...], verdict: Verdict,
                duration: float) -> None:
        st = self.state[action.id]
        if verdict.values:
            self.values.update(verdict.values)  # before its dependants become ready
            self.runner.journal.write({"event": "values.read", "action": action.id,
                                       "values": dict(verdict.values)})
        st.ok_nodes |= set(verdict.ok_nodes)
        failed_nodes = {n for n in verdict.failed if n}
        st.bad_nodes |= failed_nodes
        if "" in verdict.failed:
            st.failed_whole = True
            st.bad_nodes |= set(nodes)
        if verdict.ok:
            self.done.append(action.id)
            self.sink(Event("partial" if st.bad_nodes else "done", action.id, action.kind.value,
                            nodes=nodes, duration=duration))
            return
        why = "\n".join(f"{n}: {t}" if n else t for n, t in sorted(verdict.failed.items()))
        aborted = self.cancel.is_set() and all("abandoned" in t for t in verdict.failed.values())
        if aborted:
            self.interrupted.append(action.id)
        else:
            self.failures.append(Failure(action.id, action.command(nodes or None).display(),
                                         tuple(sorted(failed_nodes)), None, why))
        if verdict.ok_nodes:
            self.done.append(action.id)
        self.sink(Event("failed", action.id, action.kind.value, why, tuple(sorted(failed_nodes)),
                        duration))
