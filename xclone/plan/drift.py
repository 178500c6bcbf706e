"""Drift: how the objects xclone manages differ from the spec, read off the planner's own diff.

No second comparison: a plan already holds, per resource, the attribute differences between
what the spec wants and what the cluster shows (`ResourceChange.diffs`), the marked objects the
spec no longer has (deletes) and the ones it has that the cluster lacks (creates). Drift sorts
those into *surprising* (someone changed it by hand: postscripts, a MAC, a profile), *expected*
(what the platform's tools change by themselves, from the driver's table) and *ignored* (the
resource's `ignore_changes`). Without a state file xclone cannot tell "changed on the cluster"
from "changed in the spec and not applied yet": on an applied cluster, both mean it drifted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from xclone.base.address import Address
from xclone.base.mark import ownership_mark
from xclone.base.redact import MASK, is_secret_attribute
from xclone.plan.changes import AttrDiff, ChangeKind, ResourceChange
from xclone.plan.document import Plan
from xclone.spec.model import Spec

# A driver's expected-drift function (drivers/protocol.py ExpectsDrift): why the tools make
# this difference of a resource of that type, or None.
Classify = Callable[[str, AttrDiff], str | None]

SURPRISING, EXPECTED, IGNORED = "surprising", "expected", "ignored"


@dataclass(frozen=True)
class Finding:
    """One piece of evidence: the resource, the attribute (None for the whole object), the
    value the spec wants and the value observed, and why it is sorted where it is."""

    address: Address
    kind: str
    attribute: str | None
    spec: str | None
    observed: str | None
    why: str

    def to_json(self) -> dict[str, Any]:
        return {"address": str(self.address), "class": self.kind, "attribute": self.attribute,
                "spec": self.spec, "observed": self.observed, "why": self.why}


@dataclass(frozen=True)
class DriftReport:
    cluster: str
    driver: str
    findings: tuple[Finding, ...]
    has_table: bool  # whether the driver told expected drift apart

    def of(self, kind: str) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.kind == kind)

    @property
    def exit_code(self) -> int:
        """0 when nothing surprising drifted, 2 when something did (1 is left to errors)."""
        return 2 if self.of(SURPRISING) else 0

    def to_json(self) -> dict[str, Any]:
        return {
            "format_version": 1,
            "cluster": self.cluster,
            "driver": self.driver,
            "expected_drift_table": self.has_table,
            "summary": {k: len(self.of(k)) for k in (SURPRISING, EXPECTED, IGNORED)},
            "findings": [f.to_json() for f in self.findings],
        }


def classifier(driver: object) -> Classify | None:
    """The driver's `expected_drift`, or None for a driver that has no table."""
    found = getattr(driver, "expected_drift", None)
    return found if callable(found) else None


def ignored_by(spec: Spec, address: Address) -> frozenset[str]:
    """The resource's `ignore_changes`, spelled both ways (`prescripts_begin` as in the spec,
    `prescripts-begin` as xCAT prints it)."""
    sections: dict[str, dict[str, Any]] = {"lpar": spec.lpars, "group": spec.groups,
                                           "osimage": spec.osimages, "network": spec.networks}
    # `NAME@MASTER`: the resource's copy on another NIM master (drivers/nim/servers.py)
    resource = sections.get(address.type, {}).get(address.name.split("@", 1)[0])
    names = tuple(getattr(resource, "ignore_changes", ()))
    return frozenset({*names, *(n.replace("_", "-") for n in names),
                      *(n.replace("-", "_") for n in names)})


def _shown(attribute: str, value: str | None) -> str | None:
    return MASK if value is not None and is_secret_attribute(attribute) else value


def _attribute_findings(change: ResourceChange, ignored: frozenset[str],
                        classify: Classify | None) -> Iterable[Finding]:
    for diff in change.diffs:
        spec, seen = _shown(diff.name, diff.after), _shown(diff.name, diff.before)
        why = classify(change.type, diff) if classify is not None else None
        if diff.name in ignored:
            yield Finding(change.address, IGNORED, diff.name, spec, seen,
                          "listed in its ignore_changes")
        elif why is not None:
            yield Finding(change.address, EXPECTED, diff.name, spec, seen, why)
        else:
            yield Finding(change.address, SURPRISING, diff.name, spec, seen,
                          "changed outside xclone, or in the spec and not applied yet")


def _object_finding(change: ResourceChange, mark: str, steps: tuple[str, ...]) \
        -> Finding | None:
    """A whole object: marked but not wanted (a delete), wanted but missing (a create), or a
    change the planner found without an attribute to show (a missing NIM machine, an armed
    install): the reasons of its steps and its notes are the evidence."""
    if change.kind is ChangeKind.DELETE:
        return Finding(change.address, SURPRISING, None, "absent", "present",
                       f"carries the {mark} mark but the spec does not want it "
                       f"({change.reason}); `xclone apply` would remove it")
    if change.kind is ChangeKind.CREATE:
        return Finding(change.address, SURPRISING, None, "present", "absent",
                       "in the spec but not on the cluster: removed by hand, or never applied")
    if change.kind is ChangeKind.NOOP:
        return None
    why = "; ".join(dict.fromkeys((*steps, *change.notes)) or (change.reason,))
    return Finding(change.address, SURPRISING, None, None, None, why)


def left_alone_finding(address: Address, why: str, mark: str) -> Finding:
    """A marked object the spec does not keep and no plan removes (`why` says, in its tool's
    terms, what it is and how to settle it), so it is named, not removed."""
    return Finding(address, SURPRISING, None, "absent", "present",
                   f"carries the {mark} mark but the spec does not want it, and {why}")


def drift(plan: Plan, spec: Spec, classify: Classify | None,
          only: frozenset[str] = frozenset(),
          left_alone: Iterable[tuple[Address, str]] = ()) -> DriftReport:
    """The report of one plan; `only` keeps the findings of these addresses (`--target`);
    `left_alone`: the marked objects the spec does not keep that no plan removes, with why
    (address, why), which the plan cannot hold."""
    mark = ownership_mark(spec.cluster)
    reasons: dict[Address, list[str]] = {}
    for action in plan.actions:
        for address in action.addresses:
            reasons.setdefault(address, []).extend(action.reasons)
    findings: list[Finding] = []
    for change in sorted(plan.changes, key=lambda c: c.address):
        if only and str(change.address) not in only:
            continue
        if change.diffs:
            findings.extend(_attribute_findings(change, ignored_by(spec, change.address),
                                                classify))
            continue
        found = _object_finding(change, mark, tuple(reasons.get(change.address, ())))
        if found is not None:
            findings.append(found)
    findings.extend(left_alone_finding(address, why, mark) for address, why in left_alone
                    if not only or str(address) in only)
    findings.sort(key=lambda f: f.address)
    return DriftReport(plan.cluster, plan.driver, tuple(findings), classify is not None)
