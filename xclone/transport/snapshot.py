"""Replay of a recorded snapshot: the same answers, by exact host and command, with no connection.

Entries are taken structurally (anything with host, command, exit_status, stdout, stderr, such as
`xclone.observed.snapshot.SnapshotEntry`), so the transport layer stays below `observed`. A
command the snapshot does not hold is an error, never an empty answer: a plan made from missing
data would be wrong without saying so.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from xclone.base.errors import TransportError
from xclone.transport.base import Result


class Recorded(Protocol):
    @property
    def host(self) -> str: ...

    @property
    def command(self) -> str: ...

    @property
    def exit_status(self) -> int: ...

    @property
    def stdout(self) -> str: ...

    @property
    def stderr(self) -> str: ...


class SnapshotTransport:
    """Answers each (host, command) with its recorded result; changes nothing anywhere."""

    def __init__(self, entries: Iterable[Recorded]) -> None:
        self._results = {
            (e.host, e.command): Result(e.host, e.command, e.exit_status, e.stdout, e.stderr)
            for e in entries
        }

    def run(
        self, host: str, command: str, *, stdin: str | None = None, timeout: float | None = None
    ) -> Result:
        result = self._results.get((host, command))
        if result is None:
            raise TransportError(host, f"snapshot has no output for: {command}")
        return result

    def close(self) -> None:
        """Nothing to release: the snapshot is plain data in memory."""
