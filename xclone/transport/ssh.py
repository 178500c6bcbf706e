"""The SSH transport: fabric connections, one per host, reused by every command sent there.

Observation and apply send many short commands to few hosts, concurrently, so a connection is
opened once per host (under that host's lock) and each command gets its own channel on it. An
HMC allows few sessions per user (xCAT's `maxssh` defaults to 8), hence a per-host cap on
concurrent channels. Only connecting is retried: a command that may have run is never sent
again, because on these systems running one twice has real effects. A command whose answer was
lost raises `OutcomeUnknown` (the executor re-observes), one never sent raises `NotSent`.
"""

from __future__ import annotations

import io
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import paramiko
from fabric import Config, Connection
from invoke.exceptions import CommandTimedOut, ThreadException
from paramiko.hostkeys import InvalidHostKey

from xclone.base.command import Command
from xclone.base.errors import TransportError
from xclone.base.log import get_logger
from xclone.base.remote import Login, NotSent, OutcomeUnknown, Result, lost_message
from xclone.transport.endpoint import Endpoint, load_ssh_config, resolve

log = get_logger(__name__)

# Failures worth another connection attempt: the host may come back (sshd restarting, a
# dropped packet, a banner that arrived late). Authentication and host key failures are not, nor
# is a name that does not resolve (checked first: gaierror is an OSError too). Each retry is
# logged at info level: the one error that matters is the last, raised to the user.
_TRANSIENT = (OSError, EOFError, paramiko.SSHException)
_STDIN_CHUNK = 65536


class _UnknownHostKey(Exception):
    pass


class _WholeStdin(io.StringIO):
    """A command's stdin handed to invoke in chunks, not characters: invoke reads a stream that
    is not a terminal one character at a time and naps `input_sleep` (10 ms) after each read,
    so a 600-character `mkdef -z` stanza took 6 s to send. Each read here returns what is left
    (up to 64 KiB), whatever size invoke asks for; the end of the text still closes the
    channel's stdin as before."""

    def read(self, size: int | None = -1) -> str:
        return super().read(-1 if size is None or size < 0 else max(size, _STDIN_CHUNK))


class _RejectUnknown:
    """Paramiko's RejectPolicy, but with an error we can tell apart from a network failure."""

    def missing_host_key(self, client: paramiko.SSHClient, hostname: str, key: Any) -> None:
        raise _UnknownHostKey(hostname)


@dataclass
class _Slot:
    sessions: threading.BoundedSemaphore
    lock: threading.Lock = field(default_factory=threading.Lock)
    connection: Connection | None = None


class SshTransport:
    """Runs commands over SSH with host keys checked against known_hosts unless told not to."""

    def __init__(
        self,
        logins: Mapping[str, Login],
        *,
        ssh_config: Path | None = None,
        known_hosts: Path | None = None,
        verify_host_keys: bool = True,
        connect_timeout: float = 10,
        key_filename: str | None = None,
        connect_attempts: int = 3,
        retry_backoff: float = 0.5,
        max_sessions_per_host: int = 8,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if connect_attempts < 1 or max_sessions_per_host < 1:
            raise ValueError("connect_attempts and max_sessions_per_host must be at least 1")
        self._logins = dict(logins)
        self._config = load_ssh_config(ssh_config)
        self._known_hosts = known_hosts
        self._verify = verify_host_keys
        self._connect_timeout = connect_timeout
        self._key_filename = key_filename
        self._attempts = connect_attempts
        self._backoff = retry_backoff
        self._max_sessions = max_sessions_per_host
        self._sleep = sleep
        self._slots: dict[str, _Slot] = {}
        self._slots_lock = threading.Lock()
        if not verify_host_keys:
            log.warning("ssh.host_keys_unverified",
                        reason="verify_host_keys=False: any host key is accepted")

    def run(self, host: str, command: Command, *, timeout: float | None = None) -> Result:
        slot = self._slot(host)
        bound = log.bind(host=host)
        with slot.sessions:
            connection = self._connected(host, slot)
            bound.debug("ssh.run", program=command.name, timeout=timeout)
            started = time.monotonic()
            try:
                # An empty in_stream still matters: reaching its end closes the channel's stdin,
                # so a remote command that reads stdin sees EOF instead of waiting forever.
                outcome = connection.run(
                    command.shell(), warn=True, hide=True, pty=False,
                    in_stream=_WholeStdin(command.stdin or ""), timeout=timeout,
                )
            except CommandTimedOut:
                # The command was sent and may still be running: never send it again.
                bound.warning("ssh.timeout", program=command.name, timeout=timeout)
                raise OutcomeUnknown(host, lost_message(
                    f"timed out after {timeout:g} s on {host}", command)) from None
            except paramiko.ChannelException as exc:
                # The server refused a new session (e.g. its per-connection limit): the command
                # never started and the connection itself is fine.
                bound.warning("ssh.session_refused", program=command.name, error=str(exc))
                raise NotSent(
                    host, f"session refused before {command.name!r} started: {exc}",
                ) from None
            except (ThreadException, *_TRANSIENT) as exc:
                if not connection.is_connected:
                    self._forget(slot, connection)
                bound.warning("ssh.connection_lost", program=command.name,
                              error=_reason(exc))
                raise OutcomeUnknown(host, lost_message(f"connection lost to {host}", command)) \
                    from None
            if outcome.exited is None or outcome.exited < 0:
                # The channel closed without an exit status: the session was cut mid-command
                # (paramiko reports -1), so the command may or may not have finished.
                if not connection.is_connected:
                    self._forget(slot, connection)
                # Past its limit, the channel closed because the timeout closed it: say so.
                overdue = timeout is not None and time.monotonic() - started >= timeout
                bound.warning("ssh.timeout" if overdue else "ssh.connection_lost",
                              program=command.name, error="no exit status")
                what = (f"timed out after {timeout:g} s on {host}" if overdue
                        else f"connection lost to {host}")
                raise OutcomeUnknown(host, lost_message(what, command))
        bound.debug("ssh.done", program=command.name, exit_status=outcome.exited,
                    seconds=round(time.monotonic() - started, 3))
        return Result(host=host, command=command.display(), exit_status=outcome.exited,
                      stdout=outcome.stdout, stderr=outcome.stderr)

    def close(self) -> None:
        with self._slots_lock:
            slots = list(self._slots.values())
        for slot in slots:
            self._forget(slot)

    def __enter__(self) -> SshTransport:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _slot(self, host: str) -> _Slot:
        with self._slots_lock:
            slot = self._slots.get(host)
            if slot is None:
                slot = _Slot(sessions=threading.BoundedSemaphore(self._max_sessions))
                self._slots[host] = slot
            return slot

    def _forget(self, slot: _Slot, connection: Connection | None = None) -> None:
        """Close the slot's connection (only if it is still `connection`, when one is given)."""
        with slot.lock:
            current = slot.connection
            if current is not None and (connection is None or connection is current):
                current.close()
                slot.connection = None

    def _connected(self, host: str, slot: _Slot) -> Connection:
        with slot.lock:
            if slot.connection is not None and slot.connection.is_connected:
                return slot.connection
            endpoint = resolve(host, self._logins.get(host), self._config,
                               key_filename=self._key_filename, known_hosts=self._known_hosts)
            slot.connection = self._open(endpoint)
            return slot.connection

    def _open(self, endpoint: Endpoint) -> Connection:
        bound = log.bind(host=endpoint.name)
        last: BaseException | None = None
        for attempt in range(1, self._attempts + 1):
            connection = self._connection(endpoint)
            try:
                connection.open()
            except _UnknownHostKey:
                connection.close()
                raise TransportError(endpoint.name, _unknown_key_message(endpoint)) from None
            except paramiko.BadHostKeyException:
                connection.close()
                raise TransportError(
                    endpoint.name,
                    f"host key of {endpoint.host_key_name} does not match known_hosts "
                    f"({_files(endpoint)}): refusing to connect (a changed host or a "
                    "man-in-the-middle); fix known_hosts if the host was reinstalled",
                ) from None
            except paramiko.AuthenticationException as exc:
                connection.close()
                raise TransportError(
                    endpoint.name,
                    f"authentication failed for user {endpoint.user!r} at "
                    f"{endpoint.hostname}:{endpoint.port} ({exc})",
                ) from None
            except socket.gaierror as exc:
                connection.close()
                raise NotSent(
                    endpoint.name,
                    f"cannot resolve {endpoint.hostname} ({_reason(exc)}): check the host name "
                    "in the spec, your ssh config and DNS",
                ) from None
            except _TRANSIENT as exc:
                connection.close()
                last = exc
                bound.info("ssh.connect_failed", attempt=attempt, error=_reason(exc))
                if attempt < self._attempts:
                    self._sleep(self._backoff * 2 ** (attempt - 1))
                continue
            # The password has done its job; keep it out of the long-lived connection object.
            connection.connect_kwargs.pop("password", None)
            bound.debug("ssh.connected", hostname=endpoint.hostname, port=endpoint.port,
                        user=endpoint.user)
            return connection
        raise NotSent(
            endpoint.name,
            f"cannot connect to {endpoint.hostname}:{endpoint.port} after {self._attempts} "
            f"attempt(s): {_reason(last)}",
        )

    def _connection(self, endpoint: Endpoint) -> Connection:
        login = self._logins.get(endpoint.name)
        kwargs: dict[str, Any] = {
            "timeout": self._connect_timeout,
            "banner_timeout": self._connect_timeout,
            "auth_timeout": self._connect_timeout,
            "allow_agent": True,
            "look_for_keys": not endpoint.identity_files,
        }
        if endpoint.identity_files:
            kwargs["key_filename"] = list(endpoint.identity_files)
        password = login.password_value() if login is not None else None
        if password is not None:
            kwargs["password"] = password
        # An empty SSHConfig: the endpoint is already resolved, fabric must not re-read files.
        config = Config(ssh_config=paramiko.SSHConfig())
        connection = Connection(endpoint.hostname, user=endpoint.user, port=endpoint.port,
                                config=config, connect_kwargs=kwargs)
        client = connection.client
        if self._verify:
            client.set_missing_host_key_policy(_RejectUnknown())
            for path in endpoint.known_hosts:
                _load_known_hosts(client, endpoint, path)
        else:
            client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
        return connection


def _load_known_hosts(client: paramiko.SSHClient, endpoint: Endpoint, path: Path) -> None:
    if not path.exists():
        return
    try:
        client.get_host_keys().load(str(path))
    except (OSError, paramiko.SSHException) as exc:
        raise TransportError(endpoint.name, f"cannot read known_hosts {path}: {exc}") from None
    except (InvalidHostKey, ValueError) as exc:
        # paramiko names the offending line in exc.args[0]; its own text is a nested repr.
        line = str(exc.args[0])[:80] if exc.args else ""
        raise TransportError(
            endpoint.name,
            f"known_hosts file {path} is not valid: cannot parse the line {line!r}; fix or "
            "remove that line",
        ) from None


def _reason(exc: BaseException | None) -> str:
    """A one-line reason for a log or message: the exception's class and text, no traceback
    (ThreadException carries whole tracebacks in its str())."""
    if exc is None:
        return "unknown error"
    if isinstance(exc, ThreadException):
        inner = [e.value for e in exc.exceptions]
        return "; ".join(_reason(e) for e in inner) or "the I/O thread failed"
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def _files(endpoint: Endpoint) -> str:
    return ", ".join(str(p) for p in endpoint.known_hosts)


def _unknown_key_message(endpoint: Endpoint) -> str:
    return (
        f"host key of {endpoint.host_key_name} is not in known_hosts ({_files(endpoint)}): "
        "add it (ssh-keyscan, or the known_hosts that `xclone lab serve` writes) or, knowingly, "
        "turn host key verification off"
    )
