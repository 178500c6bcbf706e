"""Secret references (`{env: NAME}` / `{file: PATH}`), resolved only when a connection is made.

A resolved `Secret` never shows its value in `repr`, `str` or formatting, so it cannot leak
into a plan, a log line or a journal by accident.
"""

from __future__ import annotations

import os
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


@dataclass(frozen=True)
class SecretRef:
    env: str | None = None
    file: str | None = None

    def describe(self) -> str:
        return f"env:{self.env}" if self.env is not None else f"file:{self.file}"

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
