"""The records the xCAT and NIM parsers return: an object's name, type and attributes as printed.

They live with the parsers so that a parser needs nothing but `base` and its own package; the
observed model (observed.model) holds them as they were read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

_EMPTY: Mapping[str, str] = MappingProxyType({})
_NO_REPEATS: Mapping[str, tuple[str, ...]] = MappingProxyType({})


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
    """One NIM object (`lsnim -l`): class (machines, resources, networks, groups), type, attrs.

    `lsnim -l` prints an attribute that holds several values once per value (a machine with two
    `script` resources allocated has two `script = ...` lines). `attrs` and `get` keep the last
    value printed, as they always did, so a caller that asks "is one allocated" is unchanged;
    `repeats` holds every value of an attribute printed more than once, and `values` reads
    them all."""

    name: str
    cls: str
    type: str
    attrs: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    repeats: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: _NO_REPEATS)

    def get(self, attr: str, default: str = "") -> str:
        return self.attrs.get(attr, default)

    def values(self, attr: str) -> tuple[str, ...]:
        """Every value of `attr` in the order printed: () when absent, one for most."""
        if attr in self.repeats:
            return self.repeats[attr]
        value = self.attrs.get(attr)
        return () if value is None else (value,)
