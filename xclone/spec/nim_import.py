"""`xclone import --from-nim`: write a first `driver: nim` spec from what a NIM master and its
HMCs show.

The input is plain data (`NimInventory`, filled by the NIM driver from one observation, so the
spec layer never reads an observation itself); the output is text meant for a person to read and
finish, as `import --stanza` writes it (spec/importer.py: quoting, HMC password references,
`lpar_ranges` for LPARs whose names, ids and IPs count up together). Each value NIM and the HMCs
cannot tell is `<TODO>`, which `xclone validate` rejects with its line and column. What is
written is what the NIM planners would find again, so that after `xclone import SPEC --all` the
next plan installs nothing:

- a NIM `ent` network becomes a network under its own name (its `routing1` default gateway as
  `gateway`); the LPARs' `network:` is left out, since it defaults to the one holding their IP;
- a standalone machine becomes an LPAR of the partition of the same name (its HMC, managed
  system, id and profile), its IP from the master's /etc/hosts, `mac:` only when its `if1`
  MAC is not the partition's first virtual Ethernet MAC (the NIM driver reads that one from
  `lshwres`); `state: installed` only when NIM shows its last install succeeded, else `defined`,
  so that no plan installs a machine that was not installed;
- a mksysb resource becomes an osimage on its file (`location:`), with the SPOT it was paired
  with (`spot: NAME`, used as it is), and the bosinst_data resource to use when it is not the
  one xclone makes (`<image>_bid`);
- another NIM master (`--install-server`) becomes an `install_servers` entry serving the
  networks its machines are on: its LPARs are installed from it by their network.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from xclone.base.noderange import compact
from xclone.spec.importer import (
    TODO,
    count,
    env_name,
    flow,
    header,
    runs,
    scalar,
)
from xclone.spec.stanza_import import ImportedLpar, Source

_NO_SOURCE = Source(0, (), ())


@dataclass(frozen=True)
class NimHmc:
    name: str
    host: str
    username: str = "hscroot"


@dataclass(frozen=True)
class NimNetwork:
    name: str
    net: str
    mask: str
    gateway: str | None = None


@dataclass(frozen=True)
class NimImage:
    """An osimage: its name, the mksysb file, the SPOT and bosinst_data to use (None: xclone's
    own), and comments for the reader (what was guessed)."""

    name: str
    location: str
    spot: str | None
    bosinst_data: str | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class NimLpar:
    name: str
    hmc: str
    cec: str
    id: int
    profile: str | None
    ip: str | None
    mac: str | None  # only when the spec must say it
    installed: bool
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class NimServer:
    """Another NIM master: its name in the spec, how to reach it, the networks it serves."""

    name: str
    host: str
    user: str
    networks: tuple[str, ...]


@dataclass(frozen=True)
class NimInventory:
    master: str
    user: str
    hmcs: tuple[NimHmc, ...]
    networks: tuple[NimNetwork, ...]
    images: tuple[NimImage, ...]
    lpars: tuple[NimLpar, ...]
    cluster: str | None = None
    skipped: tuple[str, ...] = field(default=())  # NIM objects not imported, and why
    min_range: int = 3  # shorter runs read better as separate entries
    servers: tuple[NimServer, ...] = ()  # the other NIM masters (install_servers)


def _as_imported(lpar: NimLpar) -> ImportedLpar:
    """The stanza importer's LPAR record, so its range cutting applies unchanged."""
    return ImportedLpar(lpar.name, lpar.id, lpar.hmc, lpar.cec, lpar.profile, (), lpar.ip,
                        lpar.mac, (), (), (), _NO_SOURCE)


def _majority(values: Sequence[Any]) -> Any:
    counted = Counter(v for v in values if v is not None)
    if not counted:
        return None
    value, times = counted.most_common(1)[0]
    return value if times * 2 > len(values) else None


def _defaults(inventory: NimInventory) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key in ("hmc", "cec", "profile"):
        value = _majority([getattr(lp, key) for lp in inventory.lpars])
        if value is not None:
            found[key] = value
    images = [i.name for i in inventory.images]
    found["osimage"] = images[0] if len(images) == 1 else TODO
    return found


def _fields(lpar: NimLpar, defaults: dict[str, Any]) -> list[tuple[str, Any]]:
    """What one LPAR (or the first of a range) sets beyond the defaults and id/ip."""
    fields: list[tuple[str, Any]] = [(k, getattr(lpar, k)) for k in ("hmc", "cec", "profile")
                                     if getattr(lpar, k) != defaults.get(k)]
    if not lpar.installed:
        fields.append(("state", "defined"))
    return fields


def _lpar_lines(singles: Sequence[NimLpar], defaults: dict[str, Any]) -> list[str]:
    lines = ["lpars:" if singles else "lpars: {}"]
    for lpar in singles:
        lines += [f"  # {note}" for note in lpar.notes]
        fields: list[tuple[str, Any]] = [("id", lpar.id), ("ip", lpar.ip)]
        if lpar.mac:
            fields.append(("mac", lpar.mac))
        lines.append(f"  {lpar.name}: {flow([*fields, *_fields(lpar, defaults)])}")
    return lines


def _range_lines(ranges: Sequence[Sequence[NimLpar]], defaults: dict[str, Any]) -> list[str]:
    if not ranges:
        return []
    lines = ["lpar_ranges:"]
    for members in ranges:
        first = members[0]
        lines += [f"  # {lp.name}: {note}" for lp in members for note in lp.notes]
        lines.append(f"  - names: {scalar(compact(lp.name for lp in members))}")
        lines.append(f"    first_id: {scalar(first.id)}")
        lines.append(f"    first_ip: {scalar(first.ip)}")
        lines += [f"    {k}: {scalar(v)}" for k, v in _fields(first, defaults)]
    return lines


def _cut(inventory: NimInventory) -> tuple[list[NimLpar], list[list[NimLpar]]]:
    """Single LPARs and ranges; installed and defined LPARs never share a range."""
    by_name = {lp.name: lp for lp in inventory.lpars}
    singles: list[NimLpar] = []
    ranges: list[list[NimLpar]] = []
    for installed in (True, False):
        bucket = [_as_imported(lp) for lp in inventory.lpars if lp.installed is installed]
        for run in runs(bucket):
            members = [by_name[lp.name] for lp in run]
            if len(members) >= inventory.min_range:
                ranges.append(members)
            else:
                singles += members
    return sorted(singles, key=lambda lp: lp.name), ranges


def _hmc_lines(hmcs: Iterable[NimHmc]) -> list[str]:
    shown = list(hmcs)
    lines = ["hmcs:" if shown else "hmcs: {}"]
    for hmc in shown:
        fields = [("host", hmc.host), ("username", hmc.username),
                  ("password", {"env": env_name(hmc.name)})]
        lines.append(f"  {hmc.name}: {flow(fields)}")
    return lines


def _section(key: str, entries: list[str], missing: str, placeholder: str) -> list[str]:
    """A map of the spec; when NIM showed nothing for it, one entry to fill in, saying what
    NIM lacks."""
    if entries:
        return [f"{key}:", *entries]
    return [f"{key}:", f"  # TODO: NIM lists no {missing}", f"  {TODO}: {placeholder}"]


def _network_lines(networks: Sequence[NimNetwork]) -> list[str]:
    entries = []
    for net in networks:
        fields: list[tuple[str, Any]] = [("net", net.net), ("mask", net.mask)]
        if net.gateway:
            fields.append(("gateway", net.gateway))
        entries.append(f"  {net.name}: {flow(fields)}")
    return _section("networks", entries,
                    "ent network: the install network holding the LPARs",
                    f"{{net: {TODO}, mask: {TODO}, gateway: {TODO}}}")


def _image_lines(images: Sequence[NimImage]) -> list[str]:
    entries = []
    for image in images:
        entries += [f"  # {note}" for note in image.notes]
        fields: list[tuple[str, Any]] = [("location", image.location),
                                         ("spot", image.spot or TODO)]
        if image.bosinst_data:
            fields.append(("bosinst_data", image.bosinst_data))
        entries.append(f"  {image.name}: {flow(fields)}")
    return _section("osimages", entries, "mksysb resource: the image to clone from",
                    f"{{location: {TODO}, spot: {TODO}}}")


def _server_lines(servers: Sequence[NimServer]) -> list[str]:
    if not servers:
        return []
    lines = ["install_servers:"]
    for server in servers:
        fields: list[tuple[str, Any]] = [("host", server.host), ("user", server.user),
                                         ("networks", list(server.networks) or [TODO])]
        lines.append(f"  {server.name}: {flow(fields)}")
    return lines


# What the header says to do before the first plan, beside replacing the placeholders.
_ADVICE = (
    "# adopt what exists with `xclone import THIS_FILE --all` before the first plan.",
    "# LPARs NIM shows installed stay as they are; `state: defined` ones are not installed",
    "# by any plan until you change that. NIM keeps no record of the scripts an install ran:",
    "# add `groups:` and `postscripts:` for the next installs.",
)


def _header(inventory: NimInventory) -> list[str]:
    cecs = {lp.cec for lp in inventory.lpars}
    return header(
        f"# Imported with `xclone import --from-nim` from NIM master {inventory.master}"
        f"{''.join(f', {s.host}' for s in inventory.servers)}: "
        f"{count(len(inventory.lpars), 'LPAR')} on {count(len(cecs), 'managed system')} of "
        f"{count(len(inventory.hmcs), 'HMC')}.",
        _ADVICE, "Not imported", inventory.skipped)


def render_nim_spec(inventory: NimInventory) -> str:
    """The spec text for `inventory`; valid once every `<TODO>` is replaced."""
    defaults = _defaults(inventory)
    singles, ranges = _cut(inventory)
    master = flow([("host", inventory.master), ("user", inventory.user)])
    lines = [
        *_header(inventory),
        "version: 1",
        f"cluster: {scalar(inventory.cluster or TODO)}",
        "driver: nim",
        f"management_node: {master}",
        *_server_lines(inventory.servers),
        *_hmc_lines(inventory.hmcs),
        *_network_lines(inventory.networks),
        *_image_lines(inventory.images),
        f"lpar_defaults: {flow(defaults.items())}",
        *_lpar_lines(singles, defaults),
        *_range_lines(ranges, defaults),
    ]
    return "\n".join(lines) + "\n"
