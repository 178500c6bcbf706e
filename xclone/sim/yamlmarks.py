"""YAML loading that remembers where every key stood, so lab-file errors name file:line:col."""

from __future__ import annotations

from typing import Any

import yaml

from xclone.base.diagnostics import Diagnostic, Location
from xclone.sim.errors import LabError


class Marked(dict[str, Any]):
    """A mapping that knows the line and column of itself and of each of its keys."""

    def __init__(self, where: Location) -> None:
        super().__init__()
        self.where = where
        self.key_at: dict[str, Location] = {}

    def at(self, key: str) -> Location:
        return self.key_at.get(key, self.where)


_BASE: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BASE):  # type: ignore[valid-type,misc]
    """The C parser when libyaml is there (10,000-LPAR labs load in a second), our mappings."""


def _location(loader: _Loader, mark: yaml.Mark) -> Location:
    return Location(loader.filename, mark.line + 1, mark.column + 1)


def _mapping(loader: _Loader, node: yaml.MappingNode) -> Marked:
    result = Marked(_location(loader, node.start_mark))
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        where = _location(loader, key_node.start_mark)
        text = str(key)
        if text in result:
            raise LabError("invalid lab file", [Diagnostic(f"duplicate key '{text}'", where)])
        result[text] = loader.construct_object(value_node, deep=True)
        result.key_at[text] = where
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def load(text: str, filename: str) -> Marked:
    """Parse a lab file; the top level must be a mapping."""
    try:
        loader = _Loader(text)
        loader.filename = filename
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location(filename, mark.line + 1, mark.column + 1) if mark else None
        problem = exc.problem or exc.context or "malformed YAML"
        raise LabError("invalid lab file", [Diagnostic(f"malformed YAML: {problem}", where)]) \
            from None
    if not isinstance(data, Marked):
        where = Location(filename, 1, 1)
        raise LabError("invalid lab file", [Diagnostic("a lab file is a YAML mapping", where)])
    return data


def mark_plain(data: object, source: str) -> object:
    """Wrap plain dicts (a lab built in Python) so the checker can read them like a file."""
    if isinstance(data, dict):
        marked = Marked(Location(source, 1, 1))
        for key, value in data.items():
            marked[str(key)] = mark_plain(value, source)
        return marked
    if isinstance(data, list):
        return [mark_plain(item, source) for item in data]
    return data
