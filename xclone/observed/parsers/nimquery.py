"""`nimquery -a host=NAME`: a host's NIM settings as one line of `name:value:` pairs.

Example (IBM AIX nimquery; the seed runbook checks `_ssl:yes` after confignimsh):
`host:node02:addr:9.114.113.231:_pif:en0:_ssl:yes:_psh:no:_res:no:asyn:no:` — names and values
alternate, each followed by a colon. Values hold no colon (host names, IPv4 addresses, yes/no).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from xclone.base.errors import XcloneError


def parse_nimquery(text: str) -> Mapping[str, str]:
    """The pairs of the first non-empty line; an XcloneError when it is not name:value pairs."""
    line = next((raw.strip() for raw in text.splitlines() if raw.strip()), "")
    fields = line.split(":")
    if fields and fields[-1] == "":
        fields.pop()
    if not fields or len(fields) % 2:
        raise XcloneError(f"nimquery: not a list of name:value pairs: {line[:120]!r}")
    return MappingProxyType(dict(zip(fields[::2], fields[1::2], strict=True)))
