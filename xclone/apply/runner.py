"""Runs one command for the executor: fills in secrets at the last moment, holds the per-host
limit, and writes the journal record (masked) of every command it sends."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Iterable, Mapping
from types import MappingProxyType

from xclone.apply.journal import Journal
from xclone.base.command import Command
from xclone.base.known_after import fill as fill_values
from xclone.base.known_after import keys_in
from xclone.base.log import get_logger
from xclone.base.remote import Result, Transport
from xclone.base.secret import fill
from xclone.observed.snapshot import masked_entry
from xclone.plan.action import Action

log = get_logger("xclone.apply")


class CommandRunner:
    def __init__(self, transport: Transport, journal: Journal,
                 host_limits: Mapping[str, int], default_limit: int = 10) -> None:
        self.transport, self.journal = transport, journal
        self._limits = {h: threading.BoundedSemaphore(n) for h, n in host_limits.items()}
        self._sizes = dict(host_limits)
        self._default = default_limit
        self._lock = threading.Lock()
        self.count = 0
        self.per_host: dict[str, int] = {}

    def _semaphore(self, host: str) -> threading.BoundedSemaphore:
        with self._lock:
            if host not in self._limits:
                self._limits[host] = threading.BoundedSemaphore(self._default)
            return self._limits[host]

    def limit(self, host: str) -> int:
        """How many commands may run on `host` at once (its `max_sessions`, else the default):
        the executor holds an action back rather than park a thread on a full host."""
        return self._sizes.get(host, self._default)

    def preflight(self, actions: Iterable[Action]) -> None:
        """Resolve every secret the plan needs before the first command runs: a missing one
        stops apply before anything changed, not halfway through."""
        for action in actions:
            for _, text in action.stdin_parts:
                fill(text)

    def resolve(self, action: Action, nodes: tuple[str, ...] | None,
                values: Mapping[str, str] = MappingProxyType({})) -> Command:
        """The action's command with every secret marker in its input replaced by the value,
        and every value an earlier command read (`values`) in its words (NotKnown if missing)."""
        command = action.command(nodes)
        if keys_in(command.argv):
            command = dataclasses.replace(command, argv=fill_values(command.argv, values))
        if command.stdin is None:
            return command
        stdin, used = fill(command.stdin)
        for secret in used:
            self.journal.redact(secret.reveal())
        return dataclasses.replace(command, stdin=stdin)

    def run(self, action: Action, command: Command, timeout: float | None = None) -> Result:
        host = action.host
        with self._semaphore(host):
            started = time.monotonic()
            with self._lock:
                self.count += 1
                self.per_host[host] = self.per_host.get(host, 0) + 1
            shown = command.display()  # masked, once for both log events
            log.debug("command.start", action_id=action.id, host=host, command=shown)
            try:
                result = self.transport.run(host, command, timeout=timeout or action.timeout)
            except Exception as exc:
                self.journal.command(action.id, host, command, None, time.monotonic() - started,
                                     "", str(exc))
                raise
            # What the command printed goes on to checks, events and summaries: mask it once.
            result = masked_entry(result)
            duration = time.monotonic() - started
            self.journal.command(action.id, host, command, result.exit_status, duration,
                                 result.stdout, result.stderr)
            log.info("command.end", action_id=action.id, host=host, command=shown,
                     exit_status=result.exit_status, duration=round(duration, 3))
            return result
