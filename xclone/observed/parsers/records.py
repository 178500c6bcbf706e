"""The records the xCAT and NIM parsers return: an object's name, type and attributes as printed.

They live with the parsers so that a parser needs nothing but `base` and its own package; the
observed model (observed.model) holds them as they were read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

_EMPTY: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True)
class XcatObject:
    """One xCAT object (`lsdef -z` / `lsdef -l`): its type, name and attribute strings."""

    type: str
    name: str
    attrs: Mapping[str, str] = field(default_factory=lambda: _EMPTY)

    def get(self, attr: str, default: str = "") -> str:
        return self.attrs.get(attr, default)


@dataclass(frozen=True)
class NimObject:
    """One NIM object (`lsnim -l`): class (machines, resources, networks, groups), type, attrs."""

    name: str
    cls: str
    type: str
    attrs: Mapping[str, str] = field(default_factory=lambda: _EMPTY)

    def get(self, attr: str, default: str = "") -> str:
        return self.attrs.get(attr, default)
