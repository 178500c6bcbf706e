"""The one error a parser raises: what line of which command's output it could not read, and why."""

from __future__ import annotations

from xclone.base.errors import XcloneError


class ParseError(XcloneError):
    """Output that does not have the documented shape. Parsers do not know where their text came
    from, so they leave `host` and `command` empty and the caller fills them in with `at`."""

    def __init__(self, host: str, command: str, line_no: int, line: str, reason: str) -> None:
        self.host = host
        self.command = command
        self.line_no = line_no
        self.line = line
        self.reason = reason
        super().__init__(self._format())

    def _format(self) -> str:
        where = ": ".join(part for part in (self.host, self.command) if part)
        origin = f"{where}: " if where else ""
        shown = self.line if len(self.line) <= 120 else self.line[:117] + "..."
        return f"{origin}cannot read output line {self.line_no} ({shown!r}): {self.reason}"

    def at(self, host: str, command: str) -> ParseError:
        """The same error, naming the host and command whose output it was."""
        return ParseError(host, command, self.line_no, self.line, self.reason)


def fail(line_no: int, line: str, reason: str) -> ParseError:
    """A ParseError whose origin the caller adds later (`raise fail(...)`)."""
    return ParseError("", "", line_no, line, reason)
