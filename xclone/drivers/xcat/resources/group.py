"""Static xCAT groups and their attributes (postscripts); membership lives on the nodes."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from xclone.base.address import Address
from xclone.drivers.xcat.kinds import ActionKind
from xclone.drivers.xcat.resources.common import attr_diffs, update_in_place
from xclone.drivers.xcat.stanza import assignments
from xclone.plan.action import Step, StepRef
from xclone.plan.changes import ChangeKind, ResourceChange
from xclone.plan.context import Context


@cache  # one tuple per name, not one per LPAR in the group
def group_steps(name: str) -> tuple[StepRef, ...]:
    """The steps that define or update group `name`, for its member nodes to wait for."""
    address = Address("group", name)
    return (StepRef(ActionKind.MKDEF_GROUP, address), StepRef(ActionKind.CHDEF_GROUP, address))


def _named_only(attrs: Mapping[str, str]) -> bool:
    """xCAT lists a group its nodes' `groups` name even with no row of its own (DBobjUtils.pm
    getObjectsOfType lines 45-124): `lsdef` then shows only its members."""
    return not (set(attrs) - {"members", "objtype"})


def _define_named(ctx: Context, name: str, address: Address, want: dict[str, str]) -> None:
    """Such a group exists for mkdef, which refuses it (DBobjectdefs.pm defmk lines 1430-1462);
    `chdef -t group` gives it its attributes. No one made it an object with attributes of its
    own, so xclone does and marks it: a create."""
    words = ("chdef", "-t", "group", "-o", name,
             *assignments({k: v for k, v in want.items() if v}))
    ctx.add(ResourceChange(address, ChangeKind.CREATE, None, want,
                           reason="named by its members' groups only"),
            [Step(ActionKind.CHDEF_GROUP, ctx.mn, words, address=address,
                  reason="group known to xCAT only by its members")])


def plan_groups(ctx: Context) -> None:
    have_all = ctx.observed.xcat.get("group", {})
    for name, group in sorted(ctx.spec.groups.items()):
        address = Address("group", name)
        want = {
            "grouptype": "static",
            "postscripts": ",".join(group.postscripts),
            "usercomment": ctx.mark,
        }
        have = have_all.get(name)
        if have is not None and _named_only(have.attrs):
            _define_named(ctx, name, address, want)
            continue
        if have is None:
            words = (
                "mkdef",
                "-t",
                "group",
                "-o",
                name,
                *assignments({k: v for k, v in want.items() if v}),
            )
            ctx.add(
                ResourceChange(
                    address,
                    ChangeKind.CREATE,
                    None,
                    want,
                    reason="not defined in xCAT",
                ),
                [
                    Step(
                        ActionKind.MKDEF_GROUP,
                        ctx.mn,
                        words,
                        address=address,
                        reason="group missing",
                    )
                ],
            )
            continue
        if not ctx.owns(have):
            ctx.conflict(address, f"xCAT group '{name}'")
            continue
        diffs = attr_diffs({"postscripts": want["postscripts"]}, have.attrs)
        if diffs:
            update_in_place(ctx, ActionKind.CHDEF_GROUP, address, "group", have.attrs,
                            want, diffs, "group attributes differ")
