"""Typed resource addresses (`lpar.node01`), the names plans, targets and errors use."""

from __future__ import annotations

from typing import NamedTuple

RESOURCE_TYPES = ("site", "hmc", "cec", "network", "osimage", "group", "lpar")


class _Pair(NamedTuple):
    type: str
    name: str


class Address(_Pair):
    """A resource's type and name. A tuple underneath, so that hashing and ordering the
    addresses of a 10,000-LPAR plan's 70,000 steps cost what strings would; ordered by type,
    then name, which is the order of the `TYPE.NAME` texts."""

    __slots__ = ()

    def __new__(cls, type: str, name: str) -> Address:
        if type not in RESOURCE_TYPES:
            raise ValueError(
                f"unknown resource type {type!r} (expected one of {', '.join(RESOURCE_TYPES)})"
            )
        if not name:
            raise ValueError("an address needs a name after the type")
        return super().__new__(cls, type, name)

    def __str__(self) -> str:
        return f"{self.type}.{self.name}"

    def __repr__(self) -> str:
        return f"Address({self.type!r}, {self.name!r})"

    @classmethod
    def parse(cls, text: str) -> Address:
        """Read `TYPE.NAME`; the name may itself contain dots (hostnames), the type may not."""
        kind, sep, name = text.partition(".")
        if not sep:
            raise ValueError(f"address {text!r} is not of the form TYPE.NAME (e.g. lpar.node01)")
        return cls(kind, name)
