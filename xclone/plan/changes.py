"""Change kinds per resource, as Terraform names them; the reason text is for display only."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from xclone.base.address import Address


class ChangeKind(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    REPLACE = "replace"
    DELETE = "delete"
    READ = "read"
    NOOP = "no-op"

    @property
    def symbol(self) -> str:
        return _SYMBOLS[self]

    @property
    def actions(self) -> tuple[str, ...]:
        """The Terraform JSON plan `change.actions` list for this kind."""
        return _TF_ACTIONS[self]


_SYMBOLS = {
    ChangeKind.CREATE: "+",
    ChangeKind.UPDATE: "~",
    ChangeKind.REPLACE: "-/+",
    ChangeKind.DELETE: "-",
    ChangeKind.READ: "<=",
    ChangeKind.NOOP: " ",
}
_TF_ACTIONS = {
    ChangeKind.CREATE: ("create",),
    ChangeKind.UPDATE: ("update",),
    ChangeKind.REPLACE: ("delete", "create"),
    ChangeKind.DELETE: ("delete",),
    ChangeKind.READ: ("read",),
    ChangeKind.NOOP: ("no-op",),
}

# Risk order used by renderers: what can cost a node comes first.
RISK_ORDER = {
    ChangeKind.REPLACE: 0,
    ChangeKind.DELETE: 1,
    ChangeKind.READ: 2,
    ChangeKind.CREATE: 3,
    ChangeKind.UPDATE: 4,
    ChangeKind.NOOP: 5,
}


@dataclass(frozen=True)
class AttrDiff:
    name: str
    before: str | None
    after: str | None


@dataclass(frozen=True, slots=True)
class ResourceChange:
    address: Address
    kind: ChangeKind
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    diffs: tuple[AttrDiff, ...] = ()
    reason: str = ""
    destructive: bool = False
    notes: tuple[str, ...] = field(default=())

    @property
    def type(self) -> str:
        return self.address.type

    @property
    def name(self) -> str:
        return self.address.name

    def risk_key(self) -> tuple[int, int, Address]:
        return (0 if self.destructive else 1, RISK_ORDER[self.kind], self.address)
