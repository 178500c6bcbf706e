"""A lab-file document whose world is the one a spec expects to find (`lab init --from-spec`).

The world is a fresh cluster: every partition the spec names exists on its HMC's managed system,
never activated (`Not Activated`, no current profile), so `getmacs -D` and `rnetboot` behave as
on hardware nobody has booted yet; each osimage's source node is an installed, running NIM
client; the management node is a configured NIM master on the subnet of the spec's first network
holding the SPOTs and resources the spec names. The simulator cannot read the spec itself (it
imports nothing outside xclone.sim and xclone.base), so the CLI hands it a `ClusterOutline`.
For `driver: nim` the master has no xCAT (`xcat: false`), holds the spec's postscript files and
existing mksysb files, and resolves each HMC's name. Each of the spec's `install_servers` is one
more NIM master (`nim_masters`) on the first network it serves (its `addresses` entry there,
else a free address), with that network as its `master_net`; under `driver: xcat` it is also
an xCAT node in group `service` on the management node (an xCAT service node, docs/lab.md).
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from xclone.sim import choices
from xclone.sim.errors import LabError
from xclone.sim.passwords import Stored

HEADER = "# Written by `xclone lab init --from-spec"
_CEC_NAME = re.compile(r"^Server-(\w{4})-(\w{3})-SN(\w+)$")  # how rscan names a managed system
_DEFAULT_TYPE_MODEL = "9117-MMA"
_GOLDEN_OS = "AIX 6.1 6100-09-05-1524"
_FALLBACK_NET = ipaddress.IPv4Network("10.0.0.0/24")


@dataclass(frozen=True)
class HmcOutline:
    name: str
    host: str
    username: str
    password: Stored | None       # the spec's reference, {"env": NAME} or {"file": PATH}


@dataclass(frozen=True)
class NetworkOutline:
    name: str
    net: str
    mask: str
    gateway: str | None


@dataclass(frozen=True)
class OsimageOutline:
    name: str
    source_node: str | None       # None (driver: nim): the mksysb is an existing file
    spot: str | None              # None: mknimimage builds it, so the lab has none
    resources: tuple[tuple[str, str], ...]   # (NIM resource type, name)
    location: str | None = None   # driver: nim: that existing mksysb file on the master


@dataclass(frozen=True)
class LparOutline:
    name: str
    hmc: str
    cec: str
    id: int
    profile: str
    ip: str | None
    mac: str | None               # canonical, when the spec gives one
    osimage: str | None = None


@dataclass(frozen=True)
class ServerOutline:
    """An install server of the spec: an xCAT service node or another NIM master."""

    name: str
    host: str
    networks: tuple[str, ...]           # the spec networks it serves, in its order
    addresses: tuple[tuple[str, str], ...] = ()  # (network, its IPv4 there)


@dataclass(frozen=True)
class ClusterOutline:
    """What of a spec shapes its lab: plain values, in the spec's order."""

    mn_host: str
    mn_name: str
    domain: str
    hmcs: tuple[HmcOutline, ...]
    networks: tuple[NetworkOutline, ...]
    osimages: tuple[OsimageOutline, ...]
    lpars: tuple[LparOutline, ...]
    driver: str = "xcat"          # nim: a NIM master without xCAT (docs/lab.md, "A NIM-only world")
    scripts_dir: str = "/export/nim/script_res"  # driver: nim: where the postscript files are
    scripts: tuple[str, ...] = ()  # every postscript name the spec uses
    install_servers: tuple[ServerOutline, ...] = ()


def system_identity(cec: str) -> tuple[str, str]:
    """Type-model and serial of a managed system: those its rscan name carries
    (`Server-9117-MMA-SN10F6F3D`), else a fixed model and a serial derived from the name."""
    match = _CEC_NAME.match(cec)
    if match:
        return f"{match[1]}-{match[2]}", match[3]
    return _DEFAULT_TYPE_MODEL, hashlib.sha256(cec.encode()).hexdigest()[:7].upper()


class _Macs:
    """Deterministic, unique MACs: `fe` + two bytes from the managed system's name + the
    partition id + slot 02, avoiding every MAC the spec fixes."""

    def __init__(self, fixed: Iterable[str]) -> None:
        self.used = set(fixed)

    def make(self, cec: str, lpar_id: int) -> str:
        prefix = int(hashlib.sha256(cec.encode()).hexdigest()[:4], 16)
        while True:
            mac = f"fe{prefix:04x}{lpar_id:04x}02"
            if mac not in self.used:
                self.used.add(mac)
                return mac
            prefix = (prefix + 1) % 0x10000


def _subnet(outline: ClusterOutline) -> tuple[ipaddress.IPv4Network, str | None]:
    if not outline.networks:
        return _FALLBACK_NET, None
    first = outline.networks[0]
    return ipaddress.IPv4Network(f"{first.net}/{first.mask}", strict=False), first.gateway


def _free_hosts(subnet: ipaddress.IPv4Network, taken: set[str]) -> Iterator[str]:
    """The subnet's addresses no LPAR of the spec uses, lowest first, then a clear error."""
    yield from (str(ip) for ip in subnet.hosts() if str(ip) not in taken)
    raise LabError(f"network {subnet} has no address left for the management node and the "
                   "golden NIM clients the lab adds; widen the spec's first network")


@dataclass(frozen=True)
class _Golden:
    name: str
    hmc: str
    cec: str
    id: int
    ip: str
    mac: str


def _goldens(outline: ClusterOutline, hosts: Iterator[str], macs: _Macs) -> list[_Golden]:
    """Each osimage's source node, on the managed system of the first LPAR installing from it
    (else of the first LPAR), with the lowest free partition id there."""
    names = {lpar.name for lpar in outline.lpars}
    ids: dict[str, set[int]] = {}
    for lpar in outline.lpars:
        ids.setdefault(lpar.cec, set()).add(lpar.id)
    found: list[_Golden] = []
    for image in outline.osimages:
        node = image.source_node
        if node is None or node in names or node in {g.name for g in found} \
                or not outline.lpars:
            continue
        home = next((lpar for lpar in outline.lpars if lpar.osimage == image.name),
                    outline.lpars[0])
        used = ids.setdefault(home.cec, set())
        lpar_id = next(i for i in range(1, len(used) + 2) if i not in used)
        used.add(lpar_id)
        found.append(_Golden(node, home.hmc, home.cec, lpar_id, next(hosts),
                             macs.make(home.cec, lpar_id)))
    return found


def _partition(lpar_id: int, profile: str, mac: str, **extra: str) -> dict[str, Any]:
    return {"id": lpar_id, "profiles": [profile], "state": "Not Activated", **extra,
            "adapters": [{"slot": 2, "mac": mac}]}


def _hmcs(outline: ClusterOutline, goldens: list[_Golden], macs: _Macs) -> dict[str, Any]:
    hmcs: dict[str, Any] = {}
    for hmc in outline.hmcs:
        entry: dict[str, Any] = {"hostnames": list(dict.fromkeys((hmc.name, hmc.host))),
                                 "username": hmc.username}
        if hmc.password is not None:
            entry["password"] = hmc.password
        hmcs[hmc.name] = {**entry, "systems": {}}

    def system(hmc: str, cec: str) -> dict[str, Any]:
        type_model, serial = system_identity(cec)
        systems: dict[str, dict[str, Any]] = hmcs[hmc]["systems"]
        return systems.setdefault(cec, {"type_model": type_model, "serial": serial,
                                        "state": "Operating", "lpars": {}})

    for golden in goldens:
        system(golden.hmc, golden.cec)["lpars"][golden.name] = _partition(
            golden.id, f"lpar{golden.id}", golden.mac, state="Running", os_version=_GOLDEN_OS)
    for lpar in outline.lpars:
        mac = lpar.mac or macs.make(lpar.cec, lpar.id)
        system(lpar.hmc, lpar.cec)["lpars"][lpar.name] = _partition(lpar.id, lpar.profile, mac)
    return hmcs


def _golden_xcat(golden: _Golden) -> dict[str, Any]:
    return {"groups": "lpar,all", "nodetype": "ppc,osi", "hwtype": "lpar", "mgt": "hmc",
            "cons": "hmc", "hcp": golden.hmc, "id": golden.id, "parent": golden.cec,
            "pprofile": f"lpar{golden.id}", "ip": golden.ip, "mac": golden.mac, "os": "AIX",
            "status": "booted", "statustime": "11-02-2026 09:14:55"}


def _resources(outline: ClusterOutline, mn_ip: str) -> dict[str, Any]:
    resources: dict[str, Any] = {}
    for image in outline.osimages:
        if image.spot is not None:
            resources[image.spot] = {"type": "spot",
                                     "location": f"/install/nim/spot/{image.spot}/usr"}
        for type_, name in image.resources:
            body: dict[str, Any] = {"type": type_, "location": f"/install/nim/{type_}/{name}"}
            if type_ == "resolv_conf":
                body["location"] += "/resolv.conf"
                body["content"] = f"nameserver {mn_ip}\ndomain {outline.domain}\n"
            resources[name] = body
    return resources


def lab_document(outline: ClusterOutline, *, instant: bool = False) -> dict[str, Any]:
    """The lab-file document (what `yaml.safe_dump` writes) for `outline`'s fresh cluster."""
    subnet, gateway = _subnet(outline)
    taken = {lpar.ip for lpar in outline.lpars if lpar.ip}
    hosts = _free_hosts(subnet, taken)
    mn_ip = next(hosts)
    macs = _Macs(lpar.mac for lpar in outline.lpars if lpar.mac)
    goldens = _goldens(outline, hosts, macs)
    master_net: dict[str, str] = {"net_addr": str(subnet.network_address),
                                  "snm": str(subnet.netmask)}
    if gateway:
        master_net["routing1"] = f"default {gateway}"
    mn_hostnames = dict.fromkeys((outline.mn_name, outline.mn_host,
                                  f"{outline.mn_name}.{outline.domain}"))
    nim_only = outline.driver == "nim"
    etc_hosts = choices.HOSTS_HEADER + f"{mn_ip} {' '.join(mn_hostnames)}\n" + "".join(
        f"{g.ip} {g.name} {g.name}.{outline.domain}\n" for g in goldens)
    if nim_only:  # NIM's own boot of managed clients finds each HMC by name (find_net)
        etc_hosts += "".join(f"{next(hosts)} {' '.join(dict.fromkeys((h.name, h.host)))}\n"
                             for h in outline.hmcs)
    mn: dict[str, Any] = {
        "name": outline.mn_name, "hostnames": list(mn_hostnames), "ip": mn_ip,
        "xcat": False if nim_only else {
            "site": {"clustersite": {"domain": outline.domain, "master": mn_ip,
                                     "nameservers": mn_ip, "ppctimeout": 0}},
            "node": {g.name: _golden_xcat(g) for g in goldens}},
        "nim": {
            "networks": {"master_net": master_net},
            "resources": _resources(outline, mn_ip),
            "machines": {g.name: {"if1": f"master_net {g.name} {g.mac} ent",
                                  "Mstate": "currently running", "Cstate_result": "success",
                                  "cpuid": f"00{system_identity(g.cec)[1][-6:]}4C00"}
                         for g in goldens}},
        "files": {"/etc/hosts": etc_hosts, **(_nim_files(outline) if nim_only else {})}}
    document: dict[str, Any] = {
        "version": 1, "seed": 1,
        "clock": {"instant": True} if instant else {"scale": 600},
        "management_node": mn,
        "hmcs": _hmcs(outline, goldens, macs),
    }
    if outline.install_servers:
        document["nim_masters"] = _servers(outline, mn, taken | {mn_ip} | {g.ip for g in goldens})
    return document


def _servers(outline: ClusterOutline, mn: dict[str, Any], taken: set[str]) -> dict[str, Any]:
    """The install servers as more NIM masters; under xcat each is also an xCAT node in group
    `service` (setupnfs, as an AIX service node has it) that the management node resolves."""
    networks = {n.name: n for n in outline.networks}
    masters: dict[str, Any] = {}
    files = _nim_files(outline) if outline.driver == "nim" else {}
    for server in outline.install_servers:
        net = networks.get(server.networks[0]) if server.networks else None
        subnet = ipaddress.IPv4Network(f"{net.net}/{net.mask}", strict=False) if net \
            else _FALLBACK_NET
        ip = dict(server.addresses).get(server.networks[0] if server.networks else "") \
            or next(_free_hosts(subnet, taken))
        taken.add(ip)
        names = list(dict.fromkeys((server.name, server.host,
                                    f"{server.name}.{outline.domain}")))
        line = f"{ip} {' '.join(names)}\n"
        master_net = {"net_addr": str(subnet.network_address), "snm": str(subnet.netmask)}
        if net is not None and net.gateway:
            master_net["routing1"] = f"default {net.gateway}"
        masters[server.name] = {
            "hostnames": names, "ip": ip,
            "nim": {"networks": {"master_net": master_net}},
            "files": {**files, "/etc/hosts": mn["files"]["/etc/hosts"] + line}}
        mn["files"]["/etc/hosts"] += line
        if outline.driver != "nim":
            mn["xcat"].setdefault("node", {})[server.name] = {
                "groups": "service,all", "ip": ip, "os": "AIX", "setupnfs": 1,
                "setupconserver": 1, "status": "booted"}
    return masters


def _nim_files(outline: ClusterOutline) -> dict[str, str]:
    """What a NIM shop keeps on its master for the spec: each postscript's file in the scripts
    directory (NIM defines a script resource only from an existing file) and each existing
    mksysb image an osimage names by `location`."""
    files = {f"{outline.scripts_dir.rstrip('/')}/{name}":
             f"#!/usr/bin/ksh\n# postscript {name} (lab stand-in)\nexit 0\n"
             for name in outline.scripts}
    files.update({image.location: f"mksysb image for {image.name} (lab stand-in)\n"
                  for image in outline.osimages if image.location})
    return files
