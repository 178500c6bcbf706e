"""The observed model: plain frozen data built from the probes' outputs, read by the planner.

Attributes are kept as the tools print them (strings), including attributes we do not know, so a
newer xCAT or NIM adding fields never breaks observation. The xCAT and NIM objects are the
records their parsers return (observed.parsers.records), held here as read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from types import MappingProxyType

from xclone.observed.parsers.aix import FileSystem
from xclone.observed.parsers.records import NimObject, XcatObject

__all__ = ["XCAT_TYPES", "Facts", "FileSystem", "ManagedSystem", "MasterLimits", "NimObject",
           "Observed", "Partition", "VirtualEth", "XcatObject"]

XCAT_TYPES = ("node", "group", "network", "osimage", "site")

# Managed system states in which the HMC cannot list or drive the partitions
# (docs/formats.md "HMC").
UNREACHABLE_STATES = frozenset({
    "No Connection", "Pending Authentication", "Failed Authentication", "Incomplete",
    "Version Mismatch", "Recovery",
})


@dataclass(frozen=True)
class ManagedSystem:
    """One line of `lssyscfg -r sys -F name,type_model,serial_num,state`."""

    hmc: str
    name: str
    type_model: str
    serial: str
    state: str

    @property
    def reachable(self) -> bool:
        return self.state not in UNREACHABLE_STATES


@dataclass(frozen=True)
class Partition:
    """One line of `lssyscfg -r lpar -m SYS -F ...` (see observed.probes for the field list)."""

    hmc: str
    system: str
    name: str
    lpar_id: int
    state: str
    curr_profile: str
    default_profile: str
    lpar_env: str
    os_version: str

    @property
    def profile(self) -> str:
        """The profile xCAT would use: current, or default when current is empty or `none`."""
        if self.curr_profile and self.curr_profile != "none":
            return self.curr_profile
        return self.default_profile


@dataclass(frozen=True)
class VirtualEth:
    """One line of `lshwres -r virtualio --rsubtype eth --level lpar -m SYS -F
    lpar_name,slot_num,mac_addr`: a virtual Ethernet adapter's MAC, read without a power-off.
    `mac` is canonical (xclone.base.mac: 12 lower-case hex digits)."""

    hmc: str
    system: str
    lpar: str
    slot: int
    mac: str


@dataclass(frozen=True)
class MasterLimits:
    """What the preflight read on the management node: root's `lsuser` attributes (`fsize`)
    and its file systems (`df -k`). Left out of the observed digest: free space moves all the
    time, and a saved plan must not go stale for it."""

    root: Mapping[str, str]
    filesystems: tuple[FileSystem, ...]
    # The xCAT driver's golden nodes (an osimage's mksysb not made yet), read over `xdsh`:
    # node -> root's `lsuser` attributes there (mksysb runs on that node: drivers/xcat/golden.py)
    golden: Mapping[str, Mapping[str, str]] = field(
        default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class Observed:
    """Everything observation saw. Keys: xcat[type][name], nim[name], systems[(hmc, name)],
    partitions[(hmc, system)] -> partitions of that managed system. The NIM driver also reads
    `hosts` (the master's /etc/hosts: address -> names, first name first) and `adapters`
    ((hmc, system) -> its partitions' virtual Ethernet adapters); the xCAT driver leaves both
    empty."""

    xcat: Mapping[str, Mapping[str, XcatObject]]
    nim: Mapping[str, NimObject]
    systems: Mapping[tuple[str, str], ManagedSystem]
    partitions: Mapping[tuple[str, str], tuple[Partition, ...]]
    hosts: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    adapters: Mapping[tuple[str, str], tuple[VirtualEth, ...]] = field(
        default_factory=lambda: MappingProxyType({}))
    # The NIM driver's `lsrefcode`: (hmc, system) -> partition -> its current reference code
    # (a boot under way is waited for, not booted again). Left out of the digest: codes move.
    refcodes: Mapping[tuple[str, str], Mapping[str, str]] = field(
        default_factory=lambda: MappingProxyType({}))
    # The NIM driver's reads of the files its own resources name (bosinst.data): path -> text.
    files: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    # The NIM driver's `cksum` of postscript files (several masters): path -> "CRC SIZE".
    checksums: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    preflight: MasterLimits | None = None  # None: the preflight probes did not run
    # The NIM driver's other NIM masters (spec install_servers) by host: each one's own
    # `lsnim -l` and /etc/hosts, as an Observed of its own (`at`).
    masters: Mapping[str, Observed] = field(default_factory=lambda: MappingProxyType({}))

    def at(self, host: str | None) -> Observed:
        """What NIM master `host` showed (its NIM objects and /etc/hosts beside the shared
        HMC facts); None: the management node's own view, this one."""
        if host is None:
            return self
        seen = self.masters[host]
        return replace(self, nim=seen.nim, hosts=seen.hosts, preflight=seen.preflight,
                       files=seen.files, checksums=seen.checksums,
                       masters=MappingProxyType({}))

    def macs(self, hmc: str, system: str, lpar: str) -> tuple[str, ...]:
        """The partition's virtual Ethernet MACs in slot order (empty: none seen)."""
        return tuple(a.mac for a in sorted(self._adapter_index.get((hmc, system, lpar), ()),
                                           key=lambda a: a.slot))

    @cached_property
    def _adapter_index(self) -> dict[tuple[str, str, str], list[VirtualEth]]:
        index: dict[tuple[str, str, str], list[VirtualEth]] = {}
        for adapters in self.adapters.values():
            for a in adapters:
                index.setdefault((a.hmc, a.system, a.lpar), []).append(a)
        return index

    def refcode(self, hmc: str, system: str, lpar: str) -> str | None:
        """The partition's current reference code; None: not read (the xCAT driver)."""
        return self.refcodes.get((hmc, system), {}).get(lpar)

    def xcat_object(self, type_: str, name: str) -> XcatObject | None:
        return self.xcat.get(type_, {}).get(name)

    def partition(self, hmc: str, system: str, name: str) -> Partition | None:
        return self._partition_index.get((hmc, system, name))

    @cached_property
    def _partition_index(self) -> dict[tuple[str, str, str], Partition]:
        """Built once: the planner looks up every LPAR of the spec (10,000 in the benchmarks)."""
        return {(p.hmc, p.system, p.name): p for parts in self.partitions.values() for p in parts}


@dataclass
class Facts:
    """The parts of an `Observed` while the probes' answers come in: each probe stores its parsed
    fact here (`Probe.store`), and `observed()` freezes the whole once every probe answered."""

    xcat: dict[str, dict[str, XcatObject]] = field(
        default_factory=lambda: {t: {} for t in XCAT_TYPES})
    nim: dict[str, NimObject] = field(default_factory=dict)
    systems: dict[tuple[str, str], ManagedSystem] = field(default_factory=dict)
    partitions: dict[tuple[str, str], tuple[Partition, ...]] = field(default_factory=dict)
    hosts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    adapters: dict[tuple[str, str], tuple[VirtualEth, ...]] = field(default_factory=dict)
    refcodes: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    checksums: dict[str, str] = field(default_factory=dict)
    masters: dict[str, Facts] = field(default_factory=dict)

    def master(self, host: str) -> Facts:
        """The facts of another NIM master, `host` (its lsnim and /etc/hosts go there)."""
        return self.masters.setdefault(host, Facts())
    limits: dict[str, str] | None = None
    filesystems: tuple[FileSystem, ...] | None = None
    golden: dict[str, dict[str, str]] = field(default_factory=dict)

    def add_limits(self, attrs: Mapping[str, str]) -> None:
        self.limits = dict(attrs)

    def add_golden_limits(self, node: str, attrs: Mapping[str, str]) -> None:
        self.golden[node] = dict(attrs)

    def add_filesystems(self, filesystems: tuple[FileSystem, ...]) -> None:
        self.filesystems = filesystems

    def add_hosts(self, entries: Mapping[str, tuple[str, ...]]) -> None:
        self.hosts.update(entries)

    def add_adapters(self, hmc: str, system: str, adapters: tuple[VirtualEth, ...]) -> None:
        """Set even when empty, as partitions are."""
        self.adapters[(hmc, system)] = adapters

    def add_refcodes(self, hmc: str, system: str, codes: Mapping[str, str]) -> None:
        self.refcodes[(hmc, system)] = dict(codes)

    def add_file(self, path: str, text: str) -> None:
        self.files[path] = text

    def add_checksums(self, sums: Mapping[str, str]) -> None:
        self.checksums.update(sums)

    def add_xcat(self, type_: str, objects: Iterable[XcatObject]) -> None:
        self.xcat.setdefault(type_, {}).update((o.name, o) for o in objects)

    def add_nim(self, objects: Iterable[NimObject]) -> None:
        self.nim.update((o.name, o) for o in objects)

    def add_systems(self, systems: Iterable[ManagedSystem]) -> None:
        self.systems.update(((s.hmc, s.name), s) for s in systems)

    def add_partitions(self, hmc: str, system: str, partitions: tuple[Partition, ...]) -> None:
        """Set even when empty: a managed system listed with no partitions is an answer."""
        self.partitions[(hmc, system)] = partitions

    def reachable_systems(self, hmc: str) -> frozenset[str]:
        """The managed systems this HMC showed in a state where it can list their partitions."""
        return frozenset(name for (h, name), system in self.systems.items()
                         if h == hmc and system.reachable)

    def observed(self) -> Observed:
        return Observed(
            xcat=MappingProxyType({t: MappingProxyType(o) for t, o in self.xcat.items()}),
            nim=MappingProxyType(self.nim),
            systems=MappingProxyType(self.systems),
            partitions=MappingProxyType(self.partitions),
            hosts=MappingProxyType(self.hosts),
            adapters=MappingProxyType(self.adapters),
            refcodes=MappingProxyType({k: MappingProxyType(v) for k, v in self.refcodes.items()}),
            files=MappingProxyType(self.files),
            checksums=MappingProxyType(self.checksums),
            masters=MappingProxyType({h: f.observed() for h, f in self.masters.items()}),
            preflight=None if self.limits is None or self.filesystems is None else
            MasterLimits(MappingProxyType(self.limits), self.filesystems, MappingProxyType(
                {node: MappingProxyType(attrs) for node, attrs in self.golden.items()})),
        )
