"""The observe runner: the fixed probes, run concurrently through a transport, parsed into one
`Observed` plus the raw outputs (the snapshot entries that can replay this observation).

Two rounds: first the management node's tables and each HMC's system list, then one partition
list per managed system the spec names and the HMC shows. The number of commands depends on the
hosts and managed systems only, never on the number of LPARs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from types import MappingProxyType

import structlog

from xclone.base.errors import TransportError, XcloneError
from xclone.base.remote import Transport
from xclone.observed import crosscheck, probes
from xclone.observed.messages import Message, classify
from xclone.observed.model import (
    XCAT_TYPES,
    ManagedSystem,
    NimObject,
    Observed,
    Partition,
    XcatObject,
)
from xclone.observed.parsers import hmc, nim, xcat
from xclone.observed.parsers.errors import ParseError
from xclone.observed.probes import ObservationTargets, Probe
from xclone.observed.snapshot import SnapshotEntry, masked_entry

log = structlog.get_logger(__name__)

_MESSAGE_LINE = re.compile(r"^(Error:|Warning:|HSCL[0-9A-F]{4}\b|(warning: )?0042-\d{3}\b)")


@dataclass(frozen=True)
class Observation:
    observed: Observed
    entries: tuple[SnapshotEntry, ...]


def _run_all(runner: Transport, batch: Sequence[Probe], max_workers: int,
             timeout: float | None) -> list[SnapshotEntry]:
    def one(probe: Probe) -> SnapshotEntry:
        try:
            result = runner.run(probe.host, probe.command.shell(), timeout=timeout)
        except TransportError as exc:
            if timeout is None or "timed out" not in exc.message:
                raise
            raise XcloneError(
                f"{probe.host}: `{probe.command.display()}` did not answer within {timeout:g} s "
                f"(site.timeouts.command): observation stopped; {crosscheck.REFUSED}"
            ) from None
        # Masked at once (the HMC's `password=` in `lsdef`): no plan, message or snapshot can
        # hold it, and a live plan and the replay of its snapshot see the same observation.
        return masked_entry(result)

    with ThreadPoolExecutor(max_workers=max(1, min(max_workers, len(batch) or 1))) as pool:
        return list(pool.map(one, batch))


def _failure(entry: SnapshotEntry) -> str | None:
    """The tool's own words when a probe that must succeed did not, else None. Warnings and the
    empty answers (`Could not find any objects ...`, `No results were found.`) are fine. On stdout
    only whole message lines count: a NIM `err_info = 0042-175 ...` attribute is data."""
    stdout_messages = [line for line in entry.stdout.splitlines() if _MESSAGE_LINE.match(line)]
    lines = [*entry.stderr.splitlines(), *stdout_messages]
    messages = [classify(line) for line in lines if line.strip()]
    if not messages and entry.exit_status != 0:
        messages = [classify(line) for line in entry.stdout.splitlines()[-3:] if line.strip()]
    errors: list[Message] = [m for m in messages if m.severity == "error"]
    if not errors and entry.exit_status == 0:
        return None
    shown = errors or [m for m in messages if m.severity != "warning"] or messages
    text = "; ".join(m.text or m.raw.strip() for m in shown[:3]) or "no output"
    return f"exit status {entry.exit_status}: {text}" if entry.exit_status else text


def _checked(entries: Iterable[SnapshotEntry]) -> None:
    for entry in entries:
        failure = _failure(entry)
        if failure is not None:
            raise XcloneError(f"{entry.host}: `{entry.command}` failed: {failure}")
        crosscheck.check_text(entry)


class _Builder:
    """Collects parsed answers into the parts of an `Observed`."""

    def __init__(self) -> None:
        self.xcat: dict[str, dict[str, XcatObject]] = {t: {} for t in XCAT_TYPES}
        self.nim: dict[str, NimObject] = {}
        self.systems: dict[tuple[str, str], ManagedSystem] = {}
        self.partitions: dict[tuple[str, str], tuple[Partition, ...]] = {}

    def add(self, probe: Probe, entry: SnapshotEntry) -> None:
        try:
            self._add(probe, entry.stdout)
        except ParseError as exc:
            raise exc.at(entry.host, entry.command) from None
        if probe.kind == "hmc_partitions":
            crosscheck.check_partitions(entry, self.partitions[(probe.hmc, probe.system)])

    def _add(self, probe: Probe, text: str) -> None:
        if probe.kind == "xcat_stanzas":
            objects = xcat.parse_stanzas(text, default_type=probe.xcat_type)
            self.xcat.setdefault(probe.xcat_type, {}).update((o.name, o) for o in objects)
        elif probe.kind == "xcat_long":
            objects = xcat.parse_long(text, default_type=probe.xcat_type)
            self.xcat.setdefault(probe.xcat_type, {}).update((o.name, o) for o in objects)
        elif probe.kind == "lsnim_long":
            self.nim.update((o.name, o) for o in nim.parse_lsnim_long(text))
        elif probe.kind == "hmc_systems":
            for row in hmc.parse_fields(text, probes.SYS_FIELDS):
                system = ManagedSystem(probe.hmc, row["name"], row["type_model"],
                                       row["serial_num"], row["state"])
                self.systems[(probe.hmc, system.name)] = system
        else:
            self.partitions[(probe.hmc, probe.system)] = _partitions(probe, text)

    def observed(self) -> Observed:
        return Observed(
            xcat=MappingProxyType({t: MappingProxyType(o) for t, o in self.xcat.items()}),
            nim=MappingProxyType(self.nim),
            systems=MappingProxyType(self.systems),
            partitions=MappingProxyType(self.partitions),
        )


def _partitions(probe: Probe, text: str) -> tuple[Partition, ...]:
    parts: list[Partition] = []
    for index, row in enumerate(hmc.parse_fields(text, probes.LPAR_FIELDS)):
        try:
            lpar_id = int(row["lpar_id"])
        except ValueError:
            lines = text.splitlines()
            line = lines[index] if index < len(lines) else ""
            raise ParseError("", "", index + 1, line, "lpar_id is not a number") from None
        parts.append(Partition(
            probe.hmc, probe.system, row["name"], lpar_id, row["state"], row["curr_profile"],
            row["default_profile"], row["lpar_env"], row["os_version"],
        ))
    return tuple(parts)


def observe(
    runner: Transport, targets: ObservationTargets, *, max_workers: int = 16
) -> Observation:
    """Run every probe and parse the answers. Raises XcloneError naming host, command and the
    tool's message when a probe fails, times out or fails a cross-check (observed.crosscheck),
    and ParseError when its output is not the documented one."""
    builder = _Builder()
    first = probes.first_round(targets)
    log.debug("observe.start", hosts=1 + len(targets.hmcs), first_round=len(first))
    first_entries = _run_all(runner, first, max_workers, targets.timeout)
    _checked(first_entries)
    for probe, entry in zip(first, first_entries, strict=True):
        builder.add(probe, entry)
    second = tuple(
        p
        for target in targets.hmcs
        for p in probes.second_round(
            target,
            frozenset(name for (h, name), system in builder.systems.items()
                      if h == target.name and system.reachable),
        )
    )
    second_entries = _run_all(runner, second, max_workers, targets.timeout) if second else []
    _checked(second_entries)
    for probe, entry in zip(second, second_entries, strict=True):
        builder.add(probe, entry)
    entries = (*first_entries, *second_entries)
    log.debug("observe.done", commands=len(entries))
    observed = builder.observed()
    crosscheck.check_overlaps(observed, first, first_entries, targets.mark, targets.keep)
    return Observation(observed, entries)
