"""Networks: the xCAT network (makehosts, getmacs and rnetboot read its mask and gateway) and the
NIM `ent` network that `xcat2nim`'s `find_net` needs to place a machine."""

from __future__ import annotations

from xclone.plan.action import Step
from xclone.plan.changes import AttrDiff, ChangeKind, ResourceChange
from xclone.plan.context import Context
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
        address = f"network.{name}"
        want = _xcat_attrs(net, ctx.mark)
        have = have_all.get(name)
        steps: list[Step] = []
        kind = ChangeKind.NOOP
        diffs: tuple[AttrDiff, ...] = ()
        if have is None:
            kind = ChangeKind.CREATE
            steps.append(
                Step(
                    ("network", name),
                    "mkdef-network",
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
                        ("network", name),
                        "chdef-network",
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
                    ("nimnet", name),
                    "nim-define-network",
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
                ResourceChange(address, "network", name, kind, before, after, diffs, reason), steps
            )
