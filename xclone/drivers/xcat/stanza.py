"""xCAT stanza text for `mkdef -z` input: what `lsdef -z` prints, so the two round-trip."""

from __future__ import annotations

from collections.abc import Mapping


def stanza(name: str, objtype: str, attrs: Mapping[str, str]) -> str:
    lines = [f"\n{name}:", f"    objtype={objtype}"]
    lines.extend(f"    {k}={v}" for k, v in sorted(attrs.items()) if v != "")
    return "\n".join(lines) + "\n"


def assignments(attrs: Mapping[str, str]) -> tuple[str, ...]:
    """`attr=value` command words in a stable order (an empty value clears the attribute)."""
    return tuple(f"{k}={v}" for k, v in sorted(attrs.items()))


def prescripts(actions: Mapping[str, tuple[str, ...]]) -> str:
    """`standalone:foo,bar|diskless:baz`, the form of xCAT's prescripts-begin/-end columns."""
    if not actions:  # most LPARs have none: two per LPAR in a 10,000-LPAR plan
        return ""
    return "|".join(f"{act}:{','.join(scripts)}" for act, scripts in sorted(actions.items()))
