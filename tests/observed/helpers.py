"""Shared set-up of the observation tests that run against the lab: a transport that records
what observation asks, and the HMC login the lab's HMCs accept."""

from __future__ import annotations

from xclone.base.command import Command
from xclone.base.remote import Login, Result
from xclone.base.secret import SecretRef
from xclone.transport.sim import SimTransport

# The tests set this variable to the lab's HMC password (the examples' abc123).
HMC_PASSWORD_ENV = "XCLONE_TEST_HMC_PASSWORD"


class Counting:
    """Passes commands to the lab and records them, as each one's masked display."""

    def __init__(self, inner: SimTransport) -> None:
        self.inner = inner
        self.commands: list[str] = []

    def run(self, host: str, command: Command, *, timeout: float | None = None) -> Result:
        self.commands.append(command.display())
        return self.inner.run(host, command, timeout=timeout)

    def close(self) -> None:
        self.inner.close()


def hmc_login(host: str) -> Login:
    """hscroot on `host`, its password read from HMC_PASSWORD_ENV."""
    return Login(host, "hscroot", 22, SecretRef(env=HMC_PASSWORD_ENV))
