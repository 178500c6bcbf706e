"""A probe is a value, as a pyinfra fact is: one read-only command, where it runs, a pure parse
function for its output and where the parsed fact goes in the observed model.

The observe runner only sends a driver's probes and hands each answer to its probe; which
commands those are is the driver's (drivers/xcat/probes.py for the xCAT path). The targets say
what the spec wants observed, as plain data, and which driver observes it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

from xclone.base.command import Command
from xclone.base.remote import Result
from xclone.drivers import registry
from xclone.observed.crosscheck import Keep
from xclone.observed.model import Facts
from xclone.observed.parsers.errors import ParseError

__all__ = ["AnyProbe", "HmcTarget", "Keep", "ObservationTargets", "Probe"]

Role = Literal["mn", "hmc"]
T = TypeVar("T")


@dataclass(frozen=True)
class HmcTarget:
    """An HMC as the spec names it (`name`), where to reach it (`host`), and the managed systems
    the spec places on it."""

    name: str
    host: str
    systems: tuple[str, ...]


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
    driver: str = registry.DEFAULT  # the spec's `driver:`: whose probes observe
    # The NIM driver's other NIM masters (spec install_servers): hosts observed as `mn_host`
    # is, each into its own part of the model (Facts.master).
    masters: tuple[str, ...] = ()
    # Their names in the spec, in the order of `masters`: the xCAT driver reads a service node
    # only once the management node lists it as one (drivers/xcat/servicenodes.py).
    master_names: tuple[str, ...] = ()
    # The NIM driver's postscript files on mn_host that install servers copy (their checksums
    # are read once a master holds a copy: drivers/nim/scriptsums.py).
    scripts: tuple[str, ...] = ()
    preflight: bool = False  # also read what the preflight checks (observed.preflight_probes)
    # The spec's osimages and the NIM client each is backed up from, (osimage, node) pairs:
    # the xCAT driver's preflight reads root's limits on those whose image is not made yet.
    goldens: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Probe(Generic[T]):
    """One read-only command, where it runs and how its answer becomes part of the model.

    `parse` is pure (text in, fact out; a ParseError for text of the wrong shape), `store` puts
    the fact into the model being built, `check` is the cross-check of one answer that needs the
    answer itself (observed.crosscheck), `listing` names the table the overlap cross-checks
    cite (`node`, `nim`...; empty for none) and `timeout` bounds the command in seconds.
    """

    host: str
    role: Role
    command: Command
    parse: Callable[[str], T]
    store: Callable[[Facts, T], None]
    listing: str = ""
    check: Callable[[Result, T], None] | None = None
    timeout: float | None = None

    def __post_init__(self) -> None:
        if self.role == "hmc" and self.command.env:
            raise ValueError("the HMC's restricted shell takes no environment prefix")

    def read(self, answer: Result, facts: Facts) -> None:
        """Parse this probe's answer into `facts`; a ParseError then names host and command."""
        try:
            fact = self.parse(answer.stdout)
        except ParseError as exc:
            raise exc.at(answer.host, answer.command) from None
        self.store(facts, fact)
        if self.check is not None:
            self.check(answer, fact)


# A probe whose fact type does not matter to its holder: the rounds mix probes of every kind.
AnyProbe = Probe[Any]
