"""What a simulated command returns, and the one error the lab raises at its callers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from xclone.base.diagnostics import Diagnostic
from xclone.base.errors import XcloneError


@dataclass(frozen=True)
class SimResult:
    """A finished command, as a remote shell would hand it back: both streams and the status."""

    stdout: str
    stderr: str
    exit_status: int


class LabError(XcloneError):
    """The lab itself refused: bad lab file, unknown host, failed login.

    `transient` tells a transport whether retrying could help (a refused password cannot)."""

    def __init__(
        self,
        message: str,
        diagnostics: Iterable[Diagnostic] = (),
        *,
        host: str | None = None,
        transient: bool = False,
    ) -> None:
        super().__init__(message, diagnostics)
        self.host = host
        self.transient = transient


class ConnectionDropped(LabError):
    """A `drop` fault struck: the command ran, and its answer never reaches the caller."""

    dropped = True
