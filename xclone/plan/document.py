"""The plan document: frozen, JSON-serialisable, the same bytes for the same inputs.

`to_json` is the `--format json` document (format_version 1, Terraform-shaped resource_changes);
`from_json` reads a saved plan file back for `apply PLANFILE` and `show`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from xclone.base.address import Address
from xclone.base.command import Command
from xclone.base.errors import XcloneError
from xclone.base.secret import MASK, masked, refs_in
from xclone.drivers import registry
from xclone.plan.action import Action
from xclone.plan.changes import AttrDiff, ChangeKind, ResourceChange

if TYPE_CHECKING:
    from xclone.drivers.protocol import Driver

FORMAT_VERSION = 1
SECRET_ATTRS = frozenset({"password"})


class PlanFormatError(ValueError):
    """A well-formed document this xclone cannot take as a plan (an action kind it does not
    know, an address that does not parse): the message says which entry and why."""


@dataclass(frozen=True)
class Plan:
    cluster: str
    spec_digest: str
    observed_digest: str
    changes: tuple[ResourceChange, ...]
    actions: tuple[Action, ...]
    source: str = "live"
    driver: str = registry.DEFAULT  # the driver that planned it, and whose kinds the actions are

    def counts(self) -> dict[str, int]:
        counts = {"add": 0, "change": 0, "reinstall": 0, "destroy": 0, "read": 0}
        names = {
            ChangeKind.CREATE: "add",
            ChangeKind.UPDATE: "change",
            ChangeKind.REPLACE: "reinstall",
            ChangeKind.DELETE: "destroy",
            ChangeKind.READ: "read",
        }
        for change in self.changes:
            if change.kind in names:
                counts[names[change.kind]] += 1
        return counts

    def summary(self) -> str:
        c = self.counts()
        return (
            f"Plan: {c['add']} to add, {c['change']} to change, {c['reinstall']} to reinstall, "
            f"{c['destroy']} to destroy."
        )

    @property
    def empty(self) -> bool:
        return not self.actions

    def commands(self) -> list[tuple[Action, Command]]:
        return [(a, a.command()) for a in self.actions]


def _mask(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    return {k: (MASK if k in SECRET_ATTRS else v) for k, v in sorted(values.items())}


def change_to_json(c: ResourceChange) -> dict[str, Any]:
    return {
        "address": str(c.address),
        "type": c.type,
        "name": c.name,
        "change": {
            "actions": list(c.kind.actions),
            "before": _mask(c.before),
            "after": _mask(c.after),
            "attributes": [{"name": d.name, "before": d.before, "after": d.after} for d in c.diffs],
        },
        "reason": c.reason,
        "destructive": c.destructive,
        "notes": list(c.notes),
    }


def action_to_json(a: Action) -> dict[str, Any]:
    cmd = a.command()
    found = {
        "id": a.id,
        "kind": a.kind.value,
        "host": a.host,
        "mode": a.mode,
        "command": cmd.display(),
        "stdin": None if cmd.stdin is None else masked(cmd.stdin),
        "argv": {
            "before": list(a.before),
            "after": list(a.after_words),
            "env": [list(e) for e in a.env],
        },
        "nodes": list(a.nodes),
        "batch_size": max(1, len(a.nodes)),
        "stdin_parts": [list(p) for p in a.stdin_parts],
        "addresses": [str(address) for address in a.addresses],
        "depends_on": list(a.depends_on),
        "destructive": a.destructive,
        "reasons": list(a.reasons),
        "timeout": a.timeout,
        "stall": a.stall,
        "secret_refs": sorted({r.describe() for _, t in a.stdin_parts for r in refs_in(t)}),
    }
    if a.extra:
        found["extra"] = dict(a.extra)
    if a.ordered_after:  # only when some: plans without order-only edges keep their bytes
        found["ordered_after"] = list(a.ordered_after)
    return found


def to_json(plan: Plan) -> dict[str, Any]:
    return {
        "format_version": FORMAT_VERSION,
        "cluster": plan.cluster,
        "driver": plan.driver,
        "source": plan.source,
        "spec_digest": plan.spec_digest,
        "observed_digest": plan.observed_digest,
        "summary": {**plan.counts(), "text": plan.summary(), "actions": len(plan.actions)},
        "resource_changes": [change_to_json(c) for c in plan.changes],
        "actions": [action_to_json(a) for a in plan.actions],
    }


def _kind(actions: list[str]) -> ChangeKind:
    for kind in ChangeKind:
        if list(kind.actions) == actions:
            return kind
    raise ValueError(f"unknown change actions {actions}")


def _parse(text: str) -> Address:
    try:
        return Address.parse(text)
    except ValueError as exc:
        raise PlanFormatError(str(exc)) from None


def _address(c: dict[str, Any]) -> Address:
    address = _parse(c["address"])
    if (address.type, address.name) != (c["type"], c["name"]):
        raise PlanFormatError(f"resource change {c['address']!r} has type {c['type']!r} and "
                              f"name {c['name']!r}")
    return address


def _action(a: dict[str, Any], driver: Driver) -> Action:
    try:
        kind = driver.kind(a["kind"])
    except ValueError:
        raise PlanFormatError(f"action {a['id']} has an unknown kind {a['kind']!r}: make the "
                              "plan again with this xclone") from None
    action = Action(
        id=a["id"],
        kind=kind,
        host=a["host"],
        before=tuple(a["argv"]["before"]),
        after_words=tuple(a["argv"]["after"]),
        nodes=tuple(a["nodes"]),
        stdin_parts=tuple((p[0], p[1]) for p in a["stdin_parts"]),
        addresses=tuple(_parse(t) for t in a["addresses"]),
        depends_on=tuple(a["depends_on"]),
        destructive=a["destructive"],
        reasons=tuple(a["reasons"]),
        timeout=a["timeout"],
        stall=a["stall"],
        env=tuple((e[0], e[1]) for e in a["argv"]["env"]),
        extra=tuple(sorted((str(k), str(v)) for k, v in a.get("extra", {}).items())),
        ordered_after=tuple(a.get("ordered_after", ())),
    )
    if a["mode"] != action.mode:
        raise PlanFormatError(f"action {a['id']} of kind {kind.value} has mode {a['mode']!r}, "
                              f"not {action.mode!r}")
    return action


def from_json(data: dict[str, Any]) -> Plan:
    """Read a plan document back. Raises PlanFormatError on entries this xclone cannot take,
    KeyError/ValueError on a malformed document; the caller turns either into a user error
    naming the file."""
    if data.get("format_version") != FORMAT_VERSION:
        raise ValueError(f"unsupported plan format_version {data.get('format_version')!r}")
    changes = tuple(
        ResourceChange(
            _address(c),
            _kind(c["change"]["actions"]),
            c["change"]["before"],
            c["change"]["after"],
            tuple(AttrDiff(d["name"], d["before"], d["after"]) for d in c["change"]["attributes"]),
            c["reason"],
            c["destructive"],
            tuple(c["notes"]),
        )
        for c in data["resource_changes"]
    )
    # Documents from before drivers existed carry no name: they were all made by the xCAT path.
    name = data.get("driver", registry.DEFAULT)
    try:
        driver = registry.driver(name)
    except XcloneError as exc:
        raise PlanFormatError(f"the plan names the driver {name!r}: {exc.message}") from None
    actions = tuple(_action(a, driver) for a in data["actions"])
    return Plan(
        data["cluster"],
        data["spec_digest"],
        data["observed_digest"],
        changes,
        actions,
        data["source"],
        driver.name,
    )
