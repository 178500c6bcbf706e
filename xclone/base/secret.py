"""Secret references (`{env: NAME}` / `{file: PATH}`), resolved only when a connection is opened.

A resolved `Secret` never shows its value in `repr`, `str` or formatting, so it cannot leak
into a plan, a log line or a journal by accident, and registers its value with
`xclone.base.redact` so that every sink masks it even where it was never labelled.

Inside command input a reference travels as a marker, `((secret:file:/etc/hmc%20pw.txt))`: the
name is percent-encoded (UTF-8, `/` kept), so any path or variable name (spaces, parentheses,
`%`, `))`, quotes, any Unicode) round-trips, and the marker itself never holds `(`, `)` or a
blank that would end it early.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote

from xclone.base.errors import SecretError
from xclone.base.redact import MASK, register

__all__ = ["MASK", "Secret", "SecretRef", "decode_name", "encode_name", "fill", "masked",
           "refs_in", "stanza_problem"]


class Secret:
    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value
        register(value)

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return f"Secret({MASK})"

    __str__ = __repr__


_MARKER = re.compile(r"\(\(secret:(env|file):([^()\s]+)\)\)")


def encode_name(name: str) -> str:
    """The marker form of a path or variable name: percent-encoded, lone surrogates (undecodable
    bytes of a file name) included, so that `decode_name` gives back exactly `name`."""
    return quote(name, safe="/", errors="surrogatepass")


def decode_name(encoded: str) -> str:
    return unquote(encoded, errors="surrogatepass")


def _ref(kind: str, encoded: str) -> SecretRef:
    name = decode_name(encoded)
    return SecretRef(env=name) if kind == "env" else SecretRef(file=name)


@dataclass(frozen=True)
class SecretRef:
    env: str | None = None
    file: str | None = None

    def describe(self) -> str:
        return f"env:{self.env}" if self.env is not None else f"file:{self.file}"

    def marker(self) -> str:
        """A placeholder for this secret inside command input: the plan carries the marker,
        apply replaces it with the value at the moment the command is sent."""
        kind, name = ("env", self.env) if self.env is not None else ("file", self.file or "")
        return f"((secret:{kind}:{encode_name(name)}))"

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
        except ValueError:
            # A NUL or an unencodable character in the path, or a file that is not UTF-8.
            reason = "not a usable path, or not UTF-8 text"
            raise SecretError(f"secret {self.describe()}: cannot read file ({reason})") from None


def refs_in(text: str) -> list[SecretRef]:
    """The secret references whose markers `text` holds."""
    return [_ref(kind, name) for kind, name in _MARKER.findall(text)]


def stanza_problem(value: str) -> str | None:
    """Why xCAT's stanza reader would not store `value` as given, or None. Markers sit in
    `mkdef -z` stanzas, and that reader (DBobjUtils.pm `readFileInput`, 2.9.2) trims blanks
    around a value, drops one leading and one trailing double quote, takes a line ending in `:`
    for a (bad) header and skips the rest of the stanza; a line break would start a new line,
    that is, inject an attribute."""
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        return "it holds a line break or another control character"
    if value != value.strip(" \t\f\v"):
        return "it starts or ends with a blank"
    if value.startswith('"') or value.endswith('"'):
        return "it starts or ends with a double quote"
    if value.endswith(":"):
        return "it ends with ':'"
    return None


def fill(text: str) -> tuple[str, list[Secret]]:
    """`text` with every marker replaced by its secret's value, and the secrets used. Raises
    SecretError (naming the reference, never the value) for a value xCAT would not keep."""
    used: list[Secret] = []

    def value(match: re.Match[str]) -> str:
        ref = _ref(*match.groups())
        secret = ref.resolve()
        problem = stanza_problem(secret.reveal())
        if problem is not None:
            raise SecretError(f"secret {ref.describe()}: {problem}, which xCAT's stanza "
                              "reader (mkdef -z) would not keep as it is; change the password")
        used.append(secret)
        return secret.reveal()

    return _MARKER.sub(value, text), used


def masked(text: str) -> str:
    """`text` with every marker shown as `***`."""
    return _MARKER.sub(MASK, text)
