"""The transport protocol every implementation follows, and the result it returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from xclone.base.command import Command
from xclone.base.errors import SecretError, TransportError
from xclone.base.secret import SecretRef


class NotSent(TransportError):
    """The command never reached the host (no connection, session refused): safe to send again."""

    def __init__(self, host: str, message: str) -> None:
        super().__init__(host, message, transient=True)


class OutcomeUnknown(TransportError):
    """The command was sent and then the answer was lost (timeout, dropped connection): it may
    or may not have run, so it must never be sent again; only re-observing can tell."""

    def __init__(self, host: str, message: str) -> None:
        super().__init__(host, message, transient=False)


def lost_message(why: str, command: Command) -> str:
    """What the user reads when the answer to a sent command is lost (`why`: "connection lost
    to HOST", "timed out after 5 s on HOST"): what is known, never traceback text."""
    return f"{why} while running {command.name}: it may or may not have run"


@dataclass(frozen=True)
class Result:
    """What a command printed and how it ended; a non-zero exit is a result, not an exception.
    `command` is the command as displayed (`Command.display()`: shell-quoted, secret words
    masked), which for the read-only probes is exactly what was sent: snapshots key on it."""

    host: str
    command: str
    exit_status: int
    stdout: str
    stderr: str


class Transport(Protocol):
    """Runs `command` on `host`, a name the spec gives, with the command's stdin.

    The command stays a value down to the wire: only there does a transport render
    `command.shell()`, and it logs no more than `command.name`, because the shell form and the
    stdin may hold secrets the runner filled in at the last moment.

    Raises `xclone.base.errors.TransportError` only when the host cannot be reached, refuses the
    login, or the command exceeds `timeout` seconds; never for a non-zero exit status. A command
    that was never sent raises `NotSent`; one sent whose end was not seen (timeout, lost
    connection) raises `OutcomeUnknown`; refusals (keys, authentication) the plain error.
    """

    def run(self, host: str, command: Command, *, timeout: float | None = None) -> Result: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class Login:
    """How to log in to one host named in the spec. The password stays a reference until the
    moment a connection is made (`SecretRef.resolve`), and is never logged."""

    host: str
    user: str
    port: int = 22
    password: SecretRef | None = None

    def password_value(self) -> str | None:
        """The password, read now. A reference that cannot be read (an unset variable, a
        missing file) says which login needed it: a bare `env:HMC01_PASSWORD` does not tell a
        user with several HMCs which one, or that it is a login and not a spec value."""
        if self.password is None:
            return None
        try:
            return self.password.resolve().reveal()
        except SecretError as exc:
            raise SecretError(f"{self.host}: cannot log in as {self.user}: {exc.message}") \
                from None

