"""The fixed list of read-only commands observation runs: constant per host, never per LPAR.

Whole tables are read once (CONTRACT §3): five `lsdef` and one `lsnim -l` on the management node,
one `lssyscfg -r sys` per HMC, one `lssyscfg -r lpar` per managed system. xCAT and NIM run with
`LC_ALL=C` so their messages are the documented English ones; the HMC's restricted shell takes no
environment prefix (its messages are matched by HSCL code instead).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from xclone.base.command import Command

C_LOCALE = (("LC_ALL", "C"),)

SYS_FIELDS = ("name", "type_model", "serial_num", "state")
LPAR_FIELDS = (
    "name", "lpar_id", "state", "curr_profile", "default_profile", "lpar_env", "os_version",
)

ProbeKind = Literal["xcat_stanzas", "xcat_long", "lsnim_long", "hmc_systems", "hmc_partitions"]


@dataclass(frozen=True)
class HmcTarget:
    """An HMC as the spec names it (`name`), where to reach it (`host`), and the managed systems
    the spec places on it."""

    name: str
    host: str
    systems: tuple[str, ...]


@dataclass(frozen=True)
class Keep:
    """The LPARs and osimages the spec wants to exist: for them xclone's own order guarantees
    facts the cross-checks rely on (an installed node has its osimage and NIM machine)."""

    lpars: frozenset[str] = frozenset()
    osimages: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ObservationTargets:
    """What to observe, as plain data so that `observed` never imports `spec`. `mark` is the
    cluster's ownership mark (`xclone:<cluster>`) the cross-checks look for, `keep` what the spec
    wants to exist; `timeout` bounds each probe in seconds (the spec's `site.timeouts.command`;
    None: no limit)."""

    mn_host: str
    hmcs: tuple[HmcTarget, ...]
    mark: str = ""
    timeout: float | None = None
    keep: Keep = Keep()


@dataclass(frozen=True)
class Probe:
    """One read-only command, where it runs, and how to read its output. `xcat_type` names the
    xCAT object type for lsdef probes; `hmc`/`system` place HMC answers in the model."""

    host: str
    command: Command
    kind: ProbeKind
    xcat_type: str = ""
    hmc: str = ""
    system: str = ""


def _lsdef(host: str, xcat_type: str, form: str) -> Probe:
    kind: ProbeKind = "xcat_stanzas" if form == "-z" else "xcat_long"
    command = Command.of("lsdef", "-t", xcat_type, form, env=C_LOCALE)
    return Probe(host, command, kind, xcat_type=xcat_type)


def mn_probes(mn_host: str) -> tuple[Probe, ...]:
    """Nodes and groups in stanza form (no xcatdefaults merge: their own values, the form to diff
    against); networks, osimages and the site in long form; every NIM object."""
    return (
        _lsdef(mn_host, "node", "-z"),
        _lsdef(mn_host, "group", "-z"),
        _lsdef(mn_host, "network", "-l"),
        _lsdef(mn_host, "osimage", "-l"),
        _lsdef(mn_host, "site", "-l"),
        Probe(mn_host, Command.of("lsnim", "-l", env=C_LOCALE), "lsnim_long"),
    )


def systems_probe(hmc: HmcTarget) -> Probe:
    command = Command.of("lssyscfg", "-r", "sys", "-F", ",".join(SYS_FIELDS))
    return Probe(hmc.host, command, "hmc_systems", hmc=hmc.name)


def partitions_probe(hmc: HmcTarget, system: str) -> Probe:
    command = Command.of("lssyscfg", "-r", "lpar", "-m", system, "-F", ",".join(LPAR_FIELDS))
    return Probe(hmc.host, command, "hmc_partitions", hmc=hmc.name, system=system)


def first_round(targets: ObservationTargets) -> tuple[Probe, ...]:
    """Everything that needs no earlier answer: the MN tables and each HMC's system list."""
    return (*mn_probes(targets.mn_host), *(systems_probe(h) for h in targets.hmcs))


def second_round(hmc: HmcTarget, shown: frozenset[str]) -> tuple[Probe, ...]:
    """One partition list per managed system the spec places on this HMC and the HMC shows in a
    state where it can list partitions; the others are left out of the observation and reported
    by the planner."""
    return tuple(partitions_probe(hmc, s) for s in sorted(set(hmc.systems)) if s in shown)
