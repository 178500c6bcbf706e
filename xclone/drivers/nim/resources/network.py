"""Networks: the NIM `ent` network a spec network's machines are placed on (their `if1`), and
how the master reaches it (reach.py: its own interface there, or a route).

A configured master already has a network for its own subnet (`master_net`, nim_master_setup's);
a NIM network whose `net_addr` and `snm` equal the spec network's is reused under its own name,
marked or not (xclone never removes one it did not make). A NIM network with the same address
and another mask is a plan error naming both: NIM and the spec disagree on the subnet.
Otherwise `nim -o define -t ent` makes it under the spec's name with `routing1='default
GATEWAY'`. A network the master has no interface on gets one when the spec gives the master's
address there (`management_node.addresses`), else a route to the master's network through the
gateway; an LPAR's network with neither is a plan error saying what to add (issue 15).
"""

from __future__ import annotations

import ipaddress

from xclone.base.address import Address
from xclone.drivers.master_ifs import check_master_interfaces
from xclone.drivers.nim.kinds import ActionKind
from xclone.drivers.nim.resources.common import NIM_NETWORKS, define
from xclone.drivers.nim.resources.reach import Reach
from xclone.observed.model import NimObject
from xclone.plan.action import Step
from xclone.plan.changes import AttrDiff, ChangeKind, ResourceChange
from xclone.plan.context import Context
from xclone.spec.model import Network


def _block(obj: NimObject) -> ipaddress.IPv4Network | None:
    try:
        return ipaddress.IPv4Network(f"{obj.get('net_addr')}/{obj.get('snm')}", strict=False)
    except ValueError:
        return None


def _nim_networks(ctx: Context) -> list[tuple[str, ipaddress.IPv4Network]]:
    found = []
    for name, obj in sorted(ctx.observed.nim.items()):
        block = _block(obj) if obj.cls == NIM_NETWORKS else None
        if block is not None:
            found.append((name, block))
    return found


def _attrs(net: Network) -> tuple[tuple[str, str], ...]:
    routing = (("routing1", f"default {net.gateway}"),) if net.gateway is not None else ()
    return (("net_addr", str(net.net)), ("snm", str(net.mask)), *routing)


def plan_networks(ctx: Context) -> dict[str, str]:
    """Plan each spec network; return spec name -> the NIM network its machines go on (only
    for networks without an error)."""
    check_master_interfaces(ctx)
    nim_nets = _nim_networks(ctx)
    reach = Reach(ctx)
    placed: dict[str, str] = {}
    for name, net in sorted(ctx.spec.networks.items()):
        address = Address("network", name)
        same = [n for n, block in nim_nets if block == net.network]
        clash = [(n, b) for n, b in nim_nets
                 if b != net.network and b.network_address == net.network.network_address]
        if clash and not same:
            shown = ", ".join(f"{n} ({b.network_address} mask {b.netmask})" for n, b in clash)
            ctx.error(address, f"network {net.network} (mask {net.mask}): NIM network {shown} "
                      "has the same address with another mask, so NIM and the spec disagree on "
                      "the subnet; make the spec's mask match it or change the NIM network")
            continue
        if same:
            placed[name] = name if name in same else same[0]
            _plan_reach(ctx, reach, name, placed[name], net, None)
            continue
        taken = ctx.observed.nim.get(name)
        if taken is not None:
            ctx.error(address, f"NIM has a {taken.cls} object '{name}' that is not network "
                      f"{net.network}: rename the network in the spec or change that object")
            continue
        placed[name] = name
        attrs = _attrs(net)
        step = define(ctx, ActionKind.NIM_DEFINE_NETWORK, "ent", name, attrs, address,
                      reason="no NIM network has its address and mask")
        _plan_reach(ctx, reach, name, name, net, (step, {**dict(attrs), "comments": ctx.mark}))
    return placed


def _users(ctx: Context, name: str) -> list[str]:
    return [n for n, lp in sorted(ctx.spec.lpars.items())
            if lp.network == name and lp.state != "absent"]


def _plan_reach(ctx: Context, reach: Reach, name: str, nim_name: str, net: Network,
                defined: tuple[Step, dict[str, str]] | None) -> None:
    """The network's change: its define (when `defined`), then the master's interface or
    route when it has neither; an error when an LPAR installs over it and neither can be
    made."""
    address = Address("network", name)
    steps = [defined[0]] if defined else []
    after = dict(defined[1]) if defined else {}
    primary = reach.primary()
    if defined is not None or not (reach.connected(nim_name) or primary is None
                                   or reach.routed(nim_name, primary[0])):
        step: Step | str | None = None
        ip = ctx.spec.management_node.addresses.get(name)
        if ip is not None:
            step = reach.interface(nim_name, str(ip), address)
        elif net.gateway is not None:
            step = reach.route(nim_name, net, address, defined is not None)
        else:
            step = "it has no gateway: set `gateway:`"
        if isinstance(step, Step):
            steps.append(step)
            attr, value = step.before[4].split("=", 1)
            after[attr] = value
        elif _users(ctx, name):
            lpars = _users(ctx, name)
            why = f" ({step})" if isinstance(step, str) else ""
            ctx.error(address, (
                f"the NIM master has no interface on {nim_name} and no route to it, so "
                f"{', '.join(lpars[:3])}{' ...' if len(lpars) > 3 else ''} cannot install "
                f"over it: add `management_node.addresses: {{{name}: <the master's address "
                f"on it>}}` when the master is connected to it, else a route through the "
                f"network's gateway{why}"))
            return
    if not steps:
        return
    if defined is not None:
        ctx.add(ResourceChange(address, ChangeKind.CREATE, None, after,
                               reason="not defined in NIM"), steps)
        return
    obj = ctx.observed.nim.get(nim_name)
    diffs = tuple(AttrDiff(k, None, v) for k, v in after.items())
    ctx.add(ResourceChange(address, ChangeKind.UPDATE, dict(obj.attrs) if obj else None, after,
                           diffs, reason="the master cannot reach it"), steps)
