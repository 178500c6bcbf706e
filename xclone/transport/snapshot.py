"""Replay of a recorded snapshot: the same answers, by exact host and command, with no connection.

Entries are the recorded `Result`s themselves (`xclone.observed.snapshot.SnapshotEntry` is that
record), keyed by host and the command as displayed (`Command.display()`, the `command` a
transport records; for the read-only probes, which hold no secret word, the very string sent).
A command the snapshot does not hold is an error, never an empty answer: a plan made
from missing data would be wrong without saying so.
"""

from __future__ import annotations

from collections.abc import Iterable

from xclone.base.command import Command
from xclone.base.errors import TransportError
from xclone.base.remote import Result


class SnapshotTransport:
    """Answers each (host, command) with its recorded result; changes nothing anywhere."""

    def __init__(self, entries: Iterable[Result]) -> None:
        self._results = {(e.host, e.command): e for e in entries}

    def run(self, host: str, command: Command, *, timeout: float | None = None) -> Result:
        shown = command.display()
        result = self._results.get((host, shown))
        if result is None:
            raise TransportError(host, f"snapshot has no output for: {shown}")
        return result

    def close(self) -> None:
        """Nothing to release: the snapshot is plain data in memory."""
