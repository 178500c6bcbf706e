"""Networks: the NIM `ent` network a spec network's machines are placed on (their `if1`).

A configured master already has a network for its own subnet (`master_net`, nim_master_setup's);
a NIM network whose `net_addr` and `snm` equal the spec network's is reused under its own name,
marked or not (xclone never removes one it did not make). A NIM network with the same address
and another mask is a plan error naming both: NIM and the spec disagree on the subnet.
Otherwise `nim -o define -t ent` makes it under the spec's name with `routing1='default
GATEWAY'`: NIM installs across a router need nothing more on the master's side, so no
interface or route is planned for it here (issue 15).
"""

from __future__ import annotations

import ipaddress

from xclone.base.address import Address
from xclone.drivers.nim.kinds import ActionKind
from xclone.drivers.nim.resources.common import NIM_NETWORKS, define
from xclone.observed.model import NimObject
from xclone.plan.changes import ChangeKind, ResourceChange
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
    nim_nets = _nim_networks(ctx)
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
        ctx.add(ResourceChange(address, ChangeKind.CREATE, None,
                               {**dict(attrs), "comments": ctx.mark},
                               reason="not defined in NIM"), [step])
    return placed
