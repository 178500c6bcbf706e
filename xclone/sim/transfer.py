"""NIM installs sharing the master's network: when each install's mksysb transfer reaches a point.

Each install restores `size` MB from the master. Alone it goes at its client's own pace
(`rate_cap`: the size over the restore time of one install); several at once share the master's
`bandwidth` fairly, each getting min(rate_cap, bandwidth / active) MB/s, so 1,000 installs at once
are not as fast as one (IBM, AIX "Using concurrency control": NIM installs of many clients at once
are slowed by network bandwidth or the NIM server's workload).

The schedule is a pure function of the set of transfers and their start times (processor
sharing in virtual time: every active transfer has received the same amount V(t), which grows at
the per-transfer rate). A transfer is only ever added with a start at or after the moment it is
added, and a later arrival changes nothing before its start, so the lab's lazy clock reads the
same state however often, and whenever, it is read.

The same property makes the schedule cheap to keep up to date: everything before the latest
start is final, so one more transfer starting after it (`extend`) only reworks the
time since then, and what comes after the latest start (the departures alone) is worked out only
as far as a question needs it. The answers equal a schedule built from scratch to the last bit:
the same steps run in the same order.
"""

from __future__ import annotations

import heapq
import threading
from bisect import bisect_left
from dataclasses import dataclass


@dataclass(frozen=True)
class Transfer:
    key: str
    start: float
    size: float  # MB


class Sharing:
    """The fair-share schedule of a set of transfers through one master."""

    def __init__(self, transfers: list[Transfer], bandwidth: float, rate_cap: float) -> None:
        self._bandwidth, self._rate_cap = bandwidth, rate_cap
        self._start_v: dict[str, float] = {}
        self._size: dict[str, float] = {}
        # breakpoints of V(t): segment i runs from times[i] at V = values[i] with slope rates[i]
        self.times: list[float] = []
        self.values: list[float] = []
        self.rates: list[float] = []
        self._finish: dict[str, float] = {}
        self._arrivals = sorted(transfers, key=lambda t: (t.start, t.key))
        self._active: list[tuple[float, str]] = []  # heap of (V at which it is done, key)
        self._now = self._arrivals[0].start if self._arrivals else 0.0
        self._v = 0.0
        self._next = 0  # arrivals taken in
        self._lock = threading.Lock()
        self._step_until(len(self._arrivals))
        self._mark()

    def _mark(self) -> None:
        """Remember the state just after the latest arrival: where a later one resumes."""
        self._kept = (self._now, self._v, list(self._active), len(self.times))
        self._ended_since: list[str] = []  # finished after the mark

    def _step(self) -> bool:
        """One event (the next arrival, or the next departures); False when all are done."""
        active, arrivals = self._active, self._arrivals
        if not active and self._next == len(arrivals):
            return False
        slope = min(self._rate_cap, self._bandwidth / len(active)) if active else 0.0
        self.times.append(self._now)
        self.values.append(self._v)
        self.rates.append(slope)
        done_at = self._now + (active[0][0] - self._v) / slope if active else float("inf")
        arrive_at = arrivals[self._next].start if self._next < len(arrivals) else float("inf")
        if arrive_at <= done_at:
            self._v += slope * (arrive_at - self._now)
            self._now = arrive_at
            job = arrivals[self._next]
            self._next += 1
            self._start_v[job.key] = self._v
            self._size[job.key] = job.size
            heapq.heappush(active, (self._v + job.size, job.key))
        else:
            self._v, self._now = active[0][0], done_at
            while active and active[0][0] <= self._v:
                key = heapq.heappop(active)[1]
                self._finish[key] = self._now
                if self._next == len(arrivals):
                    self._ended_since.append(key)
        return True

    def _step_until(self, arrived: int) -> None:
        while self._next < arrived:
            self._step()

    def extend(self, transfer: Transfer) -> bool:
        """Add one more transfer, reworking the schedule from its latest start, when it starts
        after every one it holds (the lab's installs do, one network boot after another);
        False, and nothing changed, when it does not: a schedule built anew is needed then."""
        last = self._arrivals[-1] if self._arrivals else None
        if last is None or (transfer.start, transfer.key) <= (last.start, last.key):
            return False
        with self._lock:
            now, v, active, count = self._kept
            self._now, self._v, self._active = now, v, list(active)
            del self.times[count:], self.values[count:], self.rates[count:]
            for key in self._ended_since:
                del self._finish[key]
            self._arrivals.append(transfer)
            self._step_until(len(self._arrivals))
            self._mark()
        return True

    def __contains__(self, key: str) -> bool:
        return key in self._size

    @property
    def finish(self) -> dict[str, float]:
        """When each transfer has moved all of its size."""
        with self._lock:
            while self._step():
                pass
            return self._finish

    def reaches(self, key: str, fraction: float) -> float:
        """The moment transfer `key` has moved `fraction` (0..1) of its size."""
        with self._lock:
            if fraction >= 1.0:
                while key not in self._finish and self._step():
                    pass
                return self._finish[key]
            target = self._start_v[key] + fraction * self._size[key]
            while (not self.values or self.values[-1] < target) and self._step():
                pass
            index = max(bisect_left(self.values, target) - 1, 0)
            while True:
                if index + 1 >= len(self.values) and self._step():
                    continue  # the breakpoint after this one decides: work it out
                if self.rates[index] > 0 and (index + 1 >= len(self.values)
                                              or self.values[index + 1] >= target):
                    break
                index += 1
            return self.times[index] + (target - self.values[index]) / self.rates[index]
