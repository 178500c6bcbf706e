"""Commands are values: argv plus stdin, rendered shell-quoted for a transport or masked for people.

Nobody builds a remote command string by hand: every word goes through `shlex.quote`, so no
spec value can change the words a remote shell sees, and secret words print as `***`.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable
from dataclasses import dataclass, field

from xclone.base.secret import MASK

_ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")

# The environment of every command xclone sends to the management node: in the C locale xCAT and
# NIM print the documented English messages the parsers and result checks match. The HMC's
# restricted shell takes no environment prefix; its answers are judged by HSCL code instead.
C_LOCALE: tuple[tuple[str, str], ...] = (("LC_ALL", "C"),)


@dataclass(frozen=True)
class Command:
    argv: tuple[str, ...]
    env: tuple[tuple[str, str], ...] = ()
    stdin: str | None = None
    secret_words: frozenset[int] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if not self.argv:
            raise ValueError("a command needs at least one word")
        for word in self.argv:
            if "\x00" in word:
                raise ValueError("a command word may not contain NUL")
        for name, _ in self.env:
            if not _ENV_NAME.match(name):
                raise ValueError(f"invalid environment variable name {name!r}")

    @classmethod
    def of(
        cls, *argv: str, env: Iterable[tuple[str, str]] = (), stdin: str | None = None
    ) -> Command:
        return cls(tuple(argv), tuple(env), stdin)

    @property
    def name(self) -> str:
        return self.argv[0]

    def shell(self) -> str:
        """The exact string sent to the remote shell."""
        prefix = [f"{k}={shlex.quote(v)}" for k, v in self.env]
        return " ".join([*prefix, shlex.join(self.argv)])

    def display(self) -> str:
        """The string shown in plans, logs and journals: secret words masked."""
        words = [_masked(w) if i in self.secret_words else shlex.quote(w)
                 for i, w in enumerate(self.argv)]
        prefix = [f"{k}={shlex.quote(v)}" for k, v in self.env]
        return " ".join([*prefix, *words])

    def __str__(self) -> str:
        return self.display()


def _masked(word: str) -> str:
    """`password=hunter2` shows as `password=***`: the key tells the reader what is hidden."""
    key, sep, _ = word.partition("=")
    return f"{shlex.quote(key)}={MASK}" if sep else MASK
