"""Snapshots: every raw output one observation saw, in a documented JSON file (docs/snapshots.md).

A snapshot lets `plan` run with no connection at all (a pull request's CI job has no credentials)
and can be written by hand from outputs captured on a real cluster, so loading checks every field
and names the file and the entry that is wrong.

Snapshots get committed next to specs, so nothing secret may be in one: every entry is masked
(`masked_entry`) when it is written. xCAT prints the HMC node's password in `lsdef`; the planner
never compares it (the spec holds only a reference), so a masked snapshot plans exactly what the
live cluster does.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from xclone.base.errors import XcloneError
from xclone.base.redact import redact
from xclone.base.remote import Result

FORMAT_VERSION = 1
FILE_NAME = "snapshot.json"
_FIELDS = {"host": str, "command": str, "exit_status": int, "stdout": str, "stderr": str}


# One command as a transport records it (`Command.display()`, env prefix and quoting included:
# for the read-only probes, which hold no secret word, exactly the string sent) and what it
# printed: the very record a transport returns, kept as it was.
SnapshotEntry = Result


@dataclass(frozen=True)
class Snapshot:
    taken_at: datetime
    entries: tuple[SnapshotEntry, ...]


def snapshot_file(path: Path) -> Path:
    """`DIR/snapshot.json` for a directory; a file path is taken as the snapshot file itself."""
    return path if path.suffix == ".json" or path.is_file() else path / FILE_NAME


def masked_entry(entry: SnapshotEntry) -> SnapshotEntry:
    """`entry` with xCAT secret attributes (`password=...` in any `lsdef` form) and every
    secret resolved in this process masked as `***`, in its output and its command."""
    return replace(entry, command=redact(entry.command), stdout=redact(entry.stdout),
                   stderr=redact(entry.stderr))


def save_snapshot(directory: Path, entries: Iterable[SnapshotEntry], taken_at: datetime) -> Path:
    """Write the masked entries to `DIR/snapshot.json` (or to the `.json` path given)."""
    target = snapshot_file(directory)
    document = {
        "format_version": FORMAT_VERSION,
        "taken_at": taken_at.isoformat(),
        "entries": [asdict(masked_entry(entry)) for entry in entries],
    }
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n",
                          encoding="utf-8")
    except OSError as exc:
        raise XcloneError(f"{target}: cannot write the snapshot ({exc.strerror or exc})") from None
    return target


def load_snapshot(path: Path) -> Snapshot:
    source = snapshot_file(path)
    try:
        document = json.loads(source.read_text(encoding="utf-8"))
    except OSError as exc:
        raise XcloneError(f"{source}: cannot read the snapshot ({exc.strerror or exc})") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise XcloneError(f"{source}: not valid JSON ({exc})") from None
    return _validated(source, document)


def _validated(source: Path, document: Any) -> Snapshot:
    def bad(what: str) -> XcloneError:
        return XcloneError(f"{source}: {what}")

    if not isinstance(document, dict):
        raise bad("expected a JSON object with format_version, taken_at and entries")
    unknown = sorted(set(document) - {"format_version", "taken_at", "entries"})
    if unknown:
        raise bad(f"unknown top-level key(s): {', '.join(unknown)}")
    if document.get("format_version") != FORMAT_VERSION:
        found = document.get("format_version")
        raise bad(f"format_version is {found!r}; this xclone reads format_version {FORMAT_VERSION}")
    taken_at = document.get("taken_at")
    try:
        when = datetime.fromisoformat(taken_at) if isinstance(taken_at, str) else None
    except ValueError:
        when = None
    if when is None:
        raise bad(f"taken_at must be an ISO-8601 time such as 2026-11-25T16:42:09+00:00, "
                  f"not {taken_at!r}")
    raw_entries = document.get("entries")
    if not isinstance(raw_entries, list):
        raise bad("entries must be a list")
    entries: list[SnapshotEntry] = []
    seen: dict[tuple[str, str], int] = {}
    for index, raw in enumerate(raw_entries):
        entry = _entry(raw, f"entries[{index}]", bad)
        key = (entry.host, entry.command)
        if key in seen:
            raise bad(f"entries[{index}] repeats host {entry.host!r} and command "
                      f"{entry.command!r} of entries[{seen[key]}]")
        seen[key] = index
        entries.append(entry)
    return Snapshot(when, tuple(entries))


def _entry(raw: Any, where: str, complain: Callable[[str], XcloneError]) -> SnapshotEntry:
    def bad(what: str) -> XcloneError:
        return complain(f"{where}: {what}")

    if not isinstance(raw, dict):
        raise bad("expected an object with host, command, exit_status, stdout, stderr")
    missing = [name for name in _FIELDS if name not in raw]
    if missing:
        raise bad(f"missing {', '.join(missing)}")
    extra = sorted(set(raw) - set(_FIELDS))
    if extra:
        raise bad(f"unknown key(s): {', '.join(extra)}")
    for name, kind in _FIELDS.items():
        value = raw[name]
        if not isinstance(value, kind) or isinstance(value, bool):
            raise bad(f"{name} must be {'an integer' if kind is int else 'a string'}")
    if not raw["host"] or not raw["command"]:
        raise bad("host and command must not be empty")
    return SnapshotEntry(**raw)
