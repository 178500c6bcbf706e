"""The transport protocol every implementation follows, and the result it returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from xclone.base.secret import SecretRef


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


@dataclass(frozen=True)
class Login:
    """How to log in to one host named in the spec. The password stays a reference until the
    moment a connection is made (`SecretRef.resolve`), and is never logged."""

    host: str
    user: str
    port: int = 22
    password: SecretRef | None = None


def program(command: str) -> str:
    """The program a command line runs (after `NAME=value` words): what transports may log.

    Transports receive the final shell string, secrets included, so they never log or repeat
    it; the caller logs the masked form it built (`Command.display`).
    """
    for word in command.split():
        name, sep, _ = word.partition("=")
        if not (sep and name.isidentifier()):
            return word
    return ""
