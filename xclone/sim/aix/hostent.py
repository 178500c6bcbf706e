"""AIX `hostent -a IP -h "NAME..."` and `hostent -d IP`: address mappings in /etc/hosts.

Sources: IBM AIX 7.2, "hostent Command" (docs/formats.md "NIM"). Success is silent; the texts
of the refusals are ours (`choices.HOSTENT_*`), as IBM publishes none.
"""

from __future__ import annotations

import ipaddress
import re

from xclone.sim import choices
from xclone.sim.args import UsageError, parse
from xclone.sim.world import Out, World

HOSTS = "/etc/hosts"
# A file whose every line ends in a newline and holds no other line break (str.splitlines'):
# what `hostent` itself writes, so adding a line is appending it.
_PLAIN = re.compile(r"(?:[^\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]*\n)*")


def _address(line: str) -> str | None:
    words = line.split("#", 1)[0].split()
    return words[0] if words else None


def _valid(ip: str) -> bool:
    try:
        ipaddress.IPv4Address(ip)
    except ValueError:
        return False
    return True


def hostent(world: World, args: list[str]) -> Out:
    try:
        opts = parse(args, "a:d:h:")
    except UsageError:
        return Out().err(choices.HOSTENT_USAGE).fail()
    add, delete = opts.value("-a"), opts.value("-d")
    if (add is None) == (delete is None) or opts.rest:
        return Out().err(choices.HOSTENT_USAGE).fail()
    ip = str(add or delete)
    if not _valid(ip):
        return Out().err(choices.HOSTENT_BAD_ADDRESS.format(ip=ip)).fail()
    text = world.read(HOSTS)
    # an address that is nowhere in the file is on no line: no scan of every line for it
    lines = text.splitlines() if ip in text or delete is not None else []
    present = [ln for ln in lines if _address(ln) == ip]
    if add is not None:
        names = (opts.value("-h") or "").split()
        if not names:
            return Out().err(choices.HOSTENT_USAGE).fail()
        if present:
            return Out().err(choices.HOSTENT_EXISTS.format(ip=ip)).fail()
        entry = " ".join([ip, *names]) + "\n"
        if not lines and _PLAIN.fullmatch(text):
            # the file as it would be written back line by line: one line more at its end
            world.write(HOSTS, text + entry)
            return Out()
        lines = [*(lines or text.splitlines()), entry[:-1]]
    else:
        if not present:
            return Out().err(choices.HOSTENT_MISSING.format(ip=ip)).fail()
        lines = [ln for ln in lines if _address(ln) != ip]
    world.write(HOSTS, "".join(ln + "\n" for ln in lines))
    return Out()
