"""The NIM driver's fixed list of read-only commands: constant per host, never per LPAR.

On the NIM master `lsnim -l` (every object, one stanza each) and `cat /etc/hosts` (which client
names `hostent` already mapped), both in the C locale; per HMC `lssyscfg -r sys`; per managed
system `lssyscfg -r lpar`, `lshwres -r virtualio --rsubtype eth --level lpar` (the virtual
Ethernet MACs, read without powering anything off, unlike xCAT's `getmacs`) and `lsrefcode -r
lpar` (each partition's current reference code: an armed install whose partition is already
network-booting is waited for, never booted twice): 2 + 1 per HMC + 3 per managed system
(docs/nim-driver.md, step 1). The HMC probes the xCAT driver sends too are
observed.hmc_probes; nothing here imports the xCAT driver.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from xclone.base.command import C_LOCALE, Command
from xclone.base.mark import NIM_ATTR, carries
from xclone.drivers.nim import scriptsums
from xclone.observed import crosscheck
from xclone.observed.hmc_probes import partitions_probe, systems_probe
from xclone.observed.model import Facts, NimObject, VirtualEth
from xclone.observed.parsers import hmc, hosts, nim
from xclone.observed.preflight_probes import preflight_probes
from xclone.observed.probes import AnyProbe, HmcTarget, ObservationTargets, Probe

__all__ = ["adapters_probe", "first_round", "master_probes", "master_round", "refcodes_probe",
           "second_round"]

Adapter = tuple[str, int, str]


def _lsnim(host: str, timeout: float | None, other: bool) -> Probe[tuple[NimObject, ...]]:
    """`listing="nim"`: the overlap checks cite the management node's (NIM always defines
    `master`); another master's answer goes to its own facts (Facts.master)."""
    def store(facts: Facts, objects: tuple[NimObject, ...]) -> None:
        (facts.master(host) if other else facts).add_nim(objects)

    return Probe(host, "mn", Command.of("lsnim", "-l", env=C_LOCALE), nim.parse_lsnim_long,
                 store, listing="" if other else "nim", check=crosscheck.check_nim_master,
                 timeout=timeout)


def _etc_hosts(host: str, timeout: float | None, other: bool) -> AnyProbe:
    def store(facts: Facts, entries: Mapping[str, tuple[str, ...]]) -> None:
        (facts.master(host) if other else facts).add_hosts(entries)

    return Probe(host, "mn", Command.of("cat", "/etc/hosts", env=C_LOCALE), hosts.parse_hosts,
                 store, check=crosscheck.check_hosts, timeout=timeout)


def master_probes(host: str, timeout: float | None = None, *,
                  other: bool = False) -> tuple[AnyProbe, ...]:
    """A NIM master's two probes; `other`: one of the spec's install_servers, not the
    management node."""
    return _lsnim(host, timeout, other), _etc_hosts(host, timeout, other)


def adapters_probe(target: HmcTarget, system: str, timeout: float | None = None) -> AnyProbe:
    """The system's virtual Ethernet adapters. Stored after its partitions (second_round lists
    the partition probe first and answers are read in probe order), so the rows are checked
    against that listing here (crosscheck.check_adapters)."""
    command = Command.of("lshwres", "-r", "virtualio", "--rsubtype", "eth", "--level", "lpar",
                         "-m", system, "-F", ",".join(hmc.ETH_FIELDS))
    where = f"{target.host}: `{command.display()}`"

    def store(facts: Facts, rows: tuple[Adapter, ...]) -> None:
        partitions = facts.partitions.get((target.name, system))
        if partitions is not None:
            crosscheck.check_adapters(where, partitions, [(lpar, slot) for lpar, slot, _ in rows])
        facts.add_adapters(target.name, system, tuple(
            VirtualEth(target.name, system, lpar, slot, mac) for lpar, slot, mac in rows))

    return Probe(target.host, "hmc", command, hmc.parse_virtual_eth, store, timeout=timeout)


def _other_preflight(host: str, timeout: float | None) -> tuple[AnyProbe, ...]:
    """The preflight's two probes on another NIM master, stored in its own facts."""
    def moved(probe: AnyProbe) -> AnyProbe:
        def store(facts: Facts, fact: object) -> None:
            probe.store(facts.master(host), fact)
        return dataclasses.replace(probe, store=store)
    return tuple(moved(p) for p in preflight_probes(host, timeout))


def first_round(targets: ObservationTargets) -> tuple[AnyProbe, ...]:
    """Everything that needs no earlier answer: the master's two and each HMC's system list;
    with the preflight, its two on every master."""
    preflight = preflight_probes(targets.mn_host, targets.timeout) if targets.preflight else ()
    return (*master_probes(targets.mn_host, targets.timeout), *preflight,
            *(p for host in targets.masters  # two per other NIM master, sent with the rest
              for p in (*master_probes(host, targets.timeout, other=True),
                        *(_other_preflight(host, targets.timeout) if targets.preflight
                          else ()))),
            *(systems_probe(h, targets.timeout) for h in targets.hmcs))


def second_round(target: HmcTarget, shown: frozenset[str],
                 timeout: float | None = None) -> tuple[AnyProbe, ...]:
    """Per managed system the spec places on this HMC and the HMC can list: its partitions, then
    their adapters and reference codes; the others are left out and reported by the planner."""
    return tuple(probe for system in sorted(set(target.systems)) if system in shown
                 for probe in (partitions_probe(target, system, timeout),
                               adapters_probe(target, system, timeout),
                               refcodes_probe(target, system, timeout)))


REFCODE_FIELDS = ("lpar_name", "refcode")


def refcodes_probe(target: HmcTarget, system: str, timeout: float | None = None) -> AnyProbe:
    """`lsrefcode -r lpar -m SYS -F lpar_name,refcode`: one line per partition, its current
    code (HMC man page LSREFCODE: the default `-n 1` is the most recent); a blank code is a
    running AIX or none at all (docs/formats.md "HMC")."""
    command = Command.of("lsrefcode", "-r", "lpar", "-m", system, "-F", ",".join(REFCODE_FIELDS))

    def parse(text: str) -> dict[str, str]:
        return {r["lpar_name"]: r["refcode"].strip()
                for r in hmc.parse_fields(text, REFCODE_FIELDS)}

    def store(facts: Facts, codes: dict[str, str]) -> None:
        facts.add_refcodes(target.name, system, codes)

    return Probe(target.host, "hmc", command, parse, store, timeout=timeout)


def master_round(targets: ObservationTargets, facts: Facts) -> tuple[AnyProbe, ...]:
    """`cat LOCATION` of each bosinst_data resource carrying the cluster's mark (xclone wrote
    its file, so the plan compares its content with what xclone would write): one command per
    such resource, none on a master without any, on every NIM master (each one's into its own
    facts); someone else's resources are never read. With install servers, the checksums of
    their copies of the postscripts (drivers/nim/scriptsums.py)."""
    masters = ((targets.mn_host, facts), *((h, facts.master(h)) for h in targets.masters))
    return (*(_file_probe(host, obj.get("location"), targets.timeout, own is not facts)
              for host, own in masters for _, obj in sorted(own.nim.items())
              if obj.cls == "resources" and obj.type == "bosinst_data"
              and obj.get("location") and carries(obj.get(NIM_ATTR), targets.mark)),
            *scriptsums.probes(targets, facts))


def _file_probe(host: str, path: str, timeout: float | None, other: bool) -> AnyProbe:
    def store(facts: Facts, text: str) -> None:
        (facts.master(host) if other else facts).add_file(path, text)

    return Probe(host, "mn", Command.of("cat", path, env=C_LOCALE), str, store,
                 timeout=timeout)
