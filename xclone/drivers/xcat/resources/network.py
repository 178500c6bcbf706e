"""Networks: the xCAT network (makehosts, getmacs and rnetboot read its mask and gateway) and the
NIM `ent` network that `xcat2nim`'s `find_net` needs to place a machine. A network an LPAR
installs over HFI on also names the install server's HFI interface (`mgtifname=hf0`), without
which rnetboot boots Ethernet only.

A configured NIM master already has a network for its own subnet (`master_net`); `find_net`
takes any NIM network holding the machine's address, whatever its name, so a spec network inside
one needs no NIM action. Otherwise `xcat2nim -t network` defines it under the xCAT name and
gives the master its way there itself (xcat2nim.pm mkNIMnetwork lines 1424-1650): an interface
`if<N>` on the master when the management node has an address in the subnet, else a route
`routing<N>` on the master's network. The plan shows which one from the spec
(`management_node.addresses`) and the next free index it observes; xclone marks the network
as its own, and cleanup removes the interface or route along with it (the runbook's procedure,
docs/formats.md "NIM from xCAT")."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from functools import cache

from xclone.base.address import Address
from xclone.drivers.master_ifs import check_master_interfaces
from xclone.drivers.xcat.kinds import ActionKind
from xclone.drivers.xcat.resources.common import attr_diffs, changed
from xclone.drivers.xcat.stanza import assignments
from xclone.observed.model import NimObject
from xclone.plan.action import Step, StepRef
from xclone.plan.changes import AttrDiff, ChangeKind, ResourceChange
from xclone.plan.context import Context
from xclone.spec.model import Network

# rnetboot and getmacs -D boot an HFI adapter (`lpar_netboot -t hfi-ent`) only when the node's
# network has an `mgtifname` containing `hf`, else `-t ent`, which lists no HFI adapter (FSPboot.pm
# line 130, PPCboot.pm line 283, FSPmac.pm line 119, PPCmac.pm line 342; LparNetbootExp.pm skips
# `hfi-ethernet` devices for `ent`). A P775 management or service node faces its HFI network on
# hf0, the interface compute nodes boot from (xCAT/postscripts/confighfi).
HFI_IFNAME = "hf0"


def _adapters(ctx: Context) -> dict[str, dict[str, list[str]]]:
    """Each network's installed LPARs by install adapter, in one pass over the LPARs (not one
    per network: 32 networks of a 10,000-LPAR spec made that 320,000 steps)."""
    found: dict[str, dict[str, list[str]]] = {}
    for lpar in ctx.spec.lpars.values():
        if lpar.network is not None and lpar.state != "absent":
            found.setdefault(lpar.network, {}).setdefault(lpar.install_adapter,
                                                          []).append(lpar.name)
    return found


def _mgtifname(ctx: Context, name: str, have: Mapping[str, str],
               by_adapter: Mapping[str, list[str]]) -> str | None:
    """`hf0` for a network LPARs install over HFI on (an observed value naming another HFI
    interface is kept: xCAT only looks for `hf`); None: the spec leaves it alone. One network
    boots all its nodes with one adapter type, so HFI and Ethernet installs on the same
    network are a plan error (the Ethernet ones would be booted, and getmacs -D run, as HFI)."""
    adapters = dict(by_adapter)
    hfi = sorted(adapters.pop("hfi", []))
    if not hfi:
        return None
    if adapters:
        ent = sorted(n for names in adapters.values() for n in names)
        ctx.error(Address("network", name), f"{', '.join(hfi)} install over HFI and "
                  f"{', '.join(ent)} over Ethernet on the same network: xCAT boots every node "
                  "of a network with one adapter type (`-t hfi-ent` when its mgtifname names "
                  "an HFI interface, else `-t ent`); put the HFI LPARs on a network of their own")
    shown = have.get("mgtifname", "")
    return shown if "hf" in shown else HFI_IFNAME


def _xcat_attrs(net: Network, mark: str, mgtifname: str | None = None) -> dict[str, str]:
    attrs = {"net": str(net.net), "mask": str(net.mask), "usercomment": mark}
    if mgtifname is not None:
        attrs["mgtifname"] = mgtifname
    if net.gateway is not None:
        attrs["gateway"] = str(net.gateway)
    if net.domain:
        attrs["domain"] = net.domain
    if net.nameservers:
        attrs["nameservers"] = ",".join(str(n) for n in net.nameservers)
    return attrs


@cache  # one tuple per name, not one per LPAR on the network
def network_steps(name: str) -> tuple[StepRef, ...]:
    """The steps that define or update xCAT network `name`, for its nodes to wait for."""
    address = Address("network", name)
    return (StepRef(ActionKind.MKDEF_NETWORK, address), StepRef(ActionKind.CHDEF_NETWORK, address))


@cache
def nim_network_steps(name: str) -> tuple[StepRef, ...]:
    """The step that gives NIM the network `name`, for xcat2nim to place its machines."""
    return (StepRef(ActionKind.NIM_DEFINE_NETWORK, Address("network", name)),)


def _nim_covers(ctx: Context, net: Network) -> bool:
    """Whether a NIM network holds every address of `net`, so find_net places its machines."""
    for obj in ctx.observed.nim.values():
        if obj.cls != "networks":
            continue
        try:
            block = ipaddress.IPv4Network(f"{obj.get('net_addr')}/{obj.get('snm')}", strict=False)
        except ValueError:
            continue
        if net.network.subnet_of(block):
            return True
    return False


def _indexed(obj: NimObject | None, prefix: str) -> dict[int, str]:
    """`if1`, `if2`... (or `routing<N>`) of a NIM object: sequence number -> value."""
    if obj is None:
        return {}
    return {int(k[len(prefix):]): v for k, v in obj.attrs.items()
            if k.startswith(prefix) and k[len(prefix):].isdigit()}


def _free(used: set[int]) -> int:
    """`lsnim -A`: the lowest sequence number not in use."""
    return next(i for i in range(1, len(used) + 2) if i not in used)


def _reach(ctx: Context, name: str, net: Network, taken: dict[str, set[int]]) -> dict[str, str]:
    """What `xcat2nim -t network` will add for the master besides the network, as the plan's
    `after` shows it; `taken` holds the indices earlier networks of this plan take."""
    master = ctx.observed.nim.get("master")
    ip = ctx.spec.management_node.addresses.get(name)
    if ip is not None:
        used = set(_indexed(master, "if")) | taken.setdefault("master", set())
        index = _free(used)
        taken["master"].add(index)
        return {"master_interface": f"master if{index}={name} <name of {ip}> 0"}
    primary = _indexed(master, "if").get(1, "").split()[:1]
    if not primary:
        return {}
    home = ctx.observed.nim.get(primary[0])
    default = _indexed(home, "routing").get(1, "").split()
    via = default[1] if default[:1] == ["default"] and len(default) > 1 else "<master's address>"
    index = _free(set(_indexed(home, "routing")) | taken.setdefault(primary[0], set()))
    taken[primary[0]].add(index)
    return {"master_route": f"{primary[0]} routing{index}={name} {via} {net.gateway}"}


def unreach_steps(ctx: Context, name: str, address: Address,
                  after: tuple[StepRef, ...]) -> list[Step]:
    """Before NIM network `name` goes: the master's interfaces on it and the other networks'
    routes to it, each set to nothing (what `xcat2nim -t network` added for it)."""
    steps: list[Step] = []
    master = ctx.observed.nim.get("master")
    for index, value in sorted(_indexed(master, "if").items()):
        if index > 1 and value.split()[:1] == [name]:
            words: tuple[str, ...] = ("-a", f"if{index}=")
            if master is not None and f"cable_type{index}" in master.attrs:
                words += ("-a", f"cable_type{index}=")
            steps.append(Step(ActionKind.NIM_CHANGE, ctx.mn, ("nim", "-o", "change", *words,
                                                              "master"),
                              address=address, detail=f"if{index}", after=after,
                              reason=f"remove the master's interface on it ({value})"))
    for other, obj in sorted(ctx.observed.nim.items()):
        if obj.cls != "networks" or other == name:
            continue
        for index, value in sorted(_indexed(obj, "routing").items()):
            if value.split()[:1] == [name]:
                steps.append(Step(ActionKind.NIM_CHANGE, ctx.mn,
                                  ("nim", "-o", "change", "-a", f"routing{index}=", other),
                                  address=address, detail=f"{other}.routing{index}",
                                  after=after, reason=f"remove {other}'s route to it ({value})"))
    return steps


def _nim_steps(ctx: Context, name: str, net: Network, address: Address) -> list[Step] | None:
    """`xcat2nim -t network` and the mark, or None (an error is recorded) when it cannot work:
    it defines the network with `routing1='default <gateway>'` (xcat2nim.pm line 1498) and fails
    on a name NIM already uses."""
    taken = ctx.observed.nim.get(name)
    if taken is not None:
        ctx.error(address, f"NIM has a {taken.cls} object '{name}' that does not hold "
                  f"{net.network}: `xcat2nim -t network` cannot define the network under that "
                  "name; rename the network in the spec or change that NIM object")
        return None
    if net.gateway is None:
        ctx.error(address, f"no NIM network holds {net.network}, and `xcat2nim -t network` "
                  "defines one with the gateway as its default route: set `gateway:`")
        return None
    define = StepRef(ActionKind.NIM_DEFINE_NETWORK, address)
    return [
        Step(ActionKind.NIM_DEFINE_NETWORK, ctx.mn, ("xcat2nim", "-t", "network", "-o", name),
             address=address, after_if_planned=network_steps(name),
             reason="no NIM network holds it"),
        Step(ActionKind.NIM_MARK, ctx.mn,
             ("nim", "-o", "change", "-a", f"comments={ctx.mark}", name),
             address=address, after=(define,), reason="mark the NIM network as xclone's"),
    ]


def plan_networks(ctx: Context) -> None:
    check_master_interfaces(ctx)
    have_all = ctx.observed.xcat.get("network", {})
    taken: dict[str, set[int]] = {}
    adapters = _adapters(ctx)
    for name, net in sorted(ctx.spec.networks.items()):
        address = Address("network", name)
        have = have_all.get(name)
        want = _xcat_attrs(net, ctx.mark, _mgtifname(ctx, name, {} if have is None
                                                      else have.attrs, adapters.get(name, {})))
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
        reach: dict[str, str] = {}
        if not _nim_covers(ctx, net):
            nim_steps = _nim_steps(ctx, name, net, address)
            if nim_steps is None:
                continue
            steps += nim_steps
            reach = _reach(ctx, name, net, taken)
            if kind is not ChangeKind.CREATE:
                kind = ChangeKind.UPDATE
                diffs = (*diffs, AttrDiff("nim_network", "absent", "present"))
        if steps:
            reason = "not defined" if kind is ChangeKind.CREATE else "differs from the spec"
            after = {**want, "nim_network": "present", **reach}
            before = None if have is None else dict(have.attrs)
            ctx.add(
                ResourceChange(address, kind, before, after, diffs, reason), steps
            )
