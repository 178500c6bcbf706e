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
"""

from __future__ import annotations

import heapq
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
        self._start_v: dict[str, float] = {}
        self._size: dict[str, float] = {}
        # breakpoints of V(t): segment i runs from times[i] at V = values[i] with slope rates[i]
        self.times: list[float] = []
        self.values: list[float] = []
        self.rates: list[float] = []
        self.finish: dict[str, float] = {}
        arrivals = sorted(transfers, key=lambda t: (t.start, t.key))
        active: list[tuple[float, str]] = []  # heap of (V at which the transfer is done, key)
        now, v, i = (arrivals[0].start if arrivals else 0.0), 0.0, 0

        def rate() -> float:
            return min(rate_cap, bandwidth / len(active)) if active else 0.0

        while i < len(arrivals) or active:
            slope = rate()
            self.times.append(now)
            self.values.append(v)
            self.rates.append(slope)
            done_at = now + (active[0][0] - v) / slope if active else float("inf")
            arrive_at = arrivals[i].start if i < len(arrivals) else float("inf")
            if arrive_at <= done_at:
                v += slope * (arrive_at - now)
                now = arrive_at
                job = arrivals[i]
                i += 1
                self._start_v[job.key] = v
                self._size[job.key] = job.size
                heapq.heappush(active, (v + job.size, job.key))
            else:
                v, now = active[0][0], done_at
                while active and active[0][0] <= v:
                    self.finish[heapq.heappop(active)[1]] = now

    def __contains__(self, key: str) -> bool:
        return key in self._size

    def reaches(self, key: str, fraction: float) -> float:
        """The moment transfer `key` has moved `fraction` (0..1) of its size."""
        if fraction >= 1.0:
            return self.finish[key]
        target = self._start_v[key] + fraction * self._size[key]
        index = max(bisect_left(self.values, target) - 1, 0)
        while self.rates[index] <= 0 or (index + 1 < len(self.values)
                                         and self.values[index + 1] < target):
            index += 1
        return self.times[index] + (target - self.values[index]) / self.rates[index]
