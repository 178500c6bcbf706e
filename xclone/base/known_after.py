"""Values a plan cannot know and one of its own commands reads at apply time (Terraform's
"known after apply"), such as the MAC that the HMC's `lpar_netboot -M -n` discovers for a
partition with no virtual Ethernet adapter, which the NIM machine's define then needs.

The plan carries a marker `((read:KEY))` in the words of the later command, so the plan shows
where the value goes and a saved plan applies as planned; the driver's judge of the reading
command returns `KEY` and the value in its verdict; the executor replaces the marker when it
sends the later command, which waits for the reading one (the secret marker's pattern,
base/secret.py, without the masking: a MAC is no secret).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_KEY = r"[A-Za-z0-9_.:-]+"
_MARKER = re.compile(rf"\(\(read:({_KEY})\)\)")


class NotKnown(Exception):
    """A command needs a value no command of this apply has read (its reader failed)."""

    def __init__(self, key: str) -> None:
        super().__init__(f"{key} was not read by an earlier command of this apply")
        self.key = key


def marker(key: str) -> str:
    """The placeholder for the value `key` inside a command word."""
    if not re.fullmatch(_KEY, key):
        raise ValueError(f"not a value key: {key!r}")
    return f"((read:{key}))"


def shown(text: str) -> str:
    """`text` as a reviewer reads it: each marker becomes `(known after apply)`."""
    return _MARKER.sub("(known after apply)", text)


def keys_in(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(k for w in words for k in _MARKER.findall(w))


def fill(words: tuple[str, ...], values: Mapping[str, str]) -> tuple[str, ...]:
    """The words with every marker replaced by its value; NotKnown for one never read."""
    def value(match: re.Match[str]) -> str:
        if match.group(1) not in values:
            raise NotKnown(match.group(1))
        return values[match.group(1)]
    return tuple(_MARKER.sub(value, w) for w in words)
