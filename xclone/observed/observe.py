"""The observe runner: the fixed probes, run concurrently through a transport, parsed into one
`Observed` plus the raw outputs (the snapshot entries that can replay this observation).

Two rounds: first the management node's tables and each HMC's system list, then one partition
list per managed system the spec names and the HMC shows. What each command is and how its answer
is read belongs to its probe (observed.probes); here only the sending, the failure checks every
answer gets, and the cross-checks over the whole. The number of commands depends on the
hosts and managed systems only, never on the number of LPARs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from xclone.base.errors import TransportError, XcloneError
from xclone.base.log import get_logger
from xclone.base.remote import Transport
from xclone.drivers import registry
from xclone.observed import crosscheck
from xclone.observed.model import Facts, Observed
from xclone.observed.parsers.messages import Message, classify
from xclone.observed.probes import AnyProbe, ObservationTargets
from xclone.observed.snapshot import SnapshotEntry, masked_entry

log = get_logger(__name__)

_MESSAGE_LINE = re.compile(r"^(Error:|Warning:|HSCL[0-9A-F]{4}\b|(warning: )?0042-\d{3}\b)")


@dataclass(frozen=True)
class Observation:
    observed: Observed
    entries: tuple[SnapshotEntry, ...]


def _run_all(runner: Transport, batch: Sequence[AnyProbe],
             max_workers: int) -> list[SnapshotEntry]:
    def one(probe: AnyProbe) -> SnapshotEntry:
        timeout = probe.timeout
        try:
            result = runner.run(probe.host, probe.command, timeout=timeout)
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
            # 127 is the shell's "not found": the host lacks the platform the spec's driver
            # talks to (xCAT's lsdef on a NIM master without xCAT), or it is the wrong host
            hint = (f" (the command is not installed on {entry.host}: check the spec's host "
                    "and its `driver:`)") if entry.exit_status == 127 else ""
            raise XcloneError(f"{entry.host}: `{entry.command}` failed: {failure}{hint}")
        crosscheck.check_text(entry)


def _read(batch: Sequence[AnyProbe], entries: Sequence[SnapshotEntry], facts: Facts) -> None:
    """Each answer to its probe, in probe order: parsed, stored and cross-checked."""
    for probe, entry in zip(batch, entries, strict=True):
        probe.read(entry, facts)


def observe(
    runner: Transport, targets: ObservationTargets, *, max_workers: int = 16
) -> Observation:
    """Run every probe and parse the answers. Raises XcloneError naming host, command and the
    tool's message when a probe fails, times out or fails a cross-check (observed.crosscheck),
    and ParseError when its output is not the documented one."""
    facts = Facts()
    driver = registry.driver(targets.driver)
    first = driver.first_round(targets)
    log.debug("observe.start", hosts=1 + len(targets.hmcs), first_round=len(first))
    first_entries = _run_all(runner, first, max_workers)
    _checked(first_entries)
    _read(first, first_entries, facts)
    second = tuple(
        p
        for target in targets.hmcs
        for p in driver.second_round(target, facts.reachable_systems(target.name),
                                     targets.timeout)
    ) + driver.master_round(targets, facts)
    second_entries = _run_all(runner, second, max_workers) if second else []
    _checked(second_entries)
    _read(second, second_entries, facts)
    entries = (*first_entries, *second_entries)
    log.debug("observe.done", commands=len(entries))
    observed = facts.observed()
    listings = {p.listing: e for p, e in zip(first, first_entries, strict=True) if p.listing}
    crosscheck.check_overlaps(observed, listings, targets.mark, targets.keep)
    return Observation(observed, entries)
