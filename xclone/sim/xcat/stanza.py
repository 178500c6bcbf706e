"""Stanza files as `mkdef -z` / `chdef -z` read them: DBobjUtils.pm `readFileInput` (xCAT
2.9.2, perl-xCAT/xCAT/DBobjUtils.pm lines 1650-1770), rule for rule.

- A header is a line ending in `:`; the name is everything before the last colon. A header
  whose name holds `=`, and any line that is neither a header nor `attr=val`, make the reader
  skip the attribute lines that follow until the next good header.
- Any name containing `default` is a defaults stanza: `default-<type>` sets defaults for that
  type, copied into an object when its `objtype=` line is read (later lines override them);
  a `default` name without `-type` is read and never used.
- A value loses one leading `"` and one trailing `"` (each end separately, with the blanks
  around them).
- The same name twice is one object: the later lines update the earlier ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_ATTR = re.compile(r"^\s*(.*?)\s*=\s*(.*)\s*")


@dataclass
class Stanza:
    """One object of the file; `type` is "" when the stanza had no `objtype=` line."""

    name: str
    type: str
    attrs: dict[str, str] = field(default_factory=dict)


def _value(raw: str) -> str:
    value = raw.strip()
    value = re.sub(r'^\s*"\s*', "", value)
    return re.sub(r'\s*"\s*$', "", value)


def read(text: str) -> list[Stanza]:
    """The object stanzas in the order their names first appear."""
    objects: dict[str, dict[str, str]] = {}
    order: list[str] = []
    defaults: dict[str, dict[str, str]] = {}
    name = ""
    default_type: str | None = None
    skipping = True  # until the first header
    for line in text.split("\n"):
        if re.match(r"^\s*$", line) or re.match(r"^\s*#", line):
            continue
        if re.search(r":\s*$", line):
            skipping = False
            name = line.rstrip()
            name = name[: name.rfind(":")]
            if "=" in name:
                skipping = True
                continue
            name = name.strip()
            if "default" in name:
                parts = name.split("-")
                default_type = parts[1] if len(parts) > 1 and parts[1] else None
                if default_type:
                    name = "default"
                continue
            if name not in objects:
                objects[name] = {}
                order.append(name)
            continue
        match = _ATTR.match(line)
        if match is None or skipping:
            skipping = True
            continue
        attr, value = match.group(1).strip(), _value(match.group(2))
        if name == "default":
            if default_type:
                defaults.setdefault(default_type, {})[attr] = value
            continue
        target = objects.setdefault(name, {})
        target[attr] = value
        if attr == "objtype":
            target.update(defaults.get(value, {}))
    return [Stanza(n, objects[n].pop("objtype", ""), objects[n]) for n in order]
