"""NIM objects as `lsnim -l` prints them: one stanza per object.

Stanza attributes are split on the first ` = ` because the `=` column moves from object to object
(names are padded to the longest attribute of that object) and values contain spaces. `class` and
`type` become `NimObject.cls`/`.type`; every other attribute is kept as printed, known or not.
An attribute printed on several lines (one per allocated `script`, IBM AIX "Using a script
resource": several can be allocated to one client) keeps every value (`NimObject.values`).
"""

from __future__ import annotations

from types import MappingProxyType

from xclone.observed.parsers.errors import fail
from xclone.observed.parsers.records import NimObject


def _nim_object(name: str, printed: dict[str, list[str]]) -> NimObject:
    attrs = {key: values[-1] for key, values in printed.items()}
    cls = attrs.pop("class", "")
    type_ = attrs.pop("type", "")
    repeats = {key: tuple(values) for key, values in printed.items()
               if len(values) > 1 and key in attrs}
    return NimObject(name, cls, type_, MappingProxyType(attrs), MappingProxyType(repeats))


def parse_lsnim_long(text: str) -> tuple[NimObject, ...]:
    """Read `lsnim -l [names]`: `name:` at column 0, then indented `attr = value` lines.
    An indented line without ` = ` continues the previous value (kept joined by a newline); an
    attribute printed again adds a value."""
    objects: dict[str, NimObject] = {}
    name: str | None = None
    attrs: dict[str, list[str]] = {}
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
            attrs.setdefault(last_key, []).append(value)
        elif last_key is not None:
            attrs[last_key][-1] = f"{attrs[last_key][-1]}\n{body}"
        else:
            raise fail(no, raw, "expected an indented 'attribute = value' line")
    close()
    return tuple(objects.values())

