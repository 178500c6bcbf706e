"""Secret references (`{env: NAME}` / `{file: PATH}`), resolved only when a connection is made.

A resolved `Secret` never shows its value in `repr`, `str` or formatting, so it cannot leak
into a plan, a log line or a journal by accident.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from xclone.base.errors import SecretError

MASK = "***"


class Secret:
    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return f"Secret({MASK})"

    __str__ = __repr__


_MARKER = re.compile(r"\(\(secret:(env|file):([^()\s]+)\)\)")


@dataclass(frozen=True)
class SecretRef:
    env: str | None = None
    file: str | None = None

    def describe(self) -> str:
        return f"env:{self.env}" if self.env is not None else f"file:{self.file}"

    def marker(self) -> str:
        """A placeholder for this secret inside command input: the plan carries the marker,
        apply replaces it with the value at the moment the command is sent."""
        return f"((secret:{self.describe()}))"

    def resolve(self) -> Secret:
        if self.env is not None:
            value = os.environ.get(self.env)
            if value is None:
                raise SecretError(f"secret {self.describe()}: environment variable is not set")
            return Secret(value)
        if self.file is None:
            raise SecretError("secret reference names neither env nor file")
        path = Path(self.file).expanduser()
        try:
            return Secret(path.read_text(encoding="utf-8").rstrip("\n"))
        except OSError as exc:
            reason = exc.strerror or "unreadable"
            raise SecretError(f"secret {self.describe()}: cannot read file ({reason})") from None


def refs_in(text: str) -> list[SecretRef]:
    """The secret references whose markers `text` holds."""
    return [SecretRef(env=v) if k == "env" else SecretRef(file=v) for k, v in _MARKER.findall(text)]


def fill(text: str) -> tuple[str, list[Secret]]:
    """`text` with every marker replaced by its secret's value, and the secrets used."""
    used: list[Secret] = []

    def value(match: re.Match[str]) -> str:
        kind, name = match.groups()
        secret = (SecretRef(env=name) if kind == "env" else SecretRef(file=name)).resolve()
        used.append(secret)
        return secret.reveal()

    return _MARKER.sub(value, text), used


def masked(text: str) -> str:
    """`text` with every marker shown as `***`."""
    return _MARKER.sub(MASK, text)
