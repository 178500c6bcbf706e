"""The rules for several NIM masters (issue 17): which master installs which LPAR.

`management_node` is the primary NIM master: it makes each image and holds the cluster's
lock. Each entry of `install_servers` is another NIM master serving the networks it lists (the
management node serves every other network); an LPAR is installed by the master serving its
network, or by the one its `install_server:` names, which must serve that network (a NIM
client boots from a master with an interface or a route on its network). A network served by
two masters would leave the LPAR's master ambiguous, so it is an error, as is a name that is
no master, or a master reached at another's address. The NIM driver only: xCAT's own install
servers are service nodes, not planned yet.
"""

from __future__ import annotations

from xclone.base.diagnostics import Diagnostic
from xclone.base.yamlmarks import Marks, Path
from xclone.spec.locate import address_for
from xclone.spec.model import Spec
from xclone.spec.raw import RawSpec
from xclone.spec.resolve import LparOrigin


def _refuse_under_xcat(raw: RawSpec) -> list[tuple[Path, str]]:
    found: list[tuple[Path, str]] = []
    if raw.install_servers:
        found.append((("install_servers",), "install_servers: only the nim driver reads it "
                      "(xCAT service nodes are not planned yet); this spec's driver is xcat"))
    if "max_installs" in raw.management_node.model_fields_set:
        found.append((("management_node", "max_installs"), "max_installs: only the nim "
                      "driver reads it (this spec's driver is xcat)"))
    return found


def _servers(spec: Spec) -> list[tuple[Path, str]]:
    """Each server's networks exist and are served once; no two masters share a host."""
    found: list[tuple[Path, str]] = []
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
                          f"already {hosts[server.host]}'s; each NIM master is its own host"))
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
                              f"and {name}: one NIM master installs a network's LPARs"))
            else:
                served[net] = name
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
            found.append((path, f"install_server {chosen} is no NIM master of this "
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
    if spec.driver != "nim":
        problems = _refuse_under_xcat(raw)
        problems += [(origins[n].path("install_server"), "install_server: only the nim driver "
                      "reads it (this spec's driver is xcat)")
                     for n, lpar in spec.lpars.items() if lpar.install_server is not None]
    else:
        problems = _servers(spec) + _lpars(spec, origins)
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
