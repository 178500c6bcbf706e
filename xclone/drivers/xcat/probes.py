"""The xCAT driver's fixed list of read-only commands: constant per host, never per LPAR.

Whole tables are read once (CONTRACT §3): five `lsdef` and one `lsnim -l` on the management node,
one `lssyscfg -r sys` per HMC, one `lssyscfg -r lpar` per managed system. A probe is a value, as
a pyinfra fact is: its command, the host and role it runs on, a pure parse function for its
output and where the parsed fact goes in the observed model; the observe runner only sends the
commands and hands each answer to its probe. xCAT and NIM run in the C locale
(`xclone.base.command.C_LOCALE`) so their messages are the documented English ones; the HMC's
restricted shell takes no environment prefix (its messages are matched by HSCL code instead).
"""

from __future__ import annotations

from functools import partial

from xclone.base.command import C_LOCALE, Command
from xclone.observed import crosscheck
from xclone.observed.model import Facts, ManagedSystem, NimObject, Partition, XcatObject
from xclone.observed.parsers import hmc, nim, xcat
from xclone.observed.parsers.errors import fail
from xclone.observed.probes import AnyProbe, HmcTarget, ObservationTargets, Probe

SYS_FIELDS = ("name", "type_model", "serial_num", "state")
LPAR_FIELDS = (
    "name", "lpar_id", "state", "curr_profile", "default_profile", "lpar_env", "os_version",
)


def _lsdef(host: str, xcat_type: str, form: str, timeout: float | None) -> AnyProbe:
    """Stanza form (`-z`) for nodes and groups: their own values, without the xcatdefaults
    merge, the form to diff against; long form (`-l`) for the other types."""
    reader = xcat.parse_stanzas if form == "-z" else xcat.parse_long

    def store(facts: Facts, objects: tuple[XcatObject, ...]) -> None:
        facts.add_xcat(xcat_type, objects)

    return Probe(host, "mn", Command.of("lsdef", "-t", xcat_type, form, env=C_LOCALE),
                 partial(reader, default_type=xcat_type), store, listing=xcat_type,
                 timeout=timeout)


def _lsnim(host: str, timeout: float | None) -> Probe[tuple[NimObject, ...]]:
    return Probe(host, "mn", Command.of("lsnim", "-l", env=C_LOCALE), nim.parse_lsnim_long,
                 Facts.add_nim, listing="nim", timeout=timeout)


def mn_probes(mn_host: str, timeout: float | None = None) -> tuple[AnyProbe, ...]:
    """Nodes and groups in stanza form; networks, osimages and the site in long form; every
    NIM object."""
    return (
        _lsdef(mn_host, "node", "-z", timeout),
        _lsdef(mn_host, "group", "-z", timeout),
        _lsdef(mn_host, "network", "-l", timeout),
        _lsdef(mn_host, "osimage", "-l", timeout),
        _lsdef(mn_host, "site", "-l", timeout),
        _lsnim(mn_host, timeout),
    )


def _systems(hmc_name: str, text: str) -> tuple[ManagedSystem, ...]:
    """`lssyscfg -r sys -F SYS_FIELDS` rows as managed systems of the HMC the spec names."""
    return tuple(ManagedSystem(hmc_name, row["name"], row["type_model"], row["serial_num"],
                               row["state"]) for row in hmc.parse_fields(text, SYS_FIELDS))


def _partitions(hmc_name: str, system: str, text: str) -> tuple[Partition, ...]:
    """`lssyscfg -r lpar -m SYS -F LPAR_FIELDS` rows as partitions; `lpar_id` is a number."""
    parts: list[Partition] = []
    for index, row in enumerate(hmc.parse_fields(text, LPAR_FIELDS)):
        try:
            lpar_id = int(row["lpar_id"])
        except ValueError:
            lines = text.splitlines()
            raise fail(index + 1, lines[index] if index < len(lines) else "",
                       "lpar_id is not a number") from None
        parts.append(Partition(
            hmc_name, system, row["name"], lpar_id, row["state"], row["curr_profile"],
            row["default_profile"], row["lpar_env"], row["os_version"],
        ))
    return tuple(parts)


def systems_probe(target: HmcTarget, timeout: float | None = None) -> AnyProbe:
    return Probe(target.host, "hmc",
                 Command.of("lssyscfg", "-r", "sys", "-F", ",".join(SYS_FIELDS)),
                 partial(_systems, target.name), Facts.add_systems, timeout=timeout)


def partitions_probe(target: HmcTarget, system: str,
                     timeout: float | None = None) -> AnyProbe:
    def store(facts: Facts, partitions: tuple[Partition, ...]) -> None:
        facts.add_partitions(target.name, system, partitions)

    command = Command.of("lssyscfg", "-r", "lpar", "-m", system, "-F", ",".join(LPAR_FIELDS))
    return Probe(target.host, "hmc", command, partial(_partitions, target.name, system), store,
                 check=crosscheck.check_partitions, timeout=timeout)


def first_round(targets: ObservationTargets) -> tuple[AnyProbe, ...]:
    """Everything that needs no earlier answer: the MN tables and each HMC's system list."""
    return (*mn_probes(targets.mn_host, targets.timeout),
            *(systems_probe(h, targets.timeout) for h in targets.hmcs))


def second_round(target: HmcTarget, shown: frozenset[str],
                 timeout: float | None = None) -> tuple[AnyProbe, ...]:
    """One partition list per managed system the spec places on this HMC and the HMC shows in a
    state where it can list partitions; the others are left out of the observation and reported
    by the planner."""
    return tuple(partitions_probe(target, s, timeout)
                 for s in sorted(set(target.systems)) if s in shown)
