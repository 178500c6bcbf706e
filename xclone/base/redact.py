"""Redaction of secrets from anything xclone writes: snapshots, journals, logs, error messages.

Two nets, because either alone misses something. xCAT's `lsdef` prints every attribute of a
node, the HMC's `password` included and in clear (DBobjectdefs.pm `defls` at 2.9.2 pushes
`    attr=value` for each schema attribute, `node: attr=value` with `-c`), so any output kept
from it is masked by attribute name. A value a command never labels (a password echoed in an
error) is caught because every resolved secret is registered here and replaced wherever it
appears, in the spellings a message may give it (as is, JSON-escaped, repr, shell-quoted).
Redaction works on text before it is encoded: a JSON encoder turns `"` into `\\"` and the value
would no longer match.
"""

from __future__ import annotations

import json
import re
import shlex
import threading
from collections.abc import Mapping
from typing import Any

MASK = "***"

# xCAT node attributes that hold a secret (perl-xCAT/xCAT/Schema.pm at 2.9.2: ppchcp/mpa/
# websrv `password`, ipmi `bmcpassword`, iscsi `iscsipassword`, domain `domainadminpassword`,
# ppcdirect `passwd.<user>`).
_SECRET_NAME = r"(?:[A-Za-z]*password|passwd(?:\.[\w-]+)?)"
# `name=value` at the start of a line (stanza `-z`, long `-l`, indented or not), after an
# object name (`-c`: `hmc01: password=x`), or after a blank or quote inside a message. The rest
# of the line is the value: xCAT prints it unquoted, spaces included.
_SECRET_ATTR = re.compile(rf"(?m)(^|[\s\"'])({_SECRET_NAME})=[^\n]+")

_lock = threading.Lock()
_known: set[str] = set()


def is_secret_attribute(name: str) -> bool:
    """True for an xCAT attribute name that holds a password."""
    return re.fullmatch(_SECRET_NAME, name) is not None


def mask_attributes(text: str) -> str:
    """`text` with the value of every xCAT secret attribute shown as `***`."""
    return _SECRET_ATTR.sub(lambda m: f"{m.group(1)}{m.group(2)}={MASK}", text)


def register(value: str) -> None:
    """Remember a resolved secret so every later redaction replaces it."""
    if not value:
        return
    spellings = {value, json.dumps(value, ensure_ascii=False)[1:-1],
                 json.dumps(value)[1:-1], repr(value)[1:-1], shlex.quote(value)}
    with _lock:
        _known.update(s for s in spellings if s)


def known() -> frozenset[str]:
    with _lock:
        return frozenset(_known)


def _longest_first(extra: frozenset[str]) -> list[str]:
    """Every registered secret and `extra`, longest first, so a secret that contains another
    is replaced whole."""
    return sorted(known() | extra, key=len, reverse=True)


def _redact(text: str, secrets: list[str]) -> str:
    for value in secrets:
        if value in text:
            text = text.replace(value, MASK)
    return mask_attributes(text)


def redact(text: str, extra: frozenset[str] = frozenset()) -> str:
    """`text` with every registered secret (and `extra`) replaced and secret attributes masked."""
    return _redact(text, _longest_first(extra))


def redact_data(data: Any, extra: frozenset[str] = frozenset()) -> Any:
    """A copy of JSON-like `data` with every string redacted (keys included); the secrets are
    gathered once for the whole of it, not once per string (a journal record holds a dozen)."""
    return _redact_data(data, _longest_first(extra))


def _redact_data(data: Any, secrets: list[str]) -> Any:
    if isinstance(data, str):
        return _redact(data, secrets)
    if isinstance(data, Mapping):
        return {_redact_data(k, secrets): _redact_data(v, secrets) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_redact_data(v, secrets) for v in data]
    return data
