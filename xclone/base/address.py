"""Typed resource addresses (`lpar.node01`), the names plans, targets and errors use."""

from __future__ import annotations

from dataclasses import dataclass

RESOURCE_TYPES = ("site", "hmc", "cec", "network", "osimage", "group", "lpar")


@dataclass(frozen=True, order=True)
class Address:
    type: str
    name: str

    def __post_init__(self) -> None:
        if self.type not in RESOURCE_TYPES:
            raise ValueError(
                f"unknown resource type {self.type!r} (expected one of {', '.join(RESOURCE_TYPES)})"
            )
        if not self.name:
            raise ValueError("an address needs a name after the type")

    def __str__(self) -> str:
        return f"{self.type}.{self.name}"

    @classmethod
    def parse(cls, text: str) -> Address:
        """Read `TYPE.NAME`; the name may itself contain dots (hostnames), the type may not."""
        kind, sep, name = text.partition(".")
        if not sep:
            raise ValueError(f"address {text!r} is not of the form TYPE.NAME (e.g. lpar.node01)")
        return cls(kind, name)
