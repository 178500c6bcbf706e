"""The documented limits on what a spec may hold, checked on the plain document before pydantic.

Every string of a spec can end up in a remote command line or an xCAT table: a site attribute
becomes `chdef -t site key=value`, names become noderange words, a value with a newline becomes a
second line of `lsdef` output and a forged attribute (`"3001\\nmaster=6.6.6.6"`). So one walk over
every key and value refuses control characters and over-long strings, wherever they are written,
and counts the LPARs from the range bounds before anything is expanded. docs/safety.md
("Inputs") gives the reasons for each number.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from xclone.base.diagnostics import Diagnostic
from xclone.base.noderange import NoderangeError, count
from xclone.base.yamlmarks import Marks, Path
from xclone.spec.locate import address_for

# What one plan can hold in reasonable time and memory, not what xCAT can manage (it calls a
# server with more than 128 nodes large and reaches 100,000s through service nodes). Measured
# on two shared cores: 100,000 LPARs in ranges load in about 2.5 s and 230 MiB; `xclone plan`
# of 50,000 from a snapshot takes about 13 s CPU and 560 MiB (text) or 780 MiB (JSON), so
# 100,000 stays within about 30 s and 1.5 GiB, while a typo in a range bound (a digit too
# many) is refused in milliseconds instead of planning for minutes. docs/safety.md, "Inputs".
MAX_LPARS = 100_000
# Any one string: a page, within POSIX's smallest ARG_MAX (4,096) and a sixth of AIX 5.3's
# 24,576-byte default ncargs, so one chdef of a few such values still fits a command line.
MAX_VALUE = 4_096
# Diagnostics that say the same thing about different values (one per LPAR of a range).
PER_RULE = 20

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_NAMES = {"\n": "a newline", "\r": "a carriage return", "\t": "a tab", "\x00": "a NUL byte",
          "\x1b": "an escape", "\x7f": "a DEL", "\x85": "a next-line (NEL)"}
# Quoted text and words holding a digit (names, ids, addresses, locations) vary between
# diagnostics of one rule; the rest of the sentence is the rule.
_VARYING = re.compile(r"'[^']*'|\"[^\"]*\"|\S*\d\S*")


def _shown(path: Path) -> Path:
    """`path` safe to print: a key's control characters escaped, a long key shortened."""
    parts: list[str | int] = []
    for part in path:
        if isinstance(part, str):
            part = part.encode("unicode_escape").decode("ascii")
            part = part if len(part) <= 64 else f"{part[:60]}..."
        parts.append(part)
    return tuple(parts)


def _label(path: Path) -> str:
    text = ""
    for part in _shown(path):
        text += f"[{part}]" if isinstance(part, int) else f"{'.' if text else ''}{part}"
    return text or "document"


def control_problem(value: str) -> str | None:
    """Why `value` cannot reach a remote command or an xCAT table, or None when it can."""
    found = _CONTROL.search(value)
    if found:
        char = found.group()
        name = _NAMES.get(char, "a control character")
        return (f"contains {name} (U+{ord(char):04X}); values reaching xCAT and remote "
                "commands must be one line of printable text")
    if len(value) > MAX_VALUE:
        return f"is {len(value):,} characters long; at most {MAX_VALUE:,} are allowed"
    return None


def _strings(data: Any, path: Path) -> Iterator[tuple[Path, str, bool]]:
    """Every string of the document: (path, text, whether it is a key)."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield (*path, key), str(key), True
            yield from _strings(value, (*path, key))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from _strings(item, (*path, index))
    elif isinstance(data, str):
        yield path, data, False


class _Limits:
    def __init__(self, data: dict[str, Any], marks: Marks) -> None:
        self.data = data
        self.marks = marks
        self.cluster = data.get("cluster")
        self.errors: list[Diagnostic] = []
        self.too_long: set[Path] = set()

    def error(self, path: Path, message: str, *, key: bool = False) -> None:
        where = self.marks.at(path, key=key)
        cluster = self.cluster if isinstance(self.cluster, str) else None
        if cluster is not None and control_problem(cluster):
            cluster = None
        address = address_for(_shown(path[:-1] if key else path), cluster)
        self.errors.append(Diagnostic(message, where, address))

    def strings(self) -> None:
        for path, text, is_key in _strings(self.data, ()):
            problem = control_problem(text)
            if problem is None:
                continue
            if not is_key:
                self.too_long.add(path)
            what = f"a key of {_label(path[:-1])}" if is_key else _label(path)
            self.error(path, f"{what} {problem}", key=is_key)

    def lpar_count(self) -> None:
        """At most MAX_LPARS, counted from the range bounds: `big[0000001-9999999]` is refused
        here, once, instead of being expanded into ten million LPARs and diagnostics."""
        lpars = self.data.get("lpars")
        total = len(lpars) if isinstance(lpars, dict) else 0
        if total > MAX_LPARS:
            self.error(("lpars",), f"lpars defines {total:,} LPARs; a spec may hold at most "
                                   f"{MAX_LPARS:,}", key=True)
            return
        ranges = self.data.get("lpar_ranges")
        for index, entry in enumerate(ranges if isinstance(ranges, list) else []):
            names = entry.get("names") if isinstance(entry, dict) else None
            path: Path = ("lpar_ranges", index, "names")
            if not isinstance(names, str) or path in self.too_long:
                continue
            try:
                size = count(names)
            except NoderangeError:
                continue
            total += size
            if total > MAX_LPARS:
                what = f"names {names!r} gives {size:,} LPAR names"
                if size <= MAX_LPARS:
                    what += f", {total:,} LPARs with those before it"
                self.error(path, f"{what}; a spec may hold at most {MAX_LPARS:,} LPARs")
                return


def check_document(data: dict[str, Any], marks: Marks) -> list[Diagnostic]:
    """Every string with a control character or over MAX_VALUE characters, and an LPAR count
    over MAX_LPARS, each located where it is written."""
    limits = _Limits(data, marks)
    limits.strings()
    limits.lpar_count()
    return limits.errors


def _rule(diagnostic: Diagnostic) -> str:
    return _VARYING.sub("_", diagnostic.message)


def cap(diagnostics: list[Diagnostic], per_rule: int = PER_RULE) -> list[Diagnostic]:
    """The diagnostics with at most `per_rule` of each rule; after the last one shown, one
    line says how many more there are and points at the first left out."""
    seen: dict[str, int] = {}
    for diagnostic in diagnostics:
        rule = _rule(diagnostic)
        seen[rule] = seen.get(rule, 0) + 1
    shown: list[Diagnostic] = []
    kept: dict[str, int] = {}
    for diagnostic in diagnostics:
        rule = _rule(diagnostic)
        kept[rule] = kept.get(rule, 0) + 1
        if kept[rule] <= per_rule:
            shown.append(diagnostic)
        elif kept[rule] == per_rule + 1:
            more = seen[rule] - per_rule
            shown.append(Diagnostic(f"... and {more:,} more like the previous error",
                                    diagnostic.location, diagnostic.address))
    return shown
