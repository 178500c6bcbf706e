"""The executor's ready queue: which ready actions start now, under the global `--parallelism`
and each host's session limit, in priority order.

Priority is depth first (an action further down the graph before a shallower one, then by id;
depth counts order-only edges as dependencies: an action ordered after another is deeper):
a branch that has started is carried on before new ones are opened, so the NIM driver's first
LPARs are network-booted on their HMC while the master still defines the machines after them,
instead of every machine being defined before the first boot (the boots and installs are the
long part of an apply; the definitions only have to keep ahead of them). Ties keep the plan's
id order.

An action that finds its host's sessions or every slot taken waits in a held queue of its host
or of the whole run, and only the end of a command on that host (or of any command, for the
global queue) lets the best-ranked waiter try again: every action is queued a bounded number of
times, so ten thousand ready actions cost O(n log n), and a host at its limit never takes a
global slot from another host's work (a thread blocked on a full host would). Install waits
take no slot: they only poll. `benchmarks/model.py` schedules with this same queue.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

Rank = tuple[int, str]


@dataclass(frozen=True)
class Entry:
    """What the queue needs of an action."""

    id: str
    host: str
    polled: bool
    depends_on: tuple[str, ...]
    ordered_after: tuple[str, ...] = ()


def depths(entries: Iterable[Entry]) -> dict[str, int]:
    """Each action's depth: the most edges, dependencies or order-only, on a path from a root
    to it."""
    items = {e.id: e for e in entries}
    children: dict[str, list[str]] = {i: [] for i in items}
    waiting = {i: 0 for i in items}
    for entry in items.values():
        for dep in (*entry.depends_on, *entry.ordered_after):
            if dep in children:
                children[dep].append(entry.id)
                waiting[entry.id] += 1
    depth = dict.fromkeys(items, 0)
    todo = [i for i, n in waiting.items() if n == 0]
    while todo:
        node = todo.pop()
        for child in children[node]:
            depth[child] = max(depth[child], depth[node] + 1)
            waiting[child] -= 1
            if waiting[child] == 0:
                todo.append(child)
    return depth


class ReadyQueue:
    def __init__(self, entries: Iterable[Entry], parallelism: float,
                 limit: Callable[[str], float]) -> None:
        self._info: Mapping[str, Entry] = {e.id: e for e in entries}
        self._rank = {i: (-d, i) for i, d in depths(self._info.values()).items()}
        self._parallelism, self._limit = parallelism, limit
        self._ready: list[Rank] = []
        self._held_host: dict[str, list[Rank]] = {}
        self._held_all: list[Rank] = []
        self._busy: dict[str, int] = {}
        self._slots = 0
        self.pushes = 0  # heap insertions: what the scaling test counts

    def _push(self, queue: list[Rank], rank: Rank) -> None:
        self.pushes += 1
        heapq.heappush(queue, rank)

    def add(self, action_id: str) -> None:
        """An action whose dependencies and order-only predecessors have all finished."""
        self._push(self._ready, self._rank[action_id])

    def take(self) -> list[str]:
        """The ready actions that start now, best first; each holds its slot until `done`."""
        started: list[str] = []
        while self._ready or (self._held_all and self._slots < self._parallelism):
            if not self._ready:  # a slot is free and its last waiter went to its host's queue
                self._push(self._ready, heapq.heappop(self._held_all))
            rank = heapq.heappop(self._ready)
            entry = self._info[rank[1]]
            if not entry.polled:
                if self._busy.get(entry.host, 0) >= self._limit(entry.host):
                    self._push(self._held_host.setdefault(entry.host, []), rank)
                    continue
                if self._slots >= self._parallelism:
                    self._push(self._held_all, rank)
                    continue
                self._slots += 1
                self._busy[entry.host] = self._busy.get(entry.host, 0) + 1
            started.append(entry.id)
        return started

    def done(self, action_id: str) -> None:
        """A started action ended (or was skipped): its session and slot are free again."""
        entry = self._info[action_id]
        if entry.polled:
            return
        self._slots -= 1
        self._busy[entry.host] -= 1
        for queue in (self._held_host.get(entry.host), self._held_all):
            if queue:
                self._push(self._ready, heapq.heappop(queue))

    @property
    def running(self) -> int:
        """Commands holding a slot (install waits not counted)."""
        return self._slots

    def pending(self) -> list[str]:
        """Every action ready but not started, in no particular order."""
        queues = [self._ready, self._held_all, *self._held_host.values()]
        return [rank[1] for queue in queues for rank in queue]
