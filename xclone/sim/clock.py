"""The lab's simulated clock: scaled wall time plus explicit advances, or instant.

Simulated time is seconds since the Unix epoch read as UTC, so stored timestamps mean the same in
every process. `scale: 600` runs 600 simulated seconds per real second; `scale: 0` freezes the
clock so only `Lab.advance` and blocking commands move it; `instant` makes every duration zero.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any


@dataclass(frozen=True)
class Clock:
    start: float
    wall0: float
    scale: float = 0.0
    instant: bool = False
    offset: float = 0.0

    @classmethod
    def fresh(cls, start: datetime, scale: float, instant: bool) -> Clock:
        return cls(start.replace(tzinfo=UTC).timestamp(), time.time(), scale, instant)

    def now(self) -> float:
        running = 0.0 if self.instant else (time.time() - self.wall0) * self.scale
        return self.start + self.offset + running

    def duration(self, seconds: float) -> float:
        """How long a simulated operation lasts on this clock."""
        return 0.0 if self.instant else seconds

    def wall_seconds(self, seconds: float) -> float:
        """Real seconds a blocking command sleeps for `seconds` of simulated time."""
        if self.instant or self.scale <= 0:
            return 0.0
        return seconds / self.scale

    def advanced(self, seconds: float) -> Clock:
        return replace(self, offset=self.offset + seconds)

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "wall0": self.wall0, "scale": self.scale,
                "instant": self.instant, "offset": self.offset}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Clock:
        return cls(float(data["start"]), float(data["wall0"]), float(data["scale"]),
                   bool(data["instant"]), float(data["offset"]))


def stamp(t: float) -> datetime:
    return datetime.fromtimestamp(t, tz=UTC)


def xcat_time(t: float) -> str:
    """`statustime` as lsdef prints it: MM-DD-YYYY HH:MM:SS."""
    return stamp(t).strftime("%m-%d-%Y %H:%M:%S")


def aix_date(t: float) -> str:
    """`creation_date` as lsnim prints it: Wed Nov 25 10:41:07 2026."""
    d = stamp(t)
    return f"{d:%a %b} {d.day:2d} {d:%H:%M:%S %Y}"
