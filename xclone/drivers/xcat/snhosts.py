"""A service node's /etc/hosts, refreshed before xcat2nim defines its new nodes there.

xcat2nim, sent on to the SN (xcat2nim.pm preprocess_request), defines each machine in the
SN's NIM with `if1='find_net HOST MAC ...'` (mkclientdef), so NIM on the SN resolves HOST
itself. nimnodeset copies the management node's /etc/hosts to each SN of its request every
time (aixinstall.pm prenimnodeset: doSNcopy2, `xdcp SNLIST /etc/hosts /etc`), but it runs
after xcat2nim. So when the SN's own /etc/hosts (its `cat /etc/hosts`, read with its `lsnim
-l`) has an older address for a node, or lacks it and the site names no `nameservers` (the
SN's resolver then has only its file; with them it asks the management node's name server,
which makedns fills from the same file), the plan copies the file the way doSNcopy2 does,
once per SN, after the nodes' makehosts and before the SN's xcat2nim.
"""

from __future__ import annotations

import dataclasses
import ipaddress
from collections.abc import Mapping

from xclone.base.address import Address
from xclone.drivers.xcat.kinds import ActionKind
from xclone.drivers.xcat.servicenodes import EXTRA_SN, Served, ServiceNodes
from xclone.plan.action import Step, StepRef
from xclone.plan.changes import ChangeKind, ResourceChange
from xclone.plan.context import Context


def _addresses(hosts: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """Name -> address, the first line naming it winning, as the resolver reads the file."""
    found: dict[str, str] = {}
    for address, names in hosts.items():
        for name in names:
            found.setdefault(name, address)
    return found


def _nameservers(ctx: Context) -> bool:
    sites = ctx.observed.xcat.get("site", {})
    site = sites.get(ctx.spec.cluster) or next(iter(sites.values()), None)
    return bool(site is not None and site.get("nameservers"))


def _why(ctx: Context, sns: ServiceNodes, sn: str, node: str) -> str | None:
    """Why SN `sn` cannot resolve `node` right now, or None."""
    lpar = ctx.spec.lpars.get(node)
    if lpar is None or lpar.ip is None:
        return None
    server = ctx.spec.install_servers[sn]
    have = _addresses(sns.view(Served(sn, server.host, "")).hosts).get(node)
    want = str(ipaddress.ip_address(str(lpar.ip)))
    if have is not None and have != want:
        return f"has {have} for {node}, not {want}"
    if have is None and not _nameservers(ctx):
        return f"lacks {node} and the site names no nameservers"
    return None


def plan_copies(ctx: Context, sns: ServiceNodes) -> None:
    """One `xdcp SN /etc/hosts /etc` per SN whose xcat2nim steps of this plan need it."""
    if not ctx.spec.install_servers:
        return
    needs: dict[str, dict[str, str]] = {}
    for step in ctx.steps:
        sn = dict(step.extra).get(EXTRA_SN)
        if step.kind is ActionKind.XCAT2NIM and sn is not None and step.node is not None:
            why = _why(ctx, sns, sn, step.node)
            if why is not None:
                needs.setdefault(sn, {})[step.node] = why
    for sn, nodes in sorted(needs.items()):
        first = Address("lpar", min(nodes))
        copy = Step(ActionKind.XDCP_HOSTS, ctx.mn, ("xdcp", sn, "/etc/hosts", "/etc"),
                    address=first, detail=sn,
                    extra=Served(sn, ctx.spec.install_servers[sn].host, "").extra,
                    after_if_planned=tuple(StepRef(ActionKind.MAKEHOSTS, Address("lpar", n))
                                           for n in sorted(nodes)),
                    reason=f"{sn}'s /etc/hosts {nodes[min(nodes)]}: its NIM resolves the "
                           "nodes xcat2nim defines there")
        ctx.steps[:] = [dataclasses.replace(s, after=(*s.after, copy.key))
                        if s.kind is ActionKind.XCAT2NIM and s.node in nodes
                        and dict(s.extra).get(EXTRA_SN) == sn else s for s in ctx.steps]
        ctx.steps.append(copy)
        for node, why in sorted(nodes.items()):
            _note(ctx, Address("lpar", node), f"first refreshes {sn}'s /etc/hosts, which {why} "
                  f"(xdcp {sn} /etc/hosts /etc)")


def _note(ctx: Context, address: Address, note: str) -> None:
    ctx.changes[:] = [dataclasses.replace(c, notes=(*c.notes, note)) if c.address == address
                      else c for c in ctx.changes]
    if not any(c.address == address for c in ctx.changes):
        ctx.changes.append(ResourceChange(address, ChangeKind.UPDATE, notes=(note,)))
