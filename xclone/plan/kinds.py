"""What the driver-neutral core reads of an action kind: each driver has its own closed enum.

A driver's kinds (drivers/xcat/kinds.py `ActionKind`) say where a kind sorts among actions at the
same depth, how apply judges its results, whether it removes objects and which read-back
re-observes it. The graph, the result checks, the policy and the renderers read only this
protocol, so that they never name a platform command; plan documents carry the kind's `value`
and read it back through the driver the document names. A driver's enum mixes in `KindTable`
and keeps one `KindInfo` row per kind, so every driver reads its table the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class Kind(Protocol):
    """One action kind of a driver (a `StrEnum` member: hashable, its `value` is its name)."""

    @property
    def value(self) -> str: ...

    @property
    def order(self) -> int:
        """Rank among actions at the same depth of the graph (lower first)."""
        ...

    @property
    def recheck(self) -> str | None:
        """The name of its read-back when an answer was lost, or None when it has none."""
        ...

    @property
    def removes(self) -> bool: ...

    @property
    def per_node(self) -> bool:
        """Judged per node (for the nodes its action names)."""
        ...

    @property
    def hardware(self) -> bool:
        """An exit status that says the link to the hardware failed is worth a retry."""
        ...

    @property
    def polled(self) -> bool:
        """Waited for by polling, not run once and judged."""
        ...

    @property
    def noderange(self) -> bool:
        """Its nodes go on the command line as one xCAT noderange word (`node[01-02]`); False
        when each node is a word of its own (NIM's `lsnim -l node01 node02`)."""
        ...


# The values a driver's own `Judging` enum gives the two judgings the core reads by name.
HARDWARE = "hardware"
POLLED = "polled"


@dataclass(frozen=True)
class KindInfo:
    """One row of a driver's kind table: its `judging` is a member of that driver's `Judging`."""

    order: int
    judging: StrEnum
    recheck: str | None = None
    removes: bool = False


class KindTable:
    """The `Kind` properties that every driver reads the same way from its own table.

    Mixed into a driver's `ActionKind(KindTable, StrEnum)`, which gives `info` (its row of the
    driver's table) and the two properties that differ by platform, `per_node` and `noderange`.
    """

    @property
    def info(self) -> KindInfo:
        """This kind's row of its driver's table."""
        raise NotImplementedError

    @property
    def order(self) -> int:
        """Rank among actions at the same depth of the graph (lower first)."""
        return self.info.order

    @property
    def recheck(self) -> str | None:
        """The name of its read-back in the driver's reobserve module, or None when it has none."""
        return self.info.recheck

    @property
    def removes(self) -> bool:
        return self.info.removes

    @property
    def hardware(self) -> bool:
        """A hardware command: a failed link to the HMC is worth a retry (the driver's judges)."""
        return self.info.judging == HARDWARE

    @property
    def polled(self) -> bool:
        """Waited for by polling, not run once and judged."""
        return self.info.judging == POLLED
