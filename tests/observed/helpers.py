"""Shared set-up of the observation tests: a transport that records what observation asks of
another one (the lab, a snapshot), and the HMC login the lab's HMCs accept."""

from __future__ import annotations

import threading

from xclone.base.command import Command
from xclone.base.remote import Login, Result, Transport
from xclone.base.secret import SecretRef

# The tests set this variable to the lab's HMC password (the examples' abc123).
HMC_PASSWORD_ENV = "XCLONE_TEST_HMC_PASSWORD"


class Counting:
    """Passes commands to `inner` and records each one's masked display (`commands`) and its
    host with it (`sent`), safely from the threads observation runs its probes in."""

    def __init__(self, inner: Transport) -> None:
        self.inner = inner
        self.commands: list[str] = []
        self.sent: list[tuple[str, str]] = []
        self._lock = threading.Lock()

    def run(self, host: str, command: Command, *, timeout: float | None = None) -> Result:
        with self._lock:
            self.commands.append(command.display())
            self.sent.append((host, command.display()))
        return self.inner.run(host, command, timeout=timeout)

    def close(self) -> None:
        self.inner.close()


def hmc_login(host: str) -> Login:
    """hscroot on `host`, its password read from HMC_PASSWORD_ENV."""
    return Login(host, "hscroot", 22, SecretRef(env=HMC_PASSWORD_ENV))
