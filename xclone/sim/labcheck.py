"""Reading a lab document with every problem collected and named by file, line and column.

`labfile.py` and `costs.py` check their parts of a lab file with one `Checker`, so one run of
`lab init` reports all problems at once.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from xclone.base.diagnostics import Diagnostic, Location
from xclone.sim.yamlmarks import Marked


class Checker:
    """Collects every problem of a lab file, so one run reports them all."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.problems: list[Diagnostic] = []

    def fail(self, where: Location, message: str) -> None:
        self.problems.append(Diagnostic(message, where))

    def mapping(self, parent: Marked, key: str, required: bool = False) -> Marked:
        value = parent.get(key)
        if value is None:
            if required:
                self.fail(parent.where, f"'{key}' is required")
            empty = Marked(parent.at(key))
            return empty
        if not isinstance(value, Marked):
            self.fail(parent.at(key), f"'{key}' must be a mapping")
            return Marked(parent.at(key))
        return value

    def text(self, parent: Marked, key: str, default: str | None = None) -> str:
        value = parent.get(key, default)
        if value is None:
            self.fail(parent.where, f"'{key}' is required")
            return ""
        if isinstance(value, (dict, list, bool)):
            self.fail(parent.at(key), f"'{key}' must be a string")
            return ""
        return str(value)

    def number(self, parent: Marked, key: str, default: float) -> float:
        value = parent.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            self.fail(parent.at(key), f"'{key}' must be a number >= 0")
            return default
        return float(value)

    def names(self, parent: Marked, key: str, default: list[str]) -> tuple[str, ...]:
        value = parent.get(key, default)
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(parent.at(key), f"'{key}' must be a list of strings")
            return tuple(default)
        return tuple(value)

    def ip(self, parent: Marked, key: str) -> str:
        before = len(self.problems)
        value = self.text(parent, key)
        if len(self.problems) > before:  # missing or not a string: said once, not twice
            return value
        try:
            ipaddress.IPv4Address(value)
        except ValueError:
            self.fail(parent.at(key), f"'{key}' is not an IPv4 address: {value!r}")
        return value

    def unknown(self, node: Marked, allowed: tuple[str, ...]) -> None:
        for key in node:
            if key not in allowed:
                self.fail(node.at(key), f"unknown key '{key}' (expected one of "
                          f"{', '.join(allowed)})")

    def attrs(self, node: Any, where: Location, what: str) -> dict[str, str]:
        if node is None:
            return {}
        if not isinstance(node, Marked):
            self.fail(where, f"{what} must be a mapping of attribute: value")
            return {}
        out: dict[str, str] = {}
        for key, value in node.items():
            if isinstance(value, (dict, list)):
                self.fail(node.at(key), f"{what}: attribute '{key}' must be a scalar")
                continue
            out[key] = "" if value is None else ("yes" if value is True else str(value))
        return out
