"""The transport protocol every implementation follows, and the result it returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Result:
    """What a command printed and how it ended; a non-zero exit is a result, not an exception."""

    host: str
    command: str
    exit_status: int
    stdout: str
    stderr: str


class Transport(Protocol):
    """Runs `command` (already shell-quoted) on `host`, a name the spec gives.

    Raises `xclone.base.errors.TransportError` only when the host cannot be reached, refuses the
    login, or the command exceeds `timeout` seconds; never for a non-zero exit status.
    """

    def run(
        self, host: str, command: str, *, stdin: str | None = None, timeout: float | None = None
    ) -> Result: ...

    def close(self) -> None: ...
