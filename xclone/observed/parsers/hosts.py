"""The NIM master's `/etc/hosts` as `cat /etc/hosts` prints it: address -> names.

AIX's "hosts File Format for TCP/IP" (Files Reference): one entry per line, `Address HostName
[Alias ...]`, items separated by blanks or tabs, `#` starts a comment that runs to the end of
the line. The resolver reads the file top down and stops at the first line that matches, so of
two lines for one address the first wins (the second is dead text, not a second set of names);
the NIM driver reads the file to know which client names `hostent` already mapped. A line whose
first word is not an IP address is not an entry of that format: an error, never skipped, so a
file xclone cannot read never plans `hostent` lines over the administrator's own.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from types import MappingProxyType

from xclone.observed.parsers.errors import fail


def parse_hosts(text: str) -> Mapping[str, tuple[str, ...]]:
    """Address (canonical: `ipaddress` form) -> its first line's names, official name first."""
    entries: dict[str, tuple[str, ...]] = {}
    for no, raw in enumerate(text.splitlines(), start=1):
        words = raw.split("#", 1)[0].split()
        if not words:
            continue
        try:
            address = str(ipaddress.ip_address(words[0]))
        except ValueError:
            raise fail(no, raw, f"{words[0]!r} is not an IP address (an /etc/hosts entry is "
                       "'ADDRESS NAME [ALIAS ...]')") from None
        if len(words) == 1:
            raise fail(no, raw, "an address without a host name")
        entries.setdefault(address, tuple(words[1:]))
    return MappingProxyType(entries)
