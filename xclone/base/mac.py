"""The one canonical MAC form, 12 lowercase hex digits, used by the spec and the observed side.

Both sides of a diff go through this module, so a MAC that only differs in spelling is never a
change. xCAT 2.9.2 does not check the spelling of a node's `mac` attribute on `mkdef`/`chdef`
(DBobjectdefs.pm has no MAC check), so `lsdef` shows whatever was typed. The attribute holds
one MAC or a `|`-separated list of `MAC!hostname` entries (Schema.pm, table `mac`; dhcp.pm splits
on `|`, then on `!`); the AIX plugins (xcat2nim.pm, aixinstall.pm) strip colons and install over
the first entry, so the first MAC is the install MAC.
"""

from __future__ import annotations

import re

_HEX12 = re.compile(r"[0-9a-f]{12}")
_GROUPED = re.compile(r"[0-9a-f]{1,2}([:-][0-9a-f]{1,2}){5}")  # fe:f9:df:b7:c6:2, fe-f9-...
_DOTTED = re.compile(r"[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}")  # fef9.dfb7.c602


def canonical_mac(text: str) -> str:
    """`FE:F9:DF:B7:C6:02`, `fe-f9-df-b7-c6-2`, `fef9.dfb7.c602`, `FEF9DFB7C602` ->
    `fef9dfb7c602`; anything else is a ValueError with the message users see."""
    plain = text.strip().lower()
    if _GROUPED.fullmatch(plain):
        plain = "".join(group.zfill(2) for group in re.split(r"[:-]", plain))
    elif _DOTTED.fullmatch(plain):
        plain = plain.replace(".", "")
    if not _HEX12.fullmatch(plain):
        raise ValueError(f"mac {text!r} is not 12 hex digits (e.g. fe:f9:df:b7:c6:02)")
    return plain


def attribute_macs(value: str) -> tuple[str, ...]:
    """Every MAC of an xCAT `mac` attribute, canonical, in order; `!hostname` suffixes dropped.
    A malformed entry is a ValueError."""
    entries = (entry.split("!", 1)[0] for entry in value.split("|"))
    return tuple(canonical_mac(entry) for entry in entries if entry.strip())


def install_mac(value: str) -> str | None:
    """The install MAC of an xCAT `mac` attribute (its first entry), canonical; None when the
    attribute is empty or its first entry is not a MAC, so the planner treats it as unknown."""
    first = value.split("|", 1)[0].split("!", 1)[0]
    try:
        return canonical_mac(first) if first.strip() else None
    except ValueError:
        return None
