"""NIM objects as `lsnim` prints them: stanzas (`-l`), the one-line list, and the colon form (`-Z`).

Stanza attributes are split on the first ` = ` because the `=` column moves from object to object
(names are padded to the longest attribute of that object) and values contain spaces. `class` and
`type` become `NimObject.cls`/`.type`; every other attribute is kept as printed, known or not.
"""

from __future__ import annotations

from types import MappingProxyType

from xclone.observed.model import NimObject
from xclone.observed.parsers.errors import fail


def _nim_object(name: str, attrs: dict[str, str]) -> NimObject:
    cls = attrs.pop("class", "")
    type_ = attrs.pop("type", "")
    return NimObject(name, cls, type_, MappingProxyType(attrs))


def parse_lsnim_long(text: str) -> tuple[NimObject, ...]:
    """Read `lsnim -l [names]`: `name:` at column 0, then indented `attr = value` lines.
    An indented line without ` = ` continues the previous value (kept joined by a newline)."""
    objects: dict[str, NimObject] = {}
    name: str | None = None
    attrs: dict[str, str] = {}
    last_key: str | None = None
    start = (0, "")

    def close() -> None:
        # NIM prints `class` and `type` for every object: a header alone was cut short.
        if name is None:
            return
        if not attrs:
            raise fail(*start, "object has no attributes: the listing was cut short")
        if name in objects:
            raise fail(*start, f"object '{name}' is listed twice")
        objects[name] = _nim_object(name, attrs)

    for no, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r")
        if not line.strip():
            continue
        if not line[0].isspace():
            header = line.rstrip()
            if not header.endswith(":") or " " in header[:-1] or len(header) == 1:
                raise fail(no, raw, "expected a NIM object header '<name>:'")
            close()
            name, attrs, last_key, start = header[:-1], {}, None, (no, raw)
            continue
        if name is None:
            raise fail(no, raw, "attribute line before the first '<name>:' header")
        body = line.strip()
        key, sep, value = body.partition(" = ")
        if not sep and body.endswith(" ="):
            key, sep, value = body[:-2], " =", ""
        if sep and key.strip() and " " not in key.strip():
            last_key = key.strip()
            attrs[last_key] = value
        elif last_key is not None:
            attrs[last_key] = f"{attrs[last_key]}\n{body}"
        else:
            raise fail(no, raw, "expected an indented 'attribute = value' line")
    close()
    return tuple(objects.values())


def parse_lsnim_list(text: str) -> tuple[tuple[str, str, str], ...]:
    """Read plain `lsnim` / `lsnim -c class` / `lsnim -t type`: `name class type` per line,
    columns padded with spaces."""
    rows: list[tuple[str, str, str]] = []
    for no, line in enumerate(text.splitlines(), start=1):
        words = line.split()
        if not words:
            continue
        if len(words) != 3:
            raise fail(no, line, "expected '<name> <class> <type>'")
        rows.append((words[0], words[1], words[2]))
    return tuple(rows)


def parse_lsnim_colon(text: str) -> tuple[NimObject, ...]:
    """Read `lsnim -Z`: a `#name:a1:a2:` header, then `name:v1:v2:` lines. NIM drops unset
    attributes from value lines, so the columns shift: values are mapped by position only when
    their count matches the header, otherwise the line is refused (ask `lsnim -l` instead)."""
    objects: list[NimObject] = []
    names: list[str] | None = None
    for no, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r\n ")
        if not line:
            continue
        if line.startswith("#"):
            names = line[1:].removesuffix(":").split(":")
            continue
        if names is None:
            raise fail(no, raw, "value line before the '#name:...' header")
        values = line.removesuffix(":").split(":")
        if len(values) != len(names):
            raise fail(
                no, raw,
                f"{len(values)} values for {len(names)} columns: an unset attribute shifted the "
                "columns (lsnim -Z drops it); read this object with lsnim -l",
            )
        row = dict(zip(names, values, strict=True))
        name = row.pop("name", values[0])
        objects.append(_nim_object(name, row))
    return tuple(objects)
