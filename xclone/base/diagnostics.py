"""Diagnostics that point at a place in the user's files: `FILE:LINE:COL: ADDRESS: message`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Location:
    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Diagnostic:
    message: str
    location: Location | None = None
    address: str | None = None
    severity: Severity = field(default="error")

    def format(self) -> str:
        parts = []
        if self.location is not None:
            parts.append(str(self.location))
        if self.address:
            parts.append(self.address)
        parts.append(self.message)
        return ": ".join(parts)

    def to_json(self) -> dict[str, object]:
        loc = self.location
        return {
            "severity": self.severity,
            "file": loc.file if loc else None,
            "line": loc.line if loc else None,
            "column": loc.column if loc else None,
            "address": self.address,
            "message": self.message,
        }

    def sort_key(self) -> tuple[str, int, int, tuple[str | int, ...]]:
        """File order; at one place, numbers in messages compare as numbers, so a range's
        errors read node9 before node10 and 9.114.114.2 before 9.114.114.10."""
        loc = self.location
        parts = re.split(r"(\d+)", self.message)
        natural = tuple(int(p) if i % 2 else p for i, p in enumerate(parts))
        return (loc.file if loc else "", loc.line if loc else 0, loc.column if loc else 0,
                natural)
