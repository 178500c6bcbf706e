"""Networks: the xCAT network (makehosts, getmacs and rnetboot read its mask and gateway) and the
NIM `ent` network that `xcat2nim`'s `find_net` needs to place a machine."""

from __future__ import annotations

from xclone.base.address import Address
from xclone.plan.action import Step, StepRef
from xclone.plan.changes import AttrDiff, ChangeKind, ResourceChange
from xclone.plan.context import Context
from xclone.plan.kinds import ActionKind
from xclone.plan.resources.common import attr_diffs, changed
from xclone.plan.stanza import assignments
from xclone.spec.model import Network


def _xcat_attrs(net: Network, mark: str) -> dict[str, str]:
    attrs = {"net": str(net.net), "mask": str(net.mask), "usercomment": mark}
    if net.gateway is not None:
        attrs["gateway"] = str(net.gateway)
    if net.domain:
        attrs["domain"] = net.domain
    if net.nameservers:
        attrs["nameservers"] = ",".join(str(n) for n in net.nameservers)
    return attrs


def network_steps(name: str) -> tuple[StepRef, ...]:
    """The steps that define or update xCAT network `name`, for its nodes to wait for."""
    address = Address("network", name)
    return (StepRef(ActionKind.MKDEF_NETWORK, address), StepRef(ActionKind.CHDEF_NETWORK, address))


def nim_network_steps(name: str) -> tuple[StepRef, ...]:
    """The step that gives NIM the network `name`, for xcat2nim to place its machines."""
    return (StepRef(ActionKind.NIM_DEFINE_NETWORK, Address("network", name)),)


def _nim_has(ctx: Context, net: Network) -> bool:
    """NIM places a machine on any network with the same address and mask, whatever its name."""
    for obj in ctx.observed.nim.values():
        if (
            obj.cls == "networks"
            and obj.get("net_addr") == str(net.net)
            and obj.get("snm") == str(net.mask)
        ):
            return True
    return False


def plan_networks(ctx: Context) -> None:
    have_all = ctx.observed.xcat.get("network", {})
    for name, net in sorted(ctx.spec.networks.items()):
        address = Address("network", name)
        want = _xcat_attrs(net, ctx.mark)
        have = have_all.get(name)
        steps: list[Step] = []
        kind = ChangeKind.NOOP
        diffs: tuple[AttrDiff, ...] = ()
        if have is None:
            kind = ChangeKind.CREATE
            steps.append(
                Step(
                    ActionKind.MKDEF_NETWORK,
                    ctx.mn,
                    ("mkdef", "-t", "network", "-o", name, *assignments(want)),
                    address=address,
                    reason="xCAT network missing",
                )
            )
        elif not ctx.owns(have):
            ctx.conflict(address, f"xCAT network '{name}'")
            continue
        else:
            diffs = attr_diffs(want, have.attrs)
            if diffs:
                kind = ChangeKind.UPDATE
                steps.append(
                    Step(
                        ActionKind.CHDEF_NETWORK,
                        ctx.mn,
                        ("chdef", "-t", "network", "-o", name, *assignments(changed(diffs))),
                        address=address,
                        reason="xCAT network differs",
                    )
                )
        if not _nim_has(ctx, net):
            words = [
                "nim",
                "-o",
                "define",
                "-t",
                "ent",
                "-a",
                f"net_addr={net.net}",
                "-a",
                f"snm={net.mask}",
            ]
            if net.gateway is not None:
                words += ["-a", f"routing1=default {net.gateway}"]
            words += ["-a", f"comments={ctx.mark}", name]
            steps.append(
                Step(
                    ActionKind.NIM_DEFINE_NETWORK,
                    ctx.mn,
                    tuple(words),
                    address=address,
                    reason="NIM network missing",
                )
            )
            if kind is not ChangeKind.CREATE:
                kind = ChangeKind.UPDATE
                diffs = (*diffs, AttrDiff("nim_network", "absent", "present"))
        if steps:
            reason = "not defined" if kind is ChangeKind.CREATE else "differs from the spec"
            after = {**want, "nim_network": "present"}
            before = None if have is None else dict(have.attrs)
            ctx.add(
                ResourceChange(address, kind, before, after, diffs, reason), steps
            )
