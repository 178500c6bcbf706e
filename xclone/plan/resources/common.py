"""Helpers shared by the resource planners: attribute diffs and in-place updates."""

from __future__ import annotations

from collections.abc import Mapping

from xclone.base.mac import install_mac
from xclone.base.redact import MASK
from xclone.plan.action import Step
from xclone.plan.changes import AttrDiff, ChangeKind, ResourceChange
from xclone.plan.context import Context
from xclone.plan.stanza import assignments

LIST_ATTRS = frozenset({"groups"})
# The ownership mark may share the comment with an administrator's own words (adopted objects).
MARK_ATTRS = frozenset({"usercomment", "comments"})


def same(attr: str, want: str, have: str) -> bool:
    if have == MASK:  # masked as equal to a secret (xclone.base.redact): unknown, not compared
        return True
    if attr == "mac":  # the spec holds the canonical install MAC; xCAT any spelling or a list
        return install_mac(have) == want
    if attr in LIST_ATTRS:
        return set(filter(None, want.split(","))) == set(filter(None, have.split(",")))
    if attr in MARK_ATTRS:
        return want in have.split()
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


def update_in_place(ctx: Context, key: tuple[str, ...], kind: str, address: str, xcat_type: str,
                    have: Mapping[str, str], want: Mapping[str, str],
                    diffs: tuple[AttrDiff, ...], reason: str) -> None:
    """The `~` change of an object xCAT knows by `-t TYPE -o NAME`: one `chdef` setting exactly
    the attributes that differ."""
    type_, _, name = address.partition(".")
    words = ("chdef", "-t", xcat_type, "-o", name, *assignments(changed(diffs)))
    ctx.add(ResourceChange(address, type_, name, ChangeKind.UPDATE, dict(have), dict(want),
                           diffs, reason),
            [Step(key, kind, ctx.mn, words, address=address, reason=reason)])
