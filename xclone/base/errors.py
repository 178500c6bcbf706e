"""Errors meant for the user: the CLI prints them as they are and exits 1, never a traceback."""

from __future__ import annotations

from collections.abc import Iterable

from xclone.base.diagnostics import Diagnostic


class XcloneError(Exception):
    """A problem the user can fix (bad input, refused connection, failed remote command)."""

    def __init__(self, message: str, diagnostics: Iterable[Diagnostic] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.diagnostics = tuple(diagnostics)


class TransportError(XcloneError):
    """A host could not be reached or refused us; `transient` says whether a retry may help."""

    def __init__(self, host: str, message: str, *, transient: bool = False) -> None:
        super().__init__(f"{host}: {message}")
        self.host = host
        self.transient = transient


class SecretError(XcloneError):
    """A secret reference could not be resolved; the message names the reference, never a value."""
