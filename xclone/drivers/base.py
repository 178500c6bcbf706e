"""`DriverBase`: the `Driver` members that only hand a call on to one of the driver's modules.

Every driver keeps the same module layout (drivers/__init__.py): `probes`, `judges`, `adoption`
and `drift` each offer the function of the protocol's member under the same name. The base holds
those modules (typed by the protocols below, which mypy checks a module against) and forwards to
them; a driver subclasses it with what really differs between platforms: how it plans, how it
re-observes a lost answer and how it waits for an install.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from xclone.apply.checks import Verdict
from xclone.base.remote import Result
from xclone.observed.model import Facts, Observed
from xclone.observed.probes import AnyProbe, HmcTarget, ObservationTargets
from xclone.plan.action import Action
from xclone.plan.adoption import AdoptionPlan
from xclone.plan.changes import AttrDiff
from xclone.plan.document import Plan
from xclone.plan.kinds import Kind
from xclone.spec import Spec


class Probes(Protocol):
    def first_round(self, targets: ObservationTargets) -> tuple[AnyProbe, ...]: ...

    def second_round(self, target: HmcTarget, shown: frozenset[str],
                     timeout: float | None) -> tuple[AnyProbe, ...]: ...


class Judges(Protocol):
    def judge(self, action: Action, nodes: tuple[str, ...], result: Result,
              mn: str | None) -> Verdict: ...


class Adoptions(Protocol):
    def plan_adoption(self, spec: Spec, observed: Observed,
                      addresses: tuple[str, ...]) -> AdoptionPlan: ...

    def to_plan(self, adoption: AdoptionPlan, spec: Spec, observed_digest: str) -> Plan: ...


class Drift(Protocol):
    def expected_drift(self, type_: str, diff: AttrDiff) -> str | None: ...


@dataclass(frozen=True)
class DriverBase:
    """A driver's name, its kind enum and the modules its forwarding members call."""

    name: str
    kinds: Callable[[str], Kind]  # the driver's ActionKind: its value -> its member
    probes: Probes
    judges: Judges
    adoption: Adoptions
    drift: Drift

    def kind(self, value: str) -> Kind:
        return self.kinds(value)

    def first_round(self, targets: ObservationTargets) -> tuple[AnyProbe, ...]:
        return self.probes.first_round(targets)

    def second_round(self, target: HmcTarget, shown: frozenset[str],
                     timeout: float | None) -> tuple[AnyProbe, ...]:
        return self.probes.second_round(target, shown, timeout)

    def master_round(self, targets: ObservationTargets, facts: Facts) -> tuple[AnyProbe, ...]:
        """None by default: a driver overrides it for reads that need the first round."""
        return ()

    def adopt(self, spec: Spec, observed: Observed, addresses: tuple[str, ...],
              observed_digest: str) -> tuple[AdoptionPlan, Plan]:
        planned = self.adoption.plan_adoption(spec, observed, addresses)
        return planned, self.adoption.to_plan(planned, spec, observed_digest)

    def judge(self, action: Action, nodes: tuple[str, ...], result: Result,
              mn: str | None) -> Verdict:
        return self.judges.judge(action, nodes, result, mn)

    def expected_drift(self, type_: str, diff: AttrDiff) -> str | None:
        return self.drift.expected_drift(type_, diff)
