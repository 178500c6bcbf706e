"""Typed resource addresses (`lpar.node01`), the names plans, targets and errors use."""

from __future__ import annotations

RESOURCE_TYPES = ("site", "hmc", "cec", "network", "osimage", "group", "lpar")


class Address(str):
    """A resource's type and name, held as its `TYPE.NAME` text: a 10,000-LPAR plan names
    70,000 steps by address, and a string hashes, sorts (by type, then name) and stays out of
    the garbage collector's way as no object with fields would. Only this constructor and
    `parse` make one, so an Address is always a known type and a name."""

    __slots__ = ()

    def __new__(cls, type: str, name: str) -> Address:
        if type not in RESOURCE_TYPES:
            raise ValueError(
                f"unknown resource type {type!r} (expected one of {', '.join(RESOURCE_TYPES)})"
            )
        if not name:
            raise ValueError("an address needs a name after the type")
        return super().__new__(cls, f"{type}.{name}")

    @property
    def type(self) -> str:
        return self.partition(".")[0]

    @property
    def name(self) -> str:
        """Everything after the first dot: a name may itself hold dots (hostnames)."""
        return self.partition(".")[2]

    def __repr__(self) -> str:
        return f"Address({self.type!r}, {self.name!r})"

    def __getnewargs__(self) -> tuple[str, str]:  # type: ignore[override]
        return (self.type, self.name)

    @classmethod
    def parse(cls, text: str) -> Address:
        """Read `TYPE.NAME`; the name may itself contain dots (hostnames), the type may not."""
        kind, sep, name = text.partition(".")
        if not sep:
            raise ValueError(f"address {text!r} is not of the form TYPE.NAME (e.g. lpar.node01)")
        return cls(kind, name)
