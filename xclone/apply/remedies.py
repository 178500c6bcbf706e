"""Remedying the failed nodes of an install wait: `xclone apply --remediate`, never by default.

The driver says which failed nodes its remedy addresses (from what the cluster shows, not from
the failure's words), which commands run on which install server (the wait's host, or an xCAT
service node), and which of the plan's own actions boot a node again (drivers/protocol.py
`Remedy`); both drivers' remedies run only here. Here the core runs them in that order,
each command through the runner (so journaled like any other), then waits again for the nodes
booted anew. A node is remedied at most once per run: the `tried` set outlives the wait.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from xclone.apply.checks import Verdict
from xclone.apply.waits import Progress, Run, RunOn
from xclone.base.errors import TransportError
from xclone.drivers.protocol import Remedy
from xclone.plan.action import Action

Outcome = tuple[set[str], dict[str, str]]  # installed nodes, failed node -> why


@dataclass(frozen=True)
class Hooks:
    """How the executor runs things for a remedy of one wait."""

    run: Run  # a command on the wait's host
    run_on: RunOn  # a command on another host: read-only, or the remedy's own
    boot: Callable[[Action, tuple[str, ...]], Verdict]  # a plan action, judged as in the plan
    wait: Callable[[tuple[str, ...]], Outcome]  # the same wait, for these nodes only
    journal: Callable[[dict[str, Any]], None]
    progress: Progress


@dataclass
class Tried:
    """The nodes remedied so far in this run (waits run in threads of their own)."""

    nodes: set[str]
    lock: threading.Lock

    def claim(self, nodes: tuple[str, ...]) -> tuple[str, ...]:
        with self.lock:
            fresh = tuple(n for n in nodes if n not in self.nodes)
            self.nodes.update(fresh)
            return fresh


def offered(driver: object, wait: Action) -> Remedy | None:
    """The driver's remedy for this wait, for a driver that offers remedies at all."""
    remedy: Callable[[Action], Remedy | None] | None = getattr(driver, "remedy", None)
    return None if remedy is None else remedy(wait)


def retry(remedy: Remedy, wait: Action, outcome: Outcome, actions: Mapping[str, Action],
          tried: Tried, hooks: Hooks) -> Outcome:
    """The wait's outcome after remedying the failed nodes the remedy addresses."""
    done, failed = set(outcome[0]), dict(outcome[1])
    if not failed:
        return done, failed
    # The plan decides first (no command is sent for a failure no planned boot may repeat).
    boots = {n: b for n, b in remedy.boots(wait, tuple(sorted(n for n in failed if n)),
                                            actions).items() if b and n in failed}
    picked = remedy.candidates(wait, {n: failed[n] for n in boots}, hooks.run,
                               hooks.run_on) if boots else ()
    nodes = tried.claim(tuple(sorted(n for n in picked if n in boots)))
    if not nodes:
        return done, failed
    hooks.journal({"event": "remedy.start", "action": wait.id, "remedy": remedy.name,
                   "nodes": list(nodes)})
    for node in nodes:
        hooks.progress(node, f"{remedy.name}: remedying, then booting it again")
    where = remedy.host(wait)
    for command in remedy.commands(wait):
        # An unreachable install server fails the remedy, not the wait: its installed nodes
        # stay installed.
        try:
            result = hooks.run(command) if where == wait.host else hooks.run_on(where, command)
            problem = None if result.exit_status == 0 else \
                f"exited {result.exit_status}: {(result.stderr or result.stdout).strip()}"
        except TransportError as exc:
            problem = f"was not answered: {exc.message}"
        if problem is not None:
            for node in nodes:
                failed[node] += (f"; the {remedy.name} remedy failed: `{command.display()}` "
                                 f"{problem}")
            hooks.journal({"event": "remedy.end", "action": wait.id, "ok": False})
            return done, failed
    booted = _boot_again(remedy.name, {n: boots[n] for n in nodes}, hooks, failed)
    if booted:
        again_done, again_failed = hooks.wait(tuple(booted))
        for node in booted:
            del failed[node]
        done |= again_done
        # the driver may retell the advice its wait gives: the remedy it offers was just tried
        retell: Callable[[str], str] = getattr(remedy, "after", str)
        failed.update({n: f"after the {remedy.name} remedy and a new boot: {retell(why)}"
                       for n, why in again_failed.items()})
    hooks.journal({"event": "remedy.end", "action": wait.id, "ok": True,
                   "installed": sorted(set(booted) & done)})
    return done, failed


def _boot_again(name: str, boots: Mapping[str, tuple[Action, ...]], hooks: Hooks,
                failed: dict[str, str]) -> list[str]:
    """Runs each node's boots again; the nodes that share one batched action (one boot
    command over a noderange) are booted by one command, as the plan booted them. Returns the
    nodes booted; the others' failures are set in `failed`."""
    chains: dict[tuple[Action, ...], list[str]] = {}
    for node, chain in boots.items():
        chains.setdefault(chain, []).append(node)
    booted: list[str] = []
    for chain, members in chains.items():
        left = tuple(members)
        for action in chain:
            if not left:
                break
            verdict = hooks.boot(action, left)
            bad = {n: why for n in left
                   if (why := verdict.failed.get(n, verdict.failed.get(""))) is not None}
            for node, why in bad.items():
                failed[node] = (f"booted again after the {name} remedy, but "
                                f"{action.kind.value} failed: {why or 'failed'}")
            left = tuple(n for n in left if n not in bad)
        booted.extend(left)
    return booted
