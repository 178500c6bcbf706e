"""What every resource planner reads (spec, observation, options) and what it writes (changes,
steps, errors). Errors are collected, not raised, so one plan run reports all of them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from xclone.base.address import Address
from xclone.base.diagnostics import Diagnostic
from xclone.base.errors import XcloneError
from xclone.base.mark import NIM_ATTR, XCAT_ATTR, carries, ownership_mark
from xclone.observed.model import NimObject, Observed, XcatObject
from xclone.plan.action import Step
from xclone.plan.changes import ResourceChange
from xclone.spec.model import Spec


@dataclass(frozen=True)
class PlanOptions:
    replace: frozenset[str] = frozenset()
    targets: frozenset[str] = frozenset()
    destroy: bool = False
    # Remedies apply may run for failures the runbook names (`--remediate boot-services`).
    remediate: frozenset[str] = frozenset()


@dataclass
class Context:
    spec: Spec
    observed: Observed
    options: PlanOptions
    changes: list[ResourceChange] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    errors: list[Diagnostic] = field(default_factory=list)

    @property
    def mark(self) -> str:
        """The ownership mark xclone writes into xCAT `usercomment` and NIM `comments`."""
        return ownership_mark(self.spec.cluster)

    @property
    def mn(self) -> str:
        return self.spec.management_node.host

    def owns(self, obj: XcatObject | NimObject | None) -> bool:
        if obj is None:
            return False
        attr = XCAT_ATTR if isinstance(obj, XcatObject) else NIM_ATTR
        return carries(obj.get(attr), self.mark)

    def error(self, address: Address, message: str) -> None:
        self.errors.append(Diagnostic(message, self.spec.location(str(address)), str(address)))

    def conflict(self, address: Address, what: str) -> None:
        self.error(
            address,
            f"{what} already exists and is not managed by xclone (no '{self.mark}' mark); "
            f"adopt it with `xclone import SPEC {address}` or rename it in the spec",
        )

    def add(self, change: ResourceChange, steps: Iterable[Step] = ()) -> None:
        self.changes.append(change)
        self.steps.extend(steps)

    def raise_errors(self) -> None:
        if self.errors:
            diags = sorted(self.errors, key=Diagnostic.sort_key)
            raise XcloneError(f"plan failed: {len(diags)} error(s)", diags)
