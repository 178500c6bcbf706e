"""The rules for install servers (issue 17): which server installs which LPAR.

`management_node` is the primary server: it makes each image and holds the cluster's lock.
Each entry of `install_servers` is another server serving the networks it lists (the
management node serves every other network); an LPAR is installed by the server serving its
network, or by the one its `install_server:` names, which must serve that network (a NIM
client boots from a master with an interface or a route on its network). A network served by
two servers would leave the LPAR's server ambiguous, so it is an error, as is a name that is
no server, or a server reached at another's address.

Under `driver: nim` the servers are NIM masters; under `driver: xcat` they are xCAT service
nodes, each the NIM master of the nodes it serves (xCAT's AIX hierarchical cluster: a node's
`servicenode` and `xcatmaster` attributes, perl-xCAT/xCAT/Schema.pm table noderes). A service
node can itself be an LPAR of the spec; it is then installed by another server, and the chain
of servers installing servers must end at the management node, never come back (a cycle).
An xCAT service node stages its installs by `XCAT_SN_INSTALLS` unless `max_installs` says
otherwise: xCAT's network planning guide gives about 150 AIX nodes per server.
"""

from __future__ import annotations

from xclone.base.diagnostics import Diagnostic
from xclone.base.yamlmarks import Marks, Path
from xclone.spec.locate import address_for
from xclone.spec.model import Spec
from xclone.spec.raw import RawSpec
from xclone.spec.resolve import LparOrigin

# xCAT documentation, "xCAT Network Planning", *Do You Need Hierarchy in Your Cluster?*: a
# management node or service node handles about 150 AIX nodes (about twice that when node
# deployment is staged). The default wave size of a service node's installs.
XCAT_SN_INSTALLS = 150


def install_limit(spec: Spec, server: str | None) -> int | None:
    """How many installs server `server` (None: the management node) runs per wave."""
    if server is None:
        return spec.management_node.max_installs
    limit = spec.install_servers[server].max_installs
    if limit is None and spec.driver == "xcat":
        return XCAT_SN_INSTALLS
    return limit


def _what(spec: Spec) -> str:
    return "service node" if spec.driver == "xcat" else "NIM master"


def _refuse_under_xcat(raw: RawSpec) -> list[tuple[Path, str]]:
    found: list[tuple[Path, str]] = []
    if "max_installs" in raw.management_node.model_fields_set:
        found.append((("management_node", "max_installs"), "max_installs: the xcat driver "
                      "reads it on install_servers (service nodes) only"))
    return found


def _hmc_servers(spec: Spec) -> list[tuple[Path, str]]:
    """An HMC's service_node is one of the spec's service nodes (xCAT driver only): PPC.pm
    dispatches its nodes' hardware commands to that node's xcatd."""
    found: list[tuple[Path, str]] = []
    for name, hmc in spec.hmcs.items():
        sn = hmc.service_node
        if sn is None:
            continue
        where: Path = ("hmcs", name, "service_node")
        if spec.driver != "xcat":
            found.append((where, f"hmc {name}: service_node is read by driver: xcat only "
                          "(xCAT service nodes); leave it out"))
        elif sn not in spec.install_servers:
            known = ", ".join(sorted(spec.install_servers)) or "none defined"
            found.append((where, f"hmc {name}: service_node {sn} is not under install_servers "
                          f"({known})"))
    return found


def _cycles(spec: Spec) -> list[tuple[Path, str]]:
    """A service node that is an LPAR of the spec is installed by a chain of servers that
    must end at the management node."""
    found: list[tuple[Path, str]] = []
    for name in sorted(spec.install_servers):
        chain, current = [name], name
        while (lpar := spec.lpars.get(current)) is not None and lpar.state != "absent":
            current = spec.server_of(lpar) or ""
            if not current:
                break
            if current in chain:
                loop = " -> ".join([*chain[chain.index(current):], current])
                found.append((("install_servers", name), f"install server {name} is an LPAR "
                              f"of this spec installed by a cycle of servers ({loop}): a "
                              "service node must be installed before the nodes it serves"))
                break
            chain.append(current)
    return found


def _servers(spec: Spec) -> list[tuple[Path, str]]:
    """Each server's networks exist and are served once; no two servers share a host."""
    found: list[tuple[Path, str]] = []
    what = _what(spec)
    if spec.install_servers and spec.netboot == "nim":
        found.append((("install_servers",), "install_servers: netboot: nim is not planned "
                      "with several NIM masters yet (each would need its own hmc and cec "
                      "objects); use netboot: hmc"))
    primary = spec.management_node
    hosts = {primary.host: "management_node"}
    names = {primary.xcat_name: "management_node"}
    served: dict[str, str] = {}
    for name, server in spec.install_servers.items():
        where: Path = ("install_servers", name)
        if server.host in hosts:
            found.append(((*where, "host"), f"install server {name}: host {server.host} is "
                          f"already {hosts[server.host]}'s; each {what} is its own host"))
        hosts.setdefault(server.host, f"install_servers.{name}")
        if name in names:
            found.append((where, f"install server {name}: the management node is already "
                          "called so; an LPAR's install_server could not tell them apart"))
        for index, net in enumerate(server.networks):
            at: Path = (*where, "networks", index)
            if net not in spec.networks:
                known = ", ".join(sorted(spec.networks)) or "none defined"
                found.append((at, f"install server {name}: network {net} is not under "
                              f"networks ({known})"))
            elif net in served:
                found.append((at, f"network {net} is served by install servers {served[net]} "
                              f"and {name}: one {what} installs a network's LPARs"))
            else:
                served[net] = name
    return found


def _addresses(spec: Spec) -> list[tuple[Path, str]]:
    """Each address an install server lists is inside the spec network it is listed under, as
    for the management node (spec/checks.py): an xCAT service node's address becomes its
    nodes' `xcatmaster`, a NIM master's its interface, and one outside the network would be
    unreachable from the LPARs booting there."""
    found: list[tuple[Path, str]] = []
    for name, server in spec.install_servers.items():
        for net, ip in server.addresses.items():
            at: Path = ("install_servers", name, "addresses", net)
            if net not in spec.networks:
                known = ", ".join(sorted(spec.networks)) or "none defined"
                found.append((at, f"install server {name}: addresses: network {net} is not "
                              f"under networks ({known})"))
            elif ip not in spec.networks[net].network:
                found.append((at, f"install server {name}: address {ip} is outside network "
                              f"{net} {spec.networks[net].network}"))
    return found


def _lpars(spec: Spec, origins: dict[str, LparOrigin]) -> list[tuple[Path, str]]:
    """An LPAR's explicit install_server exists and serves its network."""
    found: list[tuple[Path, str]] = []
    primary = spec.management_node.xcat_name
    known = ", ".join([primary, *sorted(spec.install_servers)])
    for name, lpar in spec.lpars.items():
        chosen = lpar.install_server
        if chosen is None or lpar.state == "absent":
            continue
        path = origins[name].path("install_server")
        if chosen != primary and chosen not in spec.install_servers:
            found.append((path, f"install_server {chosen} is no {_what(spec)} of this "
                          f"spec ({known})"))
            continue
        by_network = spec.server_of(lpar.model_copy(update={"install_server": None}))
        if (None if chosen == primary else chosen) != by_network:
            serving = primary if by_network is None else by_network
            found.append((path, f"install_server {chosen} does not serve network "
                          f"{lpar.network} ({serving} does): list the network under its "
                          "networks, or leave install_server out"))
    return found


def check_servers(raw: RawSpec, spec: Spec, origins: dict[str, LparOrigin],
                  marks: Marks) -> list[Diagnostic]:
    """Every install-server problem in the spec, each located where it is written; one per
    place and message (an LPAR range's shared value is reported once)."""
    problems = (_servers(spec) + _addresses(spec) + _lpars(spec, origins)
                + _hmc_servers(spec))
    if spec.driver == "xcat":
        problems += _refuse_under_xcat(raw) + _cycles(spec)
    diagnostics: list[Diagnostic] = []
    seen: set[tuple[Path, str]] = set()
    for path, message in problems:
        if (path, message) in seen:
            continue
        seen.add((path, message))
        key = path[-1] != "install_server" and not isinstance(path[-1], int)
        diagnostics.append(Diagnostic(message, marks.at(path, key=key),
                                      address_for(path, spec.cluster)))
    return diagnostics
