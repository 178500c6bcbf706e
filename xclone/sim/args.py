"""Command-line option parsing for simulated tools (getopt with options after operands)."""

from __future__ import annotations

import getopt
from dataclasses import dataclass, field


class UsageError(Exception):
    """The tool's usage check failed; the handler prints its own usage text."""


@dataclass
class Parsed:
    flags: dict[str, list[str]] = field(default_factory=dict)
    rest: list[str] = field(default_factory=list)

    def has(self, *names: str) -> bool:
        return any(n in self.flags for n in names)

    def value(self, *names: str, default: str | None = None) -> str | None:
        for n in names:
            if n in self.flags:
                return self.flags[n][-1]
        return default

    def values(self, name: str) -> list[str]:
        return self.flags.get(name, [])


def parse(args: list[str], short: str, long: tuple[str, ...] = ()) -> Parsed:
    try:
        pairs, rest = getopt.gnu_getopt(args, short, list(long))
    except getopt.GetoptError as exc:
        raise UsageError(str(exc)) from None
    parsed = Parsed(rest=rest)
    for flag, value in pairs:
        parsed.flags.setdefault(flag, []).append(value)
    return parsed
