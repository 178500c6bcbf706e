"""The `rscan <hmc>` inventory table, read by column position because the CEC's id is empty.

Rows are padded to full width with trailing spaces and sorted by type+name (the HMC row is not
first). Per-system failures follow the table as `# <mtm*serial>: ERROR <message>` and an
HMC-level failure is a `hmc01: <message>` line, possibly behind `Error: ` and the server tag
newer xCAT puts in front of a service node's answer (`[mn]: hmc01: <message>`; the tag stays in
the message, it names the server, not the HMC); both are returned, not raised, so an import can
report them next to what did scan. With `-V` xCAT also prints trace lines anywhere in the output
(`10:25:46 75596 Total Elapsed Time: 0.376 sec`: time, process id, text; `trace` in
xCAT-server/lib/perl/xCAT/PPC.pm, xCAT 2.9.2): they are neither rows nor errors and are skipped.
See docs/formats.md "rscan".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from xclone.base.stanza import is_trace
from xclone.observed.parsers.errors import fail

_COLUMNS = ("type", "name", "id", "type-model", "serial-number", "side")
_SYSTEM_ERROR = re.compile(r"^#\s*(?P<system>[^:]+):\s*ERROR\s*(?P<message>.*)$")
_HOST_ERROR = re.compile(
    r"^(?:Error:\s*)?(?P<tag>\[[^\]]+\]:\s*)?(?P<host>[^\s:\[\]]+):\s*(?P<message>.*)$"
)


@dataclass(frozen=True)
class RscanRow:
    type: str
    name: str
    id: str
    type_model: str
    serial: str
    side: str


@dataclass(frozen=True)
class RscanTable:
    rows: tuple[RscanRow, ...]
    errors: tuple[tuple[str, str], ...]  # (system or HMC, message)


def _starts(header: str, no: int) -> list[int]:
    starts: list[int] = []
    pos = 0
    for column in _COLUMNS:
        found = re.search(rf"(?<!\S){re.escape(column)}(?!\S)", header[pos:])
        if found is None:
            raise fail(no, header, f"rscan header lacks the {column!r} column")
        starts.append(pos + found.start())
        pos += found.end()
    return starts


def parse_rscan(text: str) -> RscanTable:
    rows: list[RscanRow] = []
    errors: list[tuple[str, str]] = []
    starts: list[int] | None = None
    for no, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        if not line:
            continue
        system_error = _SYSTEM_ERROR.match(line)
        if system_error:
            errors.append((system_error["system"].strip(), system_error["message"].strip()))
            continue
        if line.startswith("#") or is_trace(line):
            continue
        if starts is None:
            if line.split()[0] == "type":
                starts = _starts(line, no)
                continue
            host_error = _HOST_ERROR.match(line)
            if host_error is None:
                raise fail(no, raw, "expected the rscan header line")
            message = (host_error["tag"] or "") + host_error["message"].strip()
            errors.append((host_error["host"], message))
            continue
        bounds = [*starts[1:], None]
        cells = [line[a:b].strip() for a, b in zip(starts, bounds, strict=True)]
        split_word = any(
            0 < a < len(line) and not line[a - 1].isspace() and not line[a].isspace()
            for a in starts
        )
        if split_word or not cells[0] or not cells[1]:
            raise fail(no, raw, "rscan row does not fit the header's columns")
        rows.append(RscanRow(*cells))
    return RscanTable(tuple(rows), tuple(errors))
