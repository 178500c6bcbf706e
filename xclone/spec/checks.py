"""Semantic checks across the resolved spec, collecting every problem rather than the first.

These are the rules no single model can see: references between sections, addresses and ids
that must be unique across LPARs, one HMC per CEC, networks that must not overlap, and an
osimage whose golden node would be reinstalled from that same image.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from xclone.base.address import Address
from xclone.base.diagnostics import Diagnostic, Location
from xclone.base.yamlmarks import Marks, Path
from xclone.spec.locate import address_for
from xclone.spec.model import Lpar, Spec
from xclone.spec.resolve import LparOrigin


class _Checker:
    def __init__(self, spec: Spec, origins: dict[str, LparOrigin], marks: Marks) -> None:
        self.spec = spec
        self.origins = origins
        self.marks = marks
        self.errors: list[Diagnostic] = []
        self.reported: set[Diagnostic] = set()
        self.networks = {name: net.network for name, net in spec.networks.items()}

    def at(self, lpar: str, field: str) -> Location | None:
        origin = self.origins.get(lpar)
        return self.marks.at(origin.path(field)) if origin else None

    def lpar_error(self, lpar: str, field: str, message: str, *, own: bool = False) -> None:
        """Report against the LPAR, or once against the range or defaults that wrote a value
        shared by many LPARs; `own` values (an IP counted up in a range) stay per LPAR."""
        address = str(Address("lpar", lpar))
        origin = self.origins.get(lpar)
        if not own and origin is not None and origin.path(field)[:2] != ("lpars", lpar):
            address = address_for(origin.path(field)) or address
        found = Diagnostic(message, self.at(lpar, field), address)
        if found not in self.reported:
            self.reported.add(found)
            self.errors.append(found)

    def error(self, path: Path, address: str, message: str, *, key: bool = False) -> None:
        self.errors.append(Diagnostic(message, self.marks.at(path, key=key), address))

    def run(self) -> list[Diagnostic]:
        for lpar in self.spec.lpars.values():
            self.references(lpar)
            self.address(lpar)
            self.interfaces(lpar)
        self.unique()
        self.one_hmc_per_cec()
        self.node_names()
        self.overlapping_networks()
        self.master_addresses()
        self.image_cycles()
        return self.errors

    def references(self, lpar: Lpar) -> None:
        spec = self.spec
        wanted: list[tuple[str, str, Mapping[str, object], str]] = [
            ("hmc", lpar.hmc, spec.hmcs, "hmcs")
        ]
        if lpar.osimage is not None:
            wanted.append(("osimage", lpar.osimage, spec.osimages, "osimages"))
        if lpar.network is not None:
            wanted.append(("network", lpar.network, spec.networks, "networks"))
        for field, name, known, section in wanted:
            if name not in known:
                self.lpar_error(lpar.name, field, _dangling(field, name, section, list(known)))
        for name in lpar.groups:
            if name not in spec.groups:
                self.lpar_error(lpar.name, "groups",
                                _dangling("group", name, "groups", list(spec.groups)))

    def address(self, lpar: Lpar) -> None:
        """The LPAR's ip must be a usable host address of its network."""
        network = self.spec.networks.get(lpar.network or "")
        if lpar.ip is None or network is None:
            return
        net = self.networks[lpar.network or ""]
        if lpar.ip not in net:
            self.lpar_error(lpar.name, "ip",
                            f"ip {lpar.ip} is outside network {lpar.network} {net}", own=True)
        elif net.prefixlen < 31 and lpar.ip in (net.network_address, net.broadcast_address):
            kind = "network" if lpar.ip == net.network_address else "broadcast"
            self.lpar_error(lpar.name, "ip", f"ip {lpar.ip} is the {kind} address of {net}",
                            own=True)
        elif lpar.ip == network.gateway:
            self.lpar_error(lpar.name, "ip",
                            f"ip {lpar.ip} is the gateway of network {lpar.network}", own=True)

    def interfaces(self, lpar: Lpar) -> None:
        """Each secondary interface is on a spec network, other than the install one, and its
        ip is inside that network."""
        for nic, iface in lpar.interfaces.items():
            net = self.networks.get(iface.network)
            if net is None:
                self.lpar_error(lpar.name, "interfaces", f"interfaces.{nic}: " + _dangling(
                    "network", iface.network, "networks", list(self.networks)), own=True)
            elif iface.ip not in net:
                self.lpar_error(lpar.name, "interfaces", f"interfaces.{nic}: ip {iface.ip} is "
                                f"outside network {iface.network} {net}", own=True)
            elif iface.ip == lpar.ip:
                self.lpar_error(lpar.name, "interfaces", f"interfaces.{nic}: ip {iface.ip} is "
                                "the install address (ip:)", own=True)

    def unique(self) -> None:
        """IPs and MACs unique across the cluster, partition ids unique per managed system."""
        seen: dict[tuple[str, object], str] = {}
        for lpar in self.spec.lpars.values():
            keys = [("ip", lpar.ip, "ip"), ("mac", lpar.mac, "mac"),
                    ("id", (lpar.cec, lpar.id), "id")]
            for kind, value, field in keys:
                if value is None:
                    continue
                first = seen.setdefault((kind, value), lpar.name)
                if first == lpar.name:
                    continue
                shown = f"id {lpar.id} on {lpar.cec}" if kind == "id" else f"{kind} {value}"
                self.lpar_error(lpar.name, field, own=True, message=(
                    f"{shown} is also used by lpar.{first} ({self.at(first, field)})"
                ))

    def one_hmc_per_cec(self) -> None:
        first: dict[str, Lpar] = {}
        for lpar in self.spec.lpars.values():
            if lpar.hmc not in self.spec.hmcs:
                continue
            other = first.setdefault(lpar.cec, lpar)
            if other.hmc != lpar.hmc:
                self.lpar_error(lpar.name, "hmc", (
                    f"cec {lpar.cec} is managed by hmc {other.hmc} for lpar.{other.name} "
                    f"({self.at(other.name, 'hmc')}); one CEC has one HMC"
                ))

    def node_names(self) -> None:
        """HMCs, CECs and LPARs are all xCAT nodes, and a noderange token that names a node
        never means the group of that name, so these names must not collide."""
        others = {name: "an HMC" for name in self.spec.hmcs}
        others.update({name: "a CEC" for name in self.spec.cecs()})
        for name in self.spec.lpars:
            if name in others:
                self.lpar_error(name, "name", f"LPAR name {name} is already {others[name]}")
        nodes = {**others, **{name: "an LPAR" for name in self.spec.lpars}}
        for group in self.spec.groups:
            if group in nodes:
                self.error(("groups", group), str(Address("group", group)),
                           f"group name {group} is also {nodes[group]}", key=True)

    def overlapping_networks(self) -> None:
        items = list(self.spec.networks.items())
        for i, (name, network) in enumerate(items):
            for other, earlier in items[:i]:
                if network.network.overlaps(earlier.network):
                    where = self.marks.at(("networks", other), key=True)
                    self.error(("networks", name, "net"), str(Address("network", name)), (
                        f"network {name} {network.network} overlaps network {other} "
                        f"{earlier.network} ({where})"
                    ))

    def master_addresses(self) -> None:
        """Each address the master has is inside the spec network it is listed under."""
        for name, ip in self.spec.management_node.addresses.items():
            path = ("management_node", "addresses", name)
            if name not in self.networks:
                self.error(path, "management_node", _dangling(
                    "network", name, "networks", list(self.networks)), key=True)
            elif ip not in self.networks[name]:
                self.error(path, "management_node",
                           f"address {ip} is outside network {name} {self.networks[name]}")

    def image_cycles(self) -> None:
        """An osimage's golden node must not be installed from that image (or a chain to it)."""
        for name, image in self.spec.osimages.items():
            if image.source_node is None:
                continue
            chain = [name]
            for node, used in self._image_chain(image.source_node):
                chain += [node, used]
                if used == name:
                    self.error(("osimages", name, "source_node"), str(Address("osimage", name)), (
                        f"source_node {image.source_node} is itself installed from osimage "
                        f"{name} (cycle: {' -> '.join(chain)})"
                    ))
                    break

    def _image_chain(self, node: str | None) -> Iterator[tuple[str, str]]:
        """(node, osimage it is installed from), following each image's source node."""
        seen: set[str] = set()
        while node is not None and node not in seen:
            seen.add(node)
            lpar = self.spec.lpars.get(node)
            if lpar is None or lpar.state != "installed" or lpar.osimage is None:
                return
            yield node, lpar.osimage
            image = self.spec.osimages.get(lpar.osimage)
            if image is None:
                return
            node = image.source_node


def _dangling(field: str, name: str, section: str, known: list[str]) -> str:
    listed = ", ".join(sorted(known)) or "none"
    return f"{field} {name!r} is not defined under {section} (defined: {listed})"


def check(spec: Spec, origins: dict[str, LparOrigin], marks: Marks) -> list[Diagnostic]:
    """Every semantic problem in `spec`, each located where the offending value is written."""
    return _Checker(spec, origins, marks).run()
