"""An HMC's password in the lab: a literal of the lab file, or the spec's own secret reference.

A lab written by `xclone lab init --from-spec` must not hold a secret, so its HMCs name the same
`{env: NAME}` / `{file: PATH}` reference as the spec and read it when someone logs in, never at
seeding: the world on disk holds the reference only, and the lab accepts exactly what xclone
would send from the same environment.
"""

from __future__ import annotations

from typing import Any

from xclone.base.errors import SecretError
from xclone.base.secret import SecretRef

# What a lab file or a world row holds: the literal, or {"env": NAME} / {"file": PATH}.
Stored = str | dict[str, str]


def reference(value: Any) -> SecretRef | None:
    """The secret reference a stored password names, or None for a literal."""
    if isinstance(value, dict) and len(value) == 1 and set(value) <= {"env", "file"}:
        kind, name = next(iter(value.items()))
        return SecretRef(env=str(name)) if kind == "env" else SecretRef(file=str(name))
    return None


def current(value: Any) -> str | None:
    """The password the HMC accepts right now; None when its reference cannot be read (an unset
    variable, a missing file), so that no password is accepted, as with a locked account."""
    ref = reference(value)
    if ref is None:
        return None if value is None else str(value)
    try:
        return ref.resolve().reveal()
    except SecretError:
        return None
