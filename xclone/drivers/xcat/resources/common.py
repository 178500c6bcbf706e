"""Helpers shared by the resource planners: attribute diffs and in-place updates."""

from __future__ import annotations

from collections.abc import Mapping

from xclone.base.address import Address
from xclone.base.mac import install_mac
from xclone.base.mark import NIM_ATTR, XCAT_ATTR, carries
from xclone.base.redact import MASK
from xclone.drivers.xcat.kinds import ActionKind
from xclone.drivers.xcat.stanza import assignments
from xclone.plan.action import Step
from xclone.plan.changes import AttrDiff, ChangeKind, ResourceChange
from xclone.plan.context import Context

LIST_ATTRS = frozenset({"groups"})
# The ownership mark may share the comment with an administrator's own words (adopted objects).
MARK_ATTRS = frozenset({XCAT_ATTR, NIM_ATTR})


def same(attr: str, want: str, have: str) -> bool:
    if have == MASK:  # masked as equal to a secret (xclone.base.redact): unknown, not compared
        return True
    if attr == "mac":  # the spec holds the canonical install MAC; xCAT any spelling or a list
        return install_mac(have) == want
    if attr in LIST_ATTRS:
        return set(filter(None, want.split(","))) == set(filter(None, have.split(",")))
    if attr in MARK_ATTRS:
        return carries(have, want)
    return want == have


def attr_diffs(want: Mapping[str, str], have: Mapping[str, str]) -> tuple[AttrDiff, ...]:
    """Attributes whose observed value differs from the wanted one (missing counts as empty)."""
    return tuple(
        AttrDiff(attr, have.get(attr) or None, value or None)
        for attr, value in sorted(want.items())
        if not same(attr, value, have.get(attr, ""))
    )


def changed(diffs: tuple[AttrDiff, ...]) -> dict[str, str]:
    return {d.name: d.after or "" for d in diffs}


def update_in_place(ctx: Context, kind: ActionKind, address: Address, xcat_type: str,
                    have: Mapping[str, str], want: Mapping[str, str],
                    diffs: tuple[AttrDiff, ...], reason: str) -> None:
    """The `~` change of an object xCAT knows by `-t TYPE -o NAME`: one `chdef` setting exactly
    the attributes that differ."""
    words = ("chdef", "-t", xcat_type, "-o", address.name, *assignments(changed(diffs)))
    ctx.add(ResourceChange(address, ChangeKind.UPDATE, dict(have), dict(want), diffs, reason),
            [Step(kind, ctx.mn, words, address=address, reason=reason)])
