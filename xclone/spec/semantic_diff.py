"""The semantic change between two spec revisions, by resource address, with no system contacted.

A reviewer needs to know what a pull request changes before CI has credentials to plan it. A text
diff of the YAML tells that poorly: moving 60 LPARs into a range, or a value into lpar_defaults,
rewrites many lines and changes nothing. Comparing the resolved specs (defaults applied, ranges
expanded) shows only what the cluster would see.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from xclone.base.address import RESOURCE_TYPES, Address
from xclone.spec.model import Spec


class DiffKind(StrEnum):
    """How a resource differs between two spec revisions, in the order summaries count them.

    The symbols are the plan's for the same direction (`+` appears, `~` changes, `-` goes), but
    the concept is not the plan's ChangeKind: a spec diff says what the document asks, not what
    apply will do (a changed osimage is a reinstall, a removed LPAR a cleanup of marked objects).
    """

    ADD = "add"
    CHANGE = "change"
    REMOVE = "remove"

    @property
    def symbol(self) -> str:
        return {"add": "+", "change": "~", "remove": "-"}[self.value]

    @property
    def past(self) -> str:
        """The word a table cell shows: `added`, `changed`, `removed`."""
        return {"add": "added", "change": "changed", "remove": "removed"}[self.value]


Value = str | int | bool | list[Any] | None


@dataclass(frozen=True)
class AttrChange:
    name: str
    before: Value
    after: Value


@dataclass(frozen=True)
class SpecChange:
    address: str
    kind: DiffKind
    attributes: tuple[AttrChange, ...]

    @property
    def type(self) -> str:
        return self.address.partition(".")[0]

    @property
    def name(self) -> str:
        return self.address.partition(".")[2]


def _flat(data: dict[str, Any], prefix: str = "") -> dict[str, Value]:
    """Nested maps become dotted names (`resources.resolv_conf`), so each leaf diffs alone."""
    found: dict[str, Value] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            found.update(_flat(value, f"{name}.") if value else {name: None})
        else:
            found[name] = value
    return found


def _dump(model: BaseModel, drop: tuple[str, ...] = ()) -> dict[str, Value]:
    data = model.model_dump(mode="json")
    return _flat({k: v for k, v in data.items() if k not in drop})


def resources(spec: Spec) -> dict[str, dict[str, Value]]:
    """Every resource the spec declares, by address, as flat attribute -> value."""
    found: dict[str, dict[str, Value]] = {
        str(Address("site", spec.cluster)): {
            **_dump(spec.site),
            **{f"management_node.{k}": v for k, v in _dump(spec.management_node).items()},
        },
    }
    found.update({str(Address("hmc", n)): _dump(h) for n, h in spec.hmcs.items()})
    found.update({str(Address("cec", c)): {"hmc": h} for c, h in spec.cecs().items()})
    found.update({str(Address("network", n)): _dump(v) for n, v in spec.networks.items()})
    found.update({str(Address("osimage", n)): _dump(v) for n, v in spec.osimages.items()})
    found.update({str(Address("group", n)): _dump(v) for n, v in spec.groups.items()})
    found.update({str(Address("lpar", n)): _dump(v, ("name",)) for n, v in spec.lpars.items()})
    return found


def _order(address: str) -> tuple[int, str]:
    kind = address.partition(".")[0]
    return (RESOURCE_TYPES.index(kind) if kind in RESOURCE_TYPES else len(RESOURCE_TYPES),
            address)


def _attrs(before: dict[str, Value], after: dict[str, Value]) -> tuple[AttrChange, ...]:
    """Differing attributes; an empty list means unset, so an added LPAR lists what it sets."""
    def get(values: dict[str, Value], name: str) -> Value:
        value = values.get(name)
        return None if value == [] else value

    names = sorted(set(before) | set(after))
    return tuple(AttrChange(n, get(before, n), get(after, n)) for n in names
                 if get(before, n) != get(after, n))


def diff_specs(old: Spec, new: Spec) -> tuple[SpecChange, ...]:
    """What changes from `old` to `new`, in address order (the order a plan reads)."""
    before, after = resources(old), resources(new)
    changes: list[SpecChange] = []
    for address in sorted(set(before) | set(after), key=_order):
        if address not in after:
            changes.append(SpecChange(address, DiffKind.REMOVE, _attrs(before[address], {})))
        elif address not in before:
            changes.append(SpecChange(address, DiffKind.ADD, _attrs({}, after[address])))
        else:
            attrs = _attrs(before[address], after[address])
            if attrs:
                changes.append(SpecChange(address, DiffKind.CHANGE, attrs))
    return tuple(changes)


def counts(changes: tuple[SpecChange, ...]) -> dict[str, int]:
    """How many resources differ in each way, every kind present, in DiffKind order."""
    return {kind.value: sum(1 for c in changes if c.kind == kind) for kind in DiffKind}


def summary(changes: tuple[SpecChange, ...]) -> str:
    found = counts(changes)
    return "Spec diff: " + ", ".join(f"{n} to {kind}" for kind, n in found.items()) + "."
