"""AIX's own answers the preflight reads: `lsuser -a ATTR... USER` and `df -k`.

`lsuser` prints one line per user, `NAME attr=value ...` (IBM AIX 7.2, "lsuser Command").
`df -k` prints a header, then per mounted file system `Filesystem 1024-blocks Free %Used Iused
%Iused Mounted on`, with `-` where a pseudo file system (/proc) has no figure (IBM AIX 7.2,
"df Command"). Pure functions: text in, values out, a ParseError for any other shape.
"""

from __future__ import annotations

from dataclasses import dataclass

from xclone.observed.parsers.errors import fail


@dataclass(frozen=True)
class FileSystem:
    """One `df -k` row: where it is mounted and its free space in KB (None: `-`)."""

    mount: str
    device: str
    free_kb: int | None


def parse_lsuser(text: str) -> dict[str, str]:
    """The attributes of the one user listed."""
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) != 1:
        raise fail(len(lines), text.strip()[:120], "expected one line for one user")
    words = lines[0].split()
    attrs = {}
    for word in words[1:]:
        key, sep, value = word.partition("=")
        if not sep or not key:
            raise fail(1, lines[0], f"{word!r} is not attr=value")
        attrs[key] = value
    return attrs


def parse_df(text: str) -> tuple[FileSystem, ...]:
    lines = [line for line in text.splitlines() if line.strip()]
    head = lines[0] if lines else ""
    if not head.startswith("Filesystem") or "Mounted on" not in head:
        raise fail(1, head, "the header `Filesystem ... Mounted on` is missing")
    if "1024-blocks" not in head:
        raise fail(1, head, "the header does not count 1024-blocks (df -k)")
    found = []
    for number, line in enumerate(lines[1:], start=2):
        words = line.split()
        if len(words) < 7:
            raise fail(number, line, "fewer than 7 columns")
        free = words[2]
        if free != "-" and not free.isdigit():
            raise fail(number, line, f"free space {free!r} is not a number")
        found.append(FileSystem(" ".join(words[6:]), words[0],
                                None if free == "-" else int(free)))
    return tuple(found)
