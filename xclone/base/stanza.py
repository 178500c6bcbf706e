"""xCAT stanza text (`lsdef -z`, `rscan -z`, hand-edited `mkdef -z` input) read as xCAT reads it.

Shared by observation (which reads `lsdef -z` answers) and `xclone import --stanza` (which reads a
user's file and must keep its comments), so both accept exactly the same files. The reader follows
xCAT's own (`readFileInput` in perl-xCAT/xCAT/DBobjUtils.pm, xCAT 2.9.2, lines 1671-1775; see
docs/formats.md "Stanza files"): leading and trailing blanks never matter, so stanzas copied
indented from xCAT's docs read as they are; any line ending in `:` is a header naming the object
before its last `:` (an IPv6 network `fd59::/64:` keeps its colons); an attribute line splits on
its first `=` with one pair of surrounding double quotes dropped; a `default-<type>:` stanza fills
the stanzas of that type that follow it.

Two deliberate differences, both where xCAT silently drops data: a line ending in `:` whose name
part holds `=` is an attribute whose value ends in `:` (`lsdef -z` prints `usercomment=see:` so;
xCAT's reader would take it for a bad header and skip the rest of the stanza), and a line that is
neither header nor attribute is an error naming the line instead of being skipped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from xclone.base.errors import XcloneError

MARKER = "# <xCAT data object stanza file>"
# What `-V` adds to the output of xCAT's hardware commands (rscan, rpower, getmacs...): time,
# process id, text (`10:25:46 75596 Total Elapsed Time: 0.376 sec`; `trace` in
# xCAT-server/lib/perl/xCAT/PPC.pm, xCAT 2.9.2). Never data, never an error.
_TRACE = re.compile(r"^\d{2}:\d{2}:\d{2}\s+\d+\s")


class StanzaError(XcloneError):
    """A line that is not stanza text; `line_no` counts from 1 in the text given."""

    def __init__(self, line_no: int, line: str, reason: str) -> None:
        super().__init__(f"line {line_no} ({line!r}): {reason}")
        self.line_no = line_no
        self.line = line
        self.reason = reason


@dataclass(frozen=True)
class Stanza:
    """One `name:` block: attributes in file order (a repeated key keeps its last value) and the
    comment lines written just above its header or among its attributes."""

    name: str
    line_no: int
    header: str
    attrs: tuple[tuple[str, str], ...]
    comments: tuple[str, ...] = ()

    def mapping(self) -> Mapping[str, str]:
        return MappingProxyType(dict(self.attrs))


@dataclass(frozen=True)
class StanzaObject:
    """A stanza with its type taken out of `objtype=` and the `default-<type>:` values applied."""

    type: str
    stanza: Stanza
    attrs: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def name(self) -> str:
        return self.stanza.name


@dataclass(frozen=True)
class StanzaFile:
    stanzas: tuple[Stanza, ...]
    comments: tuple[str, ...] = ()  # comment lines not attached to any stanza


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


class _Reader:
    def __init__(self) -> None:
        self.stanzas: list[Stanza] = []
        self.loose: list[str] = []
        self.pending: list[str] = []
        self.current: tuple[int, str, str, list[tuple[str, str]], list[str]] | None = None

    def close(self) -> None:
        if self.current is not None:
            no, header, name, attrs, comments = self.current
            self.stanzas.append(Stanza(name, no, header, tuple(attrs), tuple(comments)))
            self.current = None

    def header(self, no: int, line: str) -> None:
        self.close()
        name = line.strip()[:-1].strip()
        if not name or any(c.isspace() for c in name):
            raise StanzaError(no, line, "stanza header does not name an object")
        self.current = (no, line, name, [], self.pending)
        self.pending = []

    def attribute(self, no: int, line: str) -> None:
        key, sep, value = line.strip().partition("=")
        if not sep or not key.strip():
            raise StanzaError(no, line, "expected 'attribute=value' or an 'object:' header")
        if self.current is None:
            raise StanzaError(no, line, "attribute line before the first 'object:' header")
        self.current[4].extend(self.pending)
        self.pending = []
        self.current[3].append((key.strip(), _unquote(value.strip())))

    def blank(self) -> None:
        """Comments followed by a blank line before any stanza describe the file, not a node."""
        if self.current is None and not self.stanzas:
            self.loose.extend(self.pending)
            self.pending = []


def is_trace(line: str) -> bool:
    """A `-V` trace line of an xCAT hardware command."""
    return _TRACE.match(line.strip()) is not None


def is_header(stripped: str) -> bool:
    """A stripped line ending in `:` whose name part (before the last `:`) holds no `=`."""
    return stripped.endswith(":") and "=" not in stripped[:-1]


def read_stanzas(text: str, skip: Callable[[str], bool] = lambda _: False) -> StanzaFile:
    """Every stanza of `text`, in order; `skip(line)` drops lines a caller knows are not data
    (an `lsdef` "no objects" answer). Raises StanzaError on a line that is not stanza text."""
    reader = _Reader()
    for no, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r")
        stripped = line.strip()
        if not stripped:
            reader.blank()
        elif stripped == MARKER or skip(stripped):
            continue
        elif stripped.startswith("#"):
            reader.pending.append(stripped)
        elif is_header(stripped):
            reader.header(no, line)
        else:
            reader.attribute(no, line)
    reader.close()
    return StanzaFile(tuple(reader.stanzas), (*reader.loose, *reader.pending))


def typed_objects(stanzas: tuple[Stanza, ...], default_type: str = "") -> tuple[StanzaObject, ...]:
    """The objects the stanzas define, as `mkdef -z` would: `objtype=` gives the type (else
    `default_type`), and `default-<type>:` stanzas are not objects but fill later ones."""
    defaults: dict[str, dict[str, str]] = {}
    found: dict[str, StanzaObject] = {}
    for stanza in stanzas:
        attrs = dict(stanza.attrs)
        type_ = attrs.pop("objtype", "") or default_type
        if stanza.name.startswith("default-"):
            defaults[stanza.name.removeprefix("default-")] = attrs
            continue
        if not type_:
            raise StanzaError(stanza.line_no, stanza.header, "stanza has no objtype= attribute")
        merged = MappingProxyType({**defaults.get(type_, {}), **attrs})
        found[stanza.name] = StanzaObject(type_, stanza, merged)
    return tuple(found.values())
