"""Which names xCAT, NIM and a remote shell all accept, so a spec name can never become syntax.

Names from the spec end up as command words, noderange tokens and NIM object names. We allow
the subset every one of them takes literally: ASCII letters, digits, `-`, `_` and `.`, starting
with a letter or digit (a leading `-` would read as an option, and xCAT's noderange gives `^`,
`/`, `@`, `+`, `,` and `-` prefixes a meaning). NIM machine names are limited to 39 characters,
which `xcat2nim` enforces, so LPAR names are too.
"""

from __future__ import annotations

import re
import string

NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
_LABEL = r"[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?"
HOST_PATTERN = rf"^{_LABEL}(\.{_LABEL})*$"
ENV_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*$"

NAME_MAX = 255
NIM_NAME_MAX = 39
HOST_MAX = 253

SHELL_METACHARACTERS = frozenset(";&|<>()$`\\\"' \t\n*?[]#~=%{}!")

_NAME_CHARS = frozenset(string.ascii_letters + string.digits + "-_.")
_HOST = re.compile(HOST_PATTERN)
_ENV = re.compile(ENV_PATTERN)
_GOOD_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")  # NAME_PATTERN, whole string only


def _show(chars: set[str]) -> str:
    return " ".join(repr(c) for c in sorted(chars))


def name_problem(name: str, what: str = "name", max_length: int = NAME_MAX) -> str | None:
    """Why `name` cannot be an xCAT/NIM object name, or None when it can."""
    if len(name) <= max_length and _GOOD_NAME.fullmatch(name):
        return None  # the common case in one C call: a spec of 10,000 LPARs checks 90,000
    if not name:
        return f"{what} is empty"
    bad = set(name) - _NAME_CHARS
    if bad & SHELL_METACHARACTERS:
        return (
            f"{what} {name!r} contains shell metacharacters ({_show(bad)}); "
            "use only letters, digits, '-', '_' and '.'"
        )
    if bad:
        return f"{what} {name!r} contains {_show(bad)}; use only letters, digits, '-', '_' and '.'"
    if name[0] in "-_.":
        return f"{what} {name!r} must start with a letter or digit"
    if len(name) > max_length:
        return f"{what} {name!r} is {len(name)} characters long; at most {max_length} are allowed"
    return None


def check_name(name: str, what: str = "name", max_length: int = NAME_MAX) -> str:
    """`name` unchanged, or ValueError saying why xCAT or NIM would not take it."""
    problem = name_problem(name, what, max_length)
    if problem:
        raise ValueError(problem)
    return name


def is_safe_word(word: str) -> bool:
    """True when `word` needs no quoting anywhere and cannot be read as an option."""
    return name_problem(word) is None


def host_problem(host: str, what: str = "host") -> str | None:
    """Why `host` is neither a DNS name nor a dotted IPv4 address, or None."""
    if not host:
        return f"{what} is empty"
    if len(host) > HOST_MAX or not _HOST.match(host):
        return f"{what} {host!r} is not a valid host name (letters, digits, '-' and '.')"
    return None


def env_problem(name: str) -> str | None:
    """Why `name` cannot be an environment variable name, or None."""
    if not _ENV.match(name):
        return f"environment variable name {name!r} is invalid (letters, digits and '_')"
    return None
