"""Turn a checked lab file into the rows of a fresh world."""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Any

from xclone.sim import choices
from xclone.sim.clock import Clock
from xclone.sim.costs import OFF
from xclone.sim.store import Body, Session
from xclone.sim.world import MASTERS, lpar_key

if TYPE_CHECKING:  # the NIM commands use resource() and network(): no lab-file parser for them
    from xclone.sim.labfile import LabSpec, MnSpec

MASTER_NET = "master_net"
_RESOURCE_DEFAULTS: dict[str, tuple[str, ...]] = {
    "spot": ("class", "type", "plat_defined", "arch", "bos_license", "Rstate", "prev_state",
             "location", "version", "release", "mod", "oslevel_r", "alloc_count", "server",
             "if_supported", "Rstate_result"),
    "lpp_source": ("class", "type", "arch", "Rstate", "prev_state", "location", "simages",
                   "alloc_count", "server"),
    "mksysb": ("class", "type", "creation_date", "source_image", "arch", "Rstate", "prev_state",
               "location", "version", "release", "mod", "oslevel_r", "oslevel_s", "alloc_count",
               "server"),
}
_SIMPLE = ("class", "type", "Rstate", "prev_state", "location", "alloc_count", "server")
_VALUES = {
    "class": "resources", "Rstate": "ready for use", "prev_state": "unavailable for use",
    "alloc_count": "0", "server": "master", "arch": "power", "plat_defined": "chrp",
    "bos_license": "yes", "version": "6", "release": "1", "mod": "0", "oslevel_r": "6100-09",
    "if_supported": "chrp.64 ent", "Rstate_result": "success", "simages": "yes",
}


def resource(name: str, type_: str, attrs: dict[str, str]) -> Body:
    """A NIM resource with the attribute set lsnim shows for its type, overlaid by `attrs`."""
    body: Body = {}
    for key in _RESOURCE_DEFAULTS.get(type_, _SIMPLE):
        body[key] = _VALUES.get(key, "")
    body["type"] = type_
    body["location"] = f"/install/nim/{type_}/{name}"
    body.update({k: v for k, v in attrs.items() if k != "content"})
    return {k: v for k, v in body.items() if v != ""}


def machine(attrs: dict[str, str]) -> Body:
    body: Body = {"class": "machines", "type": "standalone", "connect": "nimsh",
                  "platform": "chrp", "netboot_kernel": "64", "cable_type1": "N/A",
                  "Cstate": "ready for a NIM operation", "prev_state": "ready for a NIM operation",
                  "Mstate": "not running"}
    body.update(attrs)
    return body


def network(attrs: dict[str, str]) -> Body:
    """A NIM network as `lsnim -l` prints it: its own attributes before its state (IBM, "Defining
    a heterogeneous network", the `lsnim -l b905net` example)."""
    body: Body = {"class": "networks", "type": "ent", **attrs}
    body.setdefault("Nstate", "ready for use")
    body.setdefault("prev_state", "information is missing from this object's definition")
    return body


def covers(body: Body, ip: str) -> bool:
    """Whether a NIM network's net_addr and snm contain `ip` (what `find_net` looks for)."""
    try:
        net = ipaddress.IPv4Network(f"{body.get('net_addr')}/{body.get('snm')}", strict=False)
        return ipaddress.IPv4Address(ip) in net
    except ValueError:
        return False


def _master(session: Session, mn: MnSpec, scope: str = "") -> None:
    """The NIM master as xCAT configures it (aixinstall.pm lines 2495-2651: `nim_master_setup`,
    or `nimconfig -a netname=master_net -a cable_type=N/A`): a network object for its own subnet
    (`master_net` unless the lab file declares one that holds the management node's address; a
    /24 when it declares none) and `if1`/`cable_type1` on `master` naming it (xcat2nim.pm
    mkNIMnetwork lines 1580-1590 read the master's network from if1)."""
    networks = {n: network(a) for n, a in mn.nim.get("networks", {}).items()}
    primary = next((n for n, b in networks.items() if covers(b, mn.ip)), MASTER_NET)
    if primary not in networks:
        subnet = ipaddress.IPv4Network(f"{mn.ip}/24", strict=False)
        networks[primary] = network({"net_addr": str(subnet.network_address),
                                     "snm": str(subnet.netmask)})
    session.insert("nim" + scope, "master", {
        "class": "machines", "type": "master", "max_nimesis_threads": "20",
        "comments": "machine which controls the NIM environment", "platform": "chrp",
        "netboot_kernel": "64", "if1": f"{primary} {mn.name} 0", "cable_type1": "N/A",
        "Cstate": "ready for a NIM operation", "prev_state": "ready for a NIM operation",
        "Mstate": "currently running", "master_port": "1058", "registration_port": "1059",
        "reserved": "yes"})
    for name, body in networks.items():
        session.insert("nim" + scope, name, body)


def _files(session: Session, mn: MnSpec, scope: str = "") -> None:
    dirs = set(choices.FS_DIRS)
    files = {"/etc/hosts": choices.HOSTS_HEADER + f"{mn.ip} {' '.join(mn.hostnames)}\n"}
    for name, attrs in mn.nim.get("resources", {}).items():
        if "content" in attrs:
            files[resource(name, attrs["type"], attrs)["location"]] = attrs["content"]
    files.update(mn.files)
    for path in files:
        parts = path.split("/")[1:-1]
        dirs |= {"/" + "/".join(parts[:i]) for i in range(1, len(parts) + 1)}
    for path in sorted(dirs):
        session.insert("file" + scope, path, {"type": "dir"}, grp=path.rsplit("/", 1)[0] or "/")
    for path, content in files.items():
        session.insert("file" + scope, path, {"type": "file", "content": content},
                    grp=path.rsplit("/", 1)[0] or "/")


def _hmcs(session: Session, spec: LabSpec, hosts: dict[str, list[str]]) -> None:
    for hmc in spec.hmcs:
        for hostname in (hmc.name, *hmc.hostnames):
            hosts[hostname] = ["hmc", hmc.name]
        session.insert("hmc", hmc.name, {
            "name": hmc.name, "hostnames": list(hmc.hostnames), "username": hmc.username,
            "password": hmc.password, "type_model": hmc.type_model, "serial": hmc.serial})
        for system in hmc.systems:
            session.insert("sys", f"{hmc.name}/{system.name}", {
                "hmc": hmc.name, "name": system.name, "type_model": system.type_model,
                "serial": system.serial, "state": system.state, "ip": system.ip}, grp=hmc.name)
            for lpar in system.lpars:
                key = lpar_key(hmc.name, system.name, lpar.name)
                body: dict[str, Any] = {
                    "hmc": hmc.name, "sys": system.name, "name": lpar.name, "id": lpar.id,
                    "type_model": system.type_model, "serial": system.serial,
                    "state": lpar.state, "next": [], "profiles": list(lpar.profiles),
                    "default_profile": lpar.default_profile, "curr_profile": lpar.curr_profile,
                    "lpar_env": lpar.lpar_env, "os_version": lpar.os_version,
                    "adapters": [a.__dict__ for a in lpar.adapters]}
                session.insert("lpar", key, body, grp=f"{hmc.name}/{system.name}")
                session.insert("lpar_at", lpar.name, {"key": key})


def populate(session: Session, spec: LabSpec, digest: str) -> None:
    """Write every row of the world described by `spec` into an empty store."""
    mn = spec.mn
    hosts: dict[str, list[str]] = {h: ["mn", mn.name] for h in (mn.name, *mn.hostnames)}
    _hmcs(session, spec, hosts)
    session.set_meta("hosts", hosts)
    session.set_meta("mn", {"name": mn.name, "hostnames": list(mn.hostnames), "ip": mn.ip,
                            "xcat": mn.has_xcat})
    session.set_meta("clock", Clock.fresh(spec.start, spec.scale, spec.instant).to_json())
    session.set_meta("seed", spec.seed)
    session.set_meta("latency", spec.latency)
    if spec.costs != OFF:
        session.set_meta("costs", spec.costs.to_json())
    session.set_meta("digest", digest)
    session.set_meta("xcatdefaults", mn.xcatdefaults)
    session.set_meta("faults", len(spec.faults))
    for i, fault in enumerate(spec.faults):
        session.insert("fault", f"{i:06d}", {**fault.to_json(), "used": 0})
    xcat = dict(mn.xcat)
    if not xcat.get("site") and mn.has_xcat:
        xcat["site"] = {"clustersite": {"domain": "cluster.com", "master": mn.ip}}
    for type_, objects in xcat.items():
        for name, attrs in objects.items():
            session.insert("x:" + type_, name, {k: v for k, v in attrs.items() if v != ""})
    _nim(session, mn)
    masters: dict[str, dict[str, Any]] = {}
    for other in spec.masters:
        for hostname in (other.name, *other.hostnames):
            hosts[hostname] = ["mn", other.name]
        masters[other.name] = {"name": other.name, "hostnames": list(other.hostnames),
                               "ip": other.ip, "xcat": False}
        _nim(session, other, f"@{other.name}")
    if masters:
        session.set_meta("hosts", hosts)
        session.set_meta(MASTERS, masters)


def _nim(session: Session, mn: MnSpec, scope: str = "") -> None:
    """One NIM master's database and files (`scope`: "@NAME" for another master's rows)."""
    _master(session, mn, scope)
    kind = "nim" + scope
    session.insert(kind, "boot", resource("boot", "boot", {"location": "/tftpboot"}))
    session.insert(kind, "nim_script",
                   resource("nim_script", "nim_script", {"location": "/export/nim/scripts"}))
    for name, attrs in mn.nim.get("resources", {}).items():
        session.insert(kind, name, resource(name, attrs["type"], attrs))
    for name, attrs in mn.nim.get("machines", {}).items():
        session.insert(kind, name, machine(attrs))
    for name, attrs in mn.nim.get("groups", {}).items():
        session.insert(kind, name, {"class": "groups", "type": "mac_group", **attrs})
    _files(session, mn, scope)
