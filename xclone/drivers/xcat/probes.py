"""The xCAT driver's fixed list of read-only commands: constant per host, never per LPAR.

Whole tables are read once (CONTRACT §3): five `lsdef` and one `lsnim -l` on the management node,
one `lsnim -l` on each service node (servicenodes.py), one `lssyscfg -r sys` per HMC, one
`lssyscfg -r lpar` per managed system (those two are observed.hmc_probes, shared with the NIM
driver). A probe is a value, as
a pyinfra fact is: its command, the host and role it runs on, a pure parse function for its
output and where the parsed fact goes in the observed model; the observe runner only sends the
commands and hands each answer to its probe. xCAT and NIM run in the C locale
(`xclone.base.command.C_LOCALE`) so their messages are the documented English ones; the HMC's
restricted shell takes no environment prefix (its messages are matched by HSCL code instead).
"""

from __future__ import annotations

from functools import partial

from xclone.base.command import C_LOCALE, Command
from xclone.observed.hmc_probes import partitions_probe, systems_probe
from xclone.observed.model import Facts, NimObject, XcatObject
from xclone.observed.parsers import nim, xcat
from xclone.observed.preflight_probes import preflight_probes
from xclone.observed.probes import AnyProbe, HmcTarget, ObservationTargets, Probe

__all__ = ["first_round", "mn_probes", "partitions_probe", "second_round", "systems_probe"]


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


def first_round(targets: ObservationTargets) -> tuple[AnyProbe, ...]:
    """Everything that needs no earlier answer: the MN tables and each HMC's system list."""
    preflight = preflight_probes(targets.mn_host, targets.timeout) if targets.preflight else ()
    return (*mn_probes(targets.mn_host, targets.timeout), *preflight,
            *(systems_probe(h, targets.timeout) for h in targets.hmcs))


def second_round(target: HmcTarget, shown: frozenset[str],
                 timeout: float | None = None) -> tuple[AnyProbe, ...]:
    """One partition list per managed system the spec places on this HMC and the HMC shows in a
    state where it can list partitions; the others are left out of the observation and reported
    by the planner."""
    return tuple(partitions_probe(target, s, timeout)
                 for s in sorted(set(target.systems)) if s in shown)
