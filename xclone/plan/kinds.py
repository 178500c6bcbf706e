"""What the driver-neutral core reads of an action kind: each driver has its own closed enum.

A driver's kinds (drivers/xcat/kinds.py `ActionKind`) say where a kind sorts among actions at the
same depth, how apply judges its results, whether it removes objects and which read-back
re-observes it. The graph, the result checks, the policy and the renderers read only this
protocol, so that they never name a platform command; plan documents carry the kind's `value`
and read it back through the driver the document names.
"""

from __future__ import annotations

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
