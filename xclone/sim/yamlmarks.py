"""Lab files as mappings that know where each key stood, so lab-file errors name file:line:col.

The YAML itself is read by `xclone.base.yamlmarks` (the spec's loader: duplicate keys refused,
anchors and merge keys, no base-60 surprises, tab errors named); this module only wraps its data
in `Marked` mappings for the lab file's checker.
"""

from __future__ import annotations

from typing import Any

from xclone.base.diagnostics import Diagnostic, Location
from xclone.base.errors import XcloneError
from xclone.base.yamlmarks import Marks, Path, parse_yaml
from xclone.sim.errors import LabError


class Marked(dict[str, Any]):
    """A mapping that knows the line and column of itself and of each of its keys."""

    def __init__(self, where: Location) -> None:
        super().__init__()
        self.where = where
        self.key_at: dict[str, Location] = {}

    def at(self, key: str) -> Location:
        return self.key_at.get(key, self.where)


def _wrap(data: Any, marks: Marks, path: Path, source: str) -> Any:
    if isinstance(data, dict):
        marked = Marked(marks.values.get(path) or Location(source, 1, 1))
        for key, value in data.items():
            marked[str(key)] = _wrap(value, marks, (*path, key), source)
            marked.key_at[str(key)] = marks.keys.get((*path, key)) or marked.where
        return marked
    if isinstance(data, list):
        return [_wrap(item, marks, (*path, i), source) for i, item in enumerate(data)]
    return data


def load(text: str, filename: str) -> Marked:
    """Parse a lab file; the top level must be a mapping."""
    try:
        data, marks = parse_yaml(text, filename)
    except XcloneError as exc:
        raise LabError("invalid lab file", exc.diagnostics) from None
    if not isinstance(data, dict):
        where = Location(filename, 1, 1)
        raise LabError("invalid lab file", [Diagnostic("a lab file is a YAML mapping", where)])
    wrapped: Marked = _wrap(data, marks, (), filename)
    return wrapped


def mark_plain(data: object, source: str) -> object:
    """Wrap plain dicts (a lab built in Python) so the checker can read them like a file."""
    return _wrap(data, Marks(), (), source)
