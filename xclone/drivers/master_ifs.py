"""The NIM master's observed interfaces against the spec's `management_node.addresses`, both
drivers.

The runbook gives the master an interface on a cluster network it is connected to, else a
route (docs/runbook-mapping.md "Several subnets"); the spec says which by listing the master's
address there. When `lsnim -l master` already shows an interface (`if2`, `if3`...) on the NIM
network of a spec network the spec gives no master address on, the spec and the cluster
disagree: NIM (and xCAT's xcat2nim, mkNIMnetwork) serve that network through the interface, so
a route the plan would show is never made, and the plan's picture is wrong. That is a plan
error naming both fixes. `if1` is the master's own network, reached by definition, and is not
checked.
"""

from __future__ import annotations

import ipaddress

from xclone.base.address import Address
from xclone.plan.context import Context


def _block(ctx: Context, nim_name: str) -> ipaddress.IPv4Network | None:
    obj = ctx.observed.nim.get(nim_name)
    if obj is None or obj.cls != "networks":
        return None
    try:
        return ipaddress.IPv4Network(f"{obj.get('net_addr')}/{obj.get('snm')}", strict=False)
    except ValueError:
        return None


def check_master_interfaces(ctx: Context) -> None:
    """One error per spec network that the observed master has an interface on (beyond its
    `if1`) while `management_node.addresses` lists no address of the master there."""
    master = ctx.observed.nim.get("master")
    if master is None:
        return
    listed = ctx.spec.management_node.addresses
    for key, value in sorted(master.attrs.items()):
        index = key[2:]
        if not (key.startswith("if") and index.isdigit()) or index == "1":
            continue
        words = value.split()
        block = _block(ctx, words[0]) if words else None
        if block is None:
            continue
        for name, net in sorted(ctx.spec.networks.items()):
            if net.network == block and name not in listed:
                host = words[1] if len(words) > 1 else "?"
                ctx.error(Address("network", name), (
                    f"NIM's master has interface {key} ({value}) on {words[0]}, network "
                    f"{name}'s subnet, but the spec lists no address of the master there, so "
                    f"the plan would route to a network NIM reaches through that interface: add "
                    f"`management_node.addresses.{name}: <the address of {host}>`, or remove "
                    f"the interface (`nim -o change -a {key}= master`)"))
