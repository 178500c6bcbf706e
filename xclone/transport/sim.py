"""The in-process transport: commands go straight to a lab object instead of over SSH.

The lab is described by a Protocol rather than imported, so the transport layer stays below the
simulator (the CLI hands a `xclone.sim.Lab` in). The lab gets the command's shell form and splits
it itself, as the far side's shell would: the wire is a string, here as over SSH.
"""

from __future__ import annotations

import os
import queue
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


class _Worker:
    """A daemon thread that runs lab calls handed to it, one at a time, and then waits for the
    next: a thread per command cost its start and, since the lab keeps one SQLite connection
    per thread (`xclone.sim.store.kept`), a new connection and statement cache per command."""

    def __init__(self, pool: _Workers) -> None:
        self._pool = pool
        self._jobs: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        threading.Thread(target=self._serve, name="sim-worker", daemon=True).start()

    def give(self, job: _Job) -> None:
        self._jobs.put(job)

    def _serve(self) -> None:
        while True:
            job = self._jobs.get()
            job.run()
            self._pool.idle(self)


class _Job:
    """One call and its answer (or the exception it raised), with the event its caller waits on."""

    def __init__(self, call: Callable[[], LabOutcome]) -> None:
        self._call = call
        self.done = threading.Event()
        self.outcome: LabOutcome | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.outcome = self._call()
        except BaseException as exc:  # handed to the caller's thread
            self.error = exc
        self.done.set()


class _Workers:
    """The idle workers of this process. A worker whose call outlives its caller's timeout
    comes back only when the call returns, so a hung lab command holds its own thread, as a
    thread per command did; a forked child starts with none (its parent's threads are gone)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle: list[_Worker] = []
        self._pid = os.getpid()

    def take(self) -> _Worker:
        with self._lock:
            if self._pid != os.getpid():
                self._idle, self._pid = [], os.getpid()
            if self._idle:
                return self._idle.pop()
        return _Worker(self)

    def idle(self, worker: _Worker) -> None:
        with self._lock:
            if self._pid == os.getpid():
                self._idle.append(worker)


_WORKERS = _Workers()


def _within(host: str, command: Command, timeout: float,
            call: Callable[[], LabOutcome]) -> LabOutcome:
    """Run `call` in a worker thread and give up waiting after `timeout` seconds.

    A Python thread cannot be killed, so a hung lab command keeps its (daemon) thread until it
    returns; like a real SSH command whose channel we closed, its effects may still happen.
    """
    job = _Job(call)
    _WORKERS.take().give(job)
    if not job.done.wait(timeout):
        log.warning("sim.timeout", host=host, program=command.name, timeout=timeout)
        why = f"timed out after {timeout:g} s on {host}"
        raise OutcomeUnknown(host, lost_message(why, command))
    if job.error is not None:
        raise job.error
    assert job.outcome is not None
    return job.outcome
