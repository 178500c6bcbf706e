"""A judged result: which nodes a command (or a wait) got done, which failed and why.

The driver judges its own commands (drivers/xcat/judges.py: exit status AND what the output
says); the executor acts on the verdict: records it, retries a transient failure, stops the
failed nodes' branches.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Verdict:
    ok_nodes: tuple[str, ...]
    failed: dict[str, str]  # node ("" for the whole command) -> why
    transient: bool
    # What the command read for later commands of this apply (base/known_after.py): sorted
    # (key, value) pairs, e.g. the MAC `lpar_netboot -M -n` discovered for a partition.
    values: tuple[tuple[str, str], ...] = ()

    @property
    def ok(self) -> bool:
        return not self.failed


@dataclass(frozen=True)
class Decision:
    """What re-observing found: the verdict the executor records and what the journal keeps."""

    verdict: Verdict
    done: tuple[str, ...]
    not_done: tuple[str, ...]
    note: str  # how it was decided, for the journal's `reobserve` record
