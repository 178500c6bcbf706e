"""What `xclone import --from-nim` reads out of one NIM-driver observation: the plain
inventory spec/nim_import.py writes a spec from.

The NIM facts used (docs/formats.md "NIM" and "HMC"): a standalone machine's `if1` is
`<network> <hostname> <mac|0> [adapter]`; a NIM network's `net_addr`, `snm` and
`routing<N> = default <gateway>`; a mksysb resource's `location` (its file) and a SPOT's
`source` (the resource it was built from) and `oslevel_r`; a machine whose last install ended
well is "ready for a NIM operation" with `Cstate_result = success` (the planner's own rule,
resources/lpar_state.py). The master's /etc/hosts gives each host name its address as the
resolver would: the first line that names it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from ipaddress import ip_address, ip_network

from xclone.base.mac import canonical_mac
from xclone.drivers.nim.adoption import master_network
from xclone.drivers.nim.resources import lpar_state
from xclone.observed.model import NimObject, Observed, Partition
from xclone.spec.importer import TODO
from xclone.spec.nim_import import (
    NimHmc,
    NimImage,
    NimInventory,
    NimLpar,
    NimNetwork,
    NimServer,
)

MKSYSB_SUFFIX = "_mksysb"  # the name xclone's planner gives an osimage's mksysb resource


def _of(observed: Observed, cls: str, type_: str) -> list[NimObject]:
    return [o for _, o in sorted(observed.nim.items()) if o.cls == cls and o.type == type_]


def _gateway(net: NimObject) -> str | None:
    routes = sorted((k, v) for k, v in net.attrs.items() if k.startswith("routing"))
    for _, value in routes:
        words = value.split()
        if len(words) == 2 and words[0] == "default":
            return words[1]
    return None


def networks(observed: Observed) -> tuple[NimNetwork, ...]:
    return tuple(NimNetwork(o.name, o.get("net_addr"), o.get("snm"), _gateway(o))
                 for o in _of(observed, "networks", "ent")
                 if o.get("net_addr") and o.get("snm"))


def _spot_for(mksysb: NimObject, image: str, spots: Sequence[NimObject]) -> str | None:
    """The SPOT built from this mksysb, else the one named after the image, else the only one
    at the mksysb's AIX level, else the only one there is."""
    level = mksysb.get("oslevel_r")
    tries = ([s.name for s in spots if s.get("source") == mksysb.name],
             [s.name for s in spots if s.name == f"{image}_spot"],
             [s.name for s in spots if level and s.get("oslevel_r") == level],
             [s.name for s in spots])
    return next((found[0] for found in tries if len(found) == 1), None)


def images(observed: Observed) -> tuple[NimImage, ...]:
    spots = _of(observed, "resources", "spot")
    bosinst = [o.name for o in _of(observed, "resources", "bosinst_data")]
    found = []
    for mksysb in _of(observed, "resources", "mksysb"):
        image = mksysb.name.removesuffix(MKSYSB_SUFFIX) or mksysb.name
        notes: list[str] = []
        if image == mksysb.name:
            notes.append(f"xclone names the mksysb resource of {image} {image}{MKSYSB_SUFFIX}: "
                         f"the plan defines it on the same file ({mksysb.name} stays NIM's)")
        spot = _spot_for(mksysb, image, spots)
        if spot is None:
            notes.append("no SPOT pairs with this mksysb: name one, or `spot: {create: true}`")
        own = None
        if f"{image}_bid" not in bosinst and len(bosinst) == 1:
            own = bosinst[0]
            notes.append(f"{own} is NIM's only bosinst_data resource; drop `bosinst_data` to "
                         "have xclone generate an unattended one")
        found.append(NimImage(image, mksysb.get("location") or TODO, spot, own, tuple(notes)))
    return tuple(found)


def _address(hosts: Mapping[str, tuple[str, ...]], host: str) -> str | None:
    short = host.split(".", 1)[0]
    for want in (host, short):
        for address, names in hosts.items():
            if want in names:
                return address
    return None


def _mac(word: str) -> str | None:
    try:
        return canonical_mac(word)
    except ValueError:
        return None


def _lpar(observed: Observed, machine: NimObject, part: Partition) -> NimLpar:
    words = machine.get("if1").split()
    host = words[1] if len(words) > 1 else machine.name
    mac = _mac(words[2]) if len(words) > 2 else None
    seen = observed.macs(part.hmc, part.system, part.name)
    notes: list[str] = []
    ip = _address(observed.hosts, host)
    if ip is None:
        notes.append(f"{host} is not in the master's /etc/hosts: give its IP")
    if host != machine.name:
        notes.append(f"if1 names host {host}: the plan changes it to {machine.name}")
    wanted = mac if mac is not None and (not seen or mac != seen[0]) else None
    if mac is None and not seen:
        notes.append("neither if1 nor lshwres shows a MAC: give the install adapter's")
        wanted = TODO
    installed = lpar_state.installed(machine)
    never = machine.get("Cstate") == lpar_state.READY and not machine.get("Cstate_result")
    if not installed and not never:  # a failed or unfinished operation: worth a look
        notes.append(f"NIM shows Cstate {machine.get('Cstate')!r} (Cstate_result "
                     f"{machine.get('Cstate_result') or 'none'}): state defined")
    return NimLpar(machine.name, part.hmc, part.system, part.lpar_id, part.profile or None,
                   ip, wanted, installed, tuple(notes))


def inventory(observed: Observed, master: str, user: str, hmcs: Sequence[NimHmc],
              cluster: str | None) -> NimInventory:
    """Every standalone machine that is a partition of the same name on one of `hmcs`."""
    partitions: dict[str, list[Partition]] = {}
    for parts in observed.partitions.values():
        for part in parts:
            partitions.setdefault(part.name, []).append(part)
    lpars: list[NimLpar] = []
    skipped = [f"managed system {s.name} (HMC {s.hmc}) is {s.state}: its partitions were not read"
               for _, s in sorted(observed.systems.items()) if not s.reachable]
    for machine in _of(observed, "machines", "standalone"):
        found = partitions.get(machine.name, [])
        if len(found) == 1:
            lpars.append(_lpar(observed, machine, found[0]))
            continue
        where = ", ".join(f"{p.system} ({p.hmc})" for p in found)
        skipped.append(f"NIM machine {machine.name}: " + (
            f"a partition of that name on several managed systems: {where}" if found else
            "no partition of that name on the HMCs given (xclone never creates partitions)"))
    return NimInventory(master, user, tuple(hmcs), networks(observed), images(observed),
                        tuple(lpars), cluster, tuple(skipped))


def _subnet(ip: str | None, networks: Sequence[NimNetwork]) -> tuple[str, str] | None:
    """The (net, mask) of the network holding `ip`."""
    if ip is None:
        return None
    for net in networks:
        try:
            if ip_address(ip) in ip_network(f"{net.net}/{net.mask}", strict=False):
                return net.net, net.mask
        except ValueError:
            continue
    return None


class _Merged:
    """The networks and LPARs of several masters as they are merged: each subnet's spec name
    and the master whose machines are on it, each LPAR's master."""

    def __init__(self, first: NimInventory) -> None:
        self.names = {(n.net, n.mask): n.name for n in first.networks}
        self.owner = {key: first.master for lp in first.lpars
                      if (key := _subnet(lp.ip, first.networks)) is not None}
        self.where = {lp.name: first.master for lp in first.lpars}
        self.networks, self.lpars = list(first.networks), list(first.lpars)
        self.skipped = list(first.skipped)

    def serve(self, server: str, net: NimNetwork, served: list[str]) -> str:
        """The spec name of `net`'s subnet (added, under the master's prefix when the name is
        taken), now listed as served by `server`."""
        key = (net.net, net.mask)
        if key not in self.names:
            taken = set(self.names.values())
            self.names[key] = net.name if net.name not in taken else f"{server}_{net.name}"
            self.networks.append(dataclasses.replace(net, name=self.names[key]))
        if self.names[key] not in served:
            served.append(self.names[key])
        return self.names[key]

    def add(self, own: NimInventory, server: str, own_net: str | None) -> NimServer:
        served: list[str] = []
        by_key = {(n.net, n.mask): n for n in own.networks}
        for net in own.networks:
            if net.name == own_net:
                self.serve(server, net, served)
        for lpar in own.lpars:
            key = _subnet(lpar.ip, own.networks)
            if lpar.name in self.where:
                self.skipped.append(f"NIM machine {lpar.name} on {server}: also defined on "
                                    f"{self.where[lpar.name]}")
                continue
            if key is not None and self.owner.setdefault(key, own.master) != own.master:
                self.skipped.append(f"NIM machine {lpar.name} on {server}: its network "
                                    f"{key[0]} has machines of {self.owner[key]} too (one "
                                    "master serves a network)")
                continue
            self.where[lpar.name] = own.master
            spec_net = self.serve(server, by_key[key], served) if key is not None else None
            self.lpars.append(dataclasses.replace(lpar, notes=(
                f"installed from {server}" + (f" (it serves {spec_net})" if spec_net else ""),
                *lpar.notes)))
        return NimServer(server, own.master, own.user, tuple(served))


def several(observed: Observed, master: str, user: str, servers: Sequence[tuple[str, str]],
            hmcs: Sequence[NimHmc], cluster: str | None) -> NimInventory:
    """The primary master's inventory with each other NIM master's (`servers`: (host, user)):
    a master serves the networks its machines are on (and its own, its `if1`'s), named as the
    primary names the same subnet, else as it does (prefixed with the master's name when the
    primary uses that name for another subnet); its LPARs are installed from it. A machine on
    two masters, a subnet with machines on two masters, or a mksysb the primary lacks is
    listed as not imported."""
    first = inventory(observed, master, user, hmcs, cluster)
    merged = _Merged(first)
    found = []
    images = {i.name for i in first.images}
    for host, login in servers:
        name = host.split(".", 1)[0]
        seen = observed.at(host)
        own = inventory(seen, host, login, hmcs, cluster)
        found.append(merged.add(own, name, master_network(seen)))
        merged.skipped += [f"{name}: mksysb {i.name}_mksysb has no image of that name on "
                           f"{master}: xclone copies the primary's image to each master"
                           for i in own.images if i.name not in images]
    return dataclasses.replace(first, networks=tuple(merged.networks),
                               lpars=tuple(merged.lpars), skipped=tuple(merged.skipped),
                               servers=tuple(found))
