"""The in-process transport: commands go straight to a lab object instead of over SSH.

The lab is described by a Protocol rather than imported, so the transport layer stays below the
simulator (the CLI hands a `xclone.sim.Lab` in). The lab gets the command's shell form and splits
it itself, as the far side's shell would: the wire is a string, here as over SSH.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from typing import Protocol

from xclone.base.command import Command
from xclone.base.errors import TransportError, XcloneError
from xclone.base.log import get_logger
from xclone.base.remote import Login, NotSent, OutcomeUnknown, Result, lost_message

log = get_logger(__name__)


class LabOutcome(Protocol):
    @property
    def stdout(self) -> str: ...

    @property
    def stderr(self) -> str: ...

    @property
    def exit_status(self) -> int: ...


class LabLike(Protocol):
    """What SimTransport needs of a lab: run one command line as a user at one of its hosts."""

    def execute(
        self,
        host: str,
        command: str,
        stdin: str | None = None,
        *,
        user: str | None = None,
        password: str | None = None,
    ) -> LabOutcome: ...


class SimTransport:
    """Runs commands in a lab in-process, with the same errors an SSH transport would raise."""

    def __init__(self, lab: LabLike, logins: Mapping[str, Login] | None = None) -> None:
        self._lab = lab
        self._logins = dict(logins or {})

    def run(self, host: str, command: Command, *, timeout: float | None = None) -> Result:
        login = self._logins.get(host)
        target = login.host if login is not None else host
        user = login.user if login is not None else None
        bound = log.bind(host=host)
        bound.debug("sim.run", program=command.name, timeout=timeout)
        started = time.monotonic()

        def call() -> LabOutcome:
            # Resolved here, at "connection" time, so a missing secret fails like a refused login
            # would and the value lives no longer than this call.
            password = login.password_value() if login is not None else None
            try:
                return self._lab.execute(target, command.shell(), command.stdin, user=user,
                                         password=password)
            except TransportError:
                raise
            except XcloneError as exc:
                if getattr(exc, "dropped", False):  # a `drop` fault: the command ran, unanswered
                    raise OutcomeUnknown(host, lost_message(f"connection lost to {host}",
                                                            command)) from None
                # The lab's own errors (unknown host, refused login) say whether a retry helps.
                transient = bool(getattr(exc, "transient", False))
                message = exc.message.removeprefix(f"{target}: ")
                if transient:
                    raise NotSent(host, message) from None
                raise TransportError(host, message) from None

        outcome = call() if timeout is None else _within(host, command, timeout, call)
        bound.debug("sim.done", program=command.name, exit_status=outcome.exit_status,
                    seconds=round(time.monotonic() - started, 3))
        return Result(host=host, command=command.display(), exit_status=outcome.exit_status,
                      stdout=outcome.stdout, stderr=outcome.stderr)

    def close(self) -> None:
        """Nothing to release: the lab persists its own state after every command."""


def _within(host: str, command: Command, timeout: float,
            call: Callable[[], LabOutcome]) -> LabOutcome:
    """Run `call` in a worker thread and give up waiting after `timeout` seconds.

    A Python thread cannot be killed, so a hung lab command keeps its (daemon) thread until it
    returns; like a real SSH command whose channel we closed, its effects may still happen.
    """
    box: list[LabOutcome] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            box.append(call())
        except BaseException as exc:  # handed to the caller's thread below
            errors.append(exc)

    worker = threading.Thread(target=work, name=f"sim-{host}", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        log.warning("sim.timeout", host=host, program=command.name, timeout=timeout)
        why = f"timed out after {timeout:g} s on {host}"
        raise OutcomeUnknown(host, lost_message(why, command))
    if errors:
        raise errors[0]
    return box[0]
