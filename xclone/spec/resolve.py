"""Apply `lpar_defaults` and expand `lpar_ranges` into one resolved `Lpar` per name.

Each resolved field remembers the document path it came from (the LPAR's own entry, the range,
or the defaults), so an error in a value shared by 60 LPARs points at the line that wrote it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Network
from typing import Any

from pydantic import BaseModel, ValidationError

from xclone.base import names
from xclone.base.address import Address
from xclone.base.diagnostics import Diagnostic
from xclone.base.noderange import NoderangeError, expand
from xclone.base.yamlmarks import Marks, Path
from xclone.spec.fields import MAX_LPAR_ID
from xclone.spec.limits import MAX_LPARS
from xclone.spec.locate import validation_diagnostics
from xclone.spec.model import Lpar
from xclone.spec.raw import LparRange, RawSpec

_RANGE_ONLY = frozenset({"names", "first_id", "first_ip"})


@dataclass(frozen=True)
class LparOrigin:
    """Where an LPAR was written (`entry`) and where each of its fields came from."""

    entry: Path
    fields: Mapping[str, Path] = field(default_factory=dict)

    def path(self, name: str) -> Path:
        return self.fields.get(name, (*self.entry, name))


@dataclass(frozen=True)
class Resolution:
    lpars: dict[str, Lpar]
    origins: dict[str, LparOrigin]
    diagnostics: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class _Candidate:
    name: str
    values: dict[str, Any]
    origin: LparOrigin


def _layer(
    model: BaseModel, base: Path, skip: frozenset[str] = frozenset()
) -> tuple[dict[str, Any], dict[str, Path]]:
    """The fields `model` sets itself (so defaults fill only the rest) and their paths."""
    own = model.model_fields_set - skip
    return {f: getattr(model, f) for f in own}, {f: (*base, f) for f in own}


def containing_network(ip: IPv4Address, networks: Mapping[str, IPv4Network]) -> str | None:
    """The first of `networks` (in the spec's order) holding `ip`."""
    return NetworkIndex(networks).find(ip)


class NetworkIndex:
    """Which network holds an address, the first in the spec's order as a walk over them would
    find it, by one dict look-up per distinct prefix length: 10,000 LPARs on 250 networks were
    1.3 million membership tests, a third of validating the spec."""

    def __init__(self, networks: Mapping[str, IPv4Network]) -> None:
        self._names = list(networks)
        tables: dict[int, dict[int, int]] = {}
        for position, network in enumerate(networks.values()):
            table = tables.setdefault(network.prefixlen, {})
            table.setdefault(int(network.network_address), position)
        self._tables = [(int(IPv4Network(f"0.0.0.0/{prefix}").netmask), table)
                        for prefix, table in sorted(tables.items())]

    def find(self, ip: IPv4Address) -> str | None:
        value = int(ip)
        found = [at for mask, table in self._tables if (at := table.get(value & mask)) is not None]
        return self._names[min(found)] if found else None


class _Resolver:
    def __init__(self, raw: RawSpec, marks: Marks) -> None:
        self.raw = raw
        self.marks = marks
        self.errors: list[Diagnostic] = []
        self.default_values, self.default_paths = _layer(raw.lpar_defaults, ("lpar_defaults",))
        self.networks = {name: net.network for name, net in raw.networks.items()}
        self.index = NetworkIndex(self.networks)

    def error(self, message: str, path: Path, address: str | None, *, key: bool = False) -> None:
        self.errors.append(Diagnostic(message, self.marks.at(path, key=key), address))

    def candidates(self) -> Iterator[_Candidate]:
        for name, entry in self.raw.lpars.items():
            base: Path = ("lpars", name)
            values, paths = _layer(entry, base)
            origin = LparOrigin(base, {**self.default_paths, **paths})
            yield _Candidate(name, {**self.default_values, **values}, origin)
        for index, ranged in enumerate(self.raw.lpar_ranges):
            yield from self._expand(index, ranged)

    def _expand(self, index: int, entry: LparRange) -> Iterator[_Candidate]:
        base: Path = ("lpar_ranges", index)
        label = f"lpar_ranges[{index}]"
        try:
            lpar_names = expand(entry.names, limit=MAX_LPARS)
        except NoderangeError as exc:
            self.error(f"names {entry.names!r}: {exc}", (*base, "names"), label)
            return
        if not lpar_names:
            self.error(f"names {entry.names!r} gives no LPAR names", (*base, "names"), label)
            return
        for name in lpar_names:
            problem = names.name_problem(name, "LPAR name", names.NIM_NAME_MAX)
            if problem:
                self.error(f"names {entry.names!r}: {problem}", (*base, "names"), label)
                return
        last_ip = int(entry.first_ip) + len(lpar_names) - 1 if entry.first_ip else 0
        if last_ip > 0xFFFFFFFF:
            message = f"first_ip {entry.first_ip} + {len(lpar_names)} names passes 255.255.255.255"
            self.error(message, (*base, "first_ip"), label)
            return
        last_id = entry.first_id + len(lpar_names) - 1
        if last_id > MAX_LPAR_ID:
            self.error(f"first_id {entry.first_id} + {len(lpar_names)} names passes partition id "
                       f"{MAX_LPAR_ID}, the most a managed system has: the last LPAR would get "
                       f"id {last_id}", (*base, "first_id"), label)
            return
        if entry.first_ip is not None and self._past_network(entry.first_ip, len(lpar_names),
                                                             (*base, "first_ip"), label):
            return
        values, paths = _layer(entry, base, _RANGE_ONLY)
        shared = {**self.default_values, **values}
        paths = {**self.default_paths, **paths, "id": (*base, "first_id")}
        if entry.first_ip is not None:
            paths["ip"] = (*base, "first_ip")
        origin = LparOrigin(base, paths)
        for offset, name in enumerate(lpar_names):
            own = {**shared, "id": entry.first_id + offset}
            if entry.first_ip is not None:
                own["ip"] = IPv4Address(int(entry.first_ip) + offset)
            yield _Candidate(name, own, origin)

    def _past_network(self, first: IPv4Address, count: int, path: Path, label: str) -> bool:
        """One error for a range whose IPs leave their network, instead of one per LPAR past
        the end (the broadcast address, then every IP outside)."""
        name = self.index.find(first)
        if name is None:
            known = ", ".join(f"{n} {net}" for n, net in self.networks.items())
            self.error(f"first_ip {first} is not inside any network ({known or 'none defined'})",
                       path, label)
            return True
        network = self.networks[name]
        last, usable = IPv4Address(int(first) + count - 1), network.broadcast_address - 1
        if network.prefixlen >= 31 or last <= usable:
            return False
        fits = int(usable) - int(first) + 1
        self.error(f"first_ip {first} + {count} names runs past network {name} ({network}): "
                   f"the last LPAR would get {last}; {fits} fit, up to {usable}", path, label)
        return True

    def resolve(self) -> Resolution:
        lpars: dict[str, Lpar] = {}
        origins: dict[str, LparOrigin] = {}
        seen: dict[str, Path] = {}
        for candidate in self.candidates():
            name, origin = candidate.name, candidate.origin
            # an empty name is reported under the type alone: it makes no address
            address = str(Address("lpar", name)) if name else "lpar"
            if name in seen:
                first = self.marks.at(seen[name], key=True)
                where = "lpars" if seen[name][0] == "lpars" else f"lpar_ranges[{seen[name][1]}]"
                self.error(f"{name} is defined twice: first in {where} at {first}, again here",
                           origin.entry, address, key=True)
                continue
            seen[name] = origin.entry
            values = self._with_network(candidate, address)
            if values is None:
                continue
            try:
                lpars[name] = Lpar.model_validate({"name": name, **values})
            except ValidationError as exc:
                self.errors.extend(validation_diagnostics(
                    exc, self.marks, base=origin.entry, fields=dict(origin.fields),
                    address=address, missing="{key} is not set, here nor in lpar_defaults",
                ))
                continue
            origins[name] = origin
        return Resolution(lpars, origins, tuple(self.errors))

    def _with_network(self, candidate: _Candidate, address: str) -> dict[str, Any] | None:
        """Fill `network` from `ip` when unset: xCAT and NIM both need to know it."""
        values = candidate.values
        ip = values.get("ip")
        if values.get("network") is not None or not isinstance(ip, IPv4Address):
            return values
        found = self.index.find(ip)
        if found is None:
            known = ", ".join(f"{n} {net}" for n, net in self.networks.items())
            self.error(f"ip {ip} is not inside any network ({known or 'none defined'})",
                       candidate.origin.path("ip"), address)
            return None
        return {**values, "network": found}


def resolve(raw: RawSpec, marks: Marks) -> Resolution:
    """Every LPAR resolved, with its origin; LPARs with errors are left out and reported."""
    return _Resolver(raw, marks).resolve()
