"""xCAT definitions as `lsdef` prints them: stanzas (`-z`), long form (`-l`) and one attribute per
line (`-i attr -c`, read while apply waits and re-observes).

Values are kept as printed (strings, comma lists unsplit) and unknown attributes are kept, so a
newer xCAT adding attributes never breaks observation. The object type is taken out of the
attributes (`objtype=` in stanzas, `(type)` in long headers) into `XcatObject.type`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from types import MappingProxyType

from xclone.base.stanza import StanzaError, read_stanzas, typed_objects
from xclone.observed.parsers.errors import fail
from xclone.observed.parsers.records import XcatObject

STANZA_HEADER = "# <xCAT data object stanza file>"

# Answers with nothing to list (exit 0, stdout): they mean "no objects", not an error.
_EMPTY_ANSWERS = (
    re.compile(r"^Could not find any objects of type '[^']*'\.$"),
    re.compile(r"^Could not find any objects to display\.$"),
)
_LONG_HEADER = re.compile(r"^Object name: (?P<name>\S+)(?:\s+\((?P<type>[^)]+)\))?\s*$")


def is_empty_answer(line: str) -> bool:
    text = line.strip()
    return any(p.match(text) for p in _EMPTY_ANSWERS)


def _lines(text: str) -> Iterator[tuple[int, str]]:
    for no, line in enumerate(text.splitlines(), start=1):
        yield no, line.rstrip("\r")


def _object(type_: str, name: str, attrs: dict[str, str]) -> XcatObject:
    return XcatObject(type_, name, MappingProxyType(dict(attrs)))


def parse_stanzas(text: str, default_type: str = "") -> tuple[XcatObject, ...]:
    """Read stanza output (`lsdef -z`, 4-space indent; `rscan -z`, TAB indent) with the stanza
    reader `xclone import --stanza` also uses, so both accept the same text. A stanza without
    `objtype=` takes `default_type`, and fails when there is none."""
    try:
        stanzas = read_stanzas(text, skip=is_empty_answer).stanzas
        objects = typed_objects(stanzas, default_type)
    except StanzaError as exc:
        raise fail(exc.line_no, exc.line, exc.reason) from None
    seen: set[str] = set()
    for s in stanzas:
        # lsdef -z writes `objtype=` right after every header (DBobjectdefs.pm defls), so a
        # header with nothing under it is a listing cut short; a name twice is a garbled one.
        if not s.attrs:
            raise fail(s.line_no, s.header, "stanza has no attributes: the listing was cut short")
        if s.name in seen:
            raise fail(s.line_no, s.header, f"object '{s.name}' is listed twice")
        seen.add(s.name)
    return tuple(_object(o.type, o.name, dict(o.attrs)) for o in objects)


def parse_long(text: str, default_type: str = "") -> tuple[XcatObject, ...]:
    """Read `lsdef -l` long form: `Object name: x` (or `Object name: x  (type)` when several
    types were asked for) then indented `attr=value` lines, no blank line between objects. The
    value is everything after the first `=`, kept as printed; an empty value is kept (`-i`)."""
    objects: dict[str, XcatObject] = {}
    current: tuple[str, str, dict[str, str]] | None = None
    start = (0, "")

    def close() -> None:
        if current is None:
            return
        if not current[2]:
            raise fail(*start, "object has no attributes: the listing was cut short")
        if current[1] in objects:
            raise fail(*start, f"object '{current[1]}' is listed twice")
        objects[current[1]] = _object(*current)

    for no, line in _lines(text):
        if not line.strip() or is_empty_answer(line):
            continue
        header = _LONG_HEADER.match(line)
        if header:
            close()
            type_ = header["type"] or default_type
            if not type_:
                raise fail(no, line, "object header names no type and none was asked for")
            current, start = (type_, header["name"], {}), (no, line)
            continue
        if not line[0].isspace():
            raise fail(no, line, "expected 'Object name: <name>' or an indented attribute")
        key, sep, value = line.strip(" \t").partition("=")
        if not sep or not key:
            raise fail(no, line, "expected an indented 'attribute=value' line")
        if current is None:
            raise fail(no, line, "attribute line before the first 'Object name:' header")
        current[2][key] = value
    close()
    return tuple(objects.values())


def parse_compact(text: str, default_type: str = "node") -> tuple[XcatObject, ...]:
    """Read `lsdef -i attr,... -c`: one `name: attr=value` line per object and attribute."""
    found: dict[str, dict[str, str]] = {}
    for no, line in _lines(text):
        if not line.strip() or is_empty_answer(line):
            continue
        name, sep, rest = line.partition(": ")
        key, eq, value = rest.partition("=")
        if not sep or not eq or not name or " " in name or not key.strip():
            raise fail(no, line, "expected 'name: attribute=value'")
        found.setdefault(name, {})[key.strip()] = value
    return tuple(_object(default_type, name, attrs) for name, attrs in found.items())

