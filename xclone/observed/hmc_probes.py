"""The HMC probes every driver sends: `lssyscfg -r sys` once per HMC, `lssyscfg -r lpar` once per
managed system. Both drivers read the same partition facts (names, ids, states, profiles), so
the fields and parse functions live here, in the core, rather than in one driver the other may
not import. The HMC's restricted shell takes no environment prefix (observed.probes.Probe).
"""

from __future__ import annotations

from functools import partial

from xclone.base.command import Command
from xclone.observed import crosscheck
from xclone.observed.model import Facts, ManagedSystem, Partition
from xclone.observed.parsers import hmc
from xclone.observed.parsers.errors import fail
from xclone.observed.probes import AnyProbe, HmcTarget, Probe

SYS_FIELDS = ("name", "type_model", "serial_num", "state")
LPAR_FIELDS = (
    "name", "lpar_id", "state", "curr_profile", "default_profile", "lpar_env", "os_version",
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
