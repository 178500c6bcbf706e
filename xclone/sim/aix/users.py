"""AIX `lsuser -a ATTR... USER` and `chuser ATTR=VALUE... USER`: root's limits on the master,
and on an LPAR the management node reaches with `xdsh` (xcat/xdsh.py: the golden node).

Sources: IBM AIX 7.2, "lsuser Command" (one line per user: `NAME attr=value ...`), "chuser
Command" (silent on success; `fsize=-1` lifts the file size limit) and "limits File" (the
stanza file /etc/security/limits: a `default:` stanza and one per user, `attr = value` lines;
`fsize` counts 512-byte blocks, 2097151 by default, about 1 GB). The lab answers from that
file; without one its root is unlimited (the runbook's advice already taken), so a lab file
gives `files: {/etc/security/limits: ...}` to start from AIX's default. The lab knows only
root; its refusal texts for other users and bad usage are ours.
"""

from __future__ import annotations

from typing import Protocol

from xclone.sim.store import Body
from xclone.sim.world import Out, World

LIMITS = "/etc/security/limits"
USERS = ("root",)


def _stanzas(text: str) -> dict[str, dict[str, str]]:
    stanzas: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    for line in text.splitlines():
        body = line.split("*", 1)[0].rstrip()
        if not body.strip():
            continue
        if not body[0].isspace() and body.endswith(":"):
            current = stanzas.setdefault(body[:-1].strip(), {})
        elif current is not None and "=" in body:
            key, value = body.split("=", 1)
            current[key.strip()] = value.strip()
    return stanzas


def _render(stanzas: dict[str, dict[str, str]]) -> str:
    return "".join(f"{name}:\n" + "".join(f"\t{k} = {v}\n" for k, v in attrs.items()) + "\n"
                   for name, attrs in stanzas.items())


class Files(Protocol):
    """Where a host's files are: the master's (World) or an LPAR's (xdsh.NodeFiles)."""

    def file(self, path: str) -> Body | None: ...

    def read(self, path: str) -> str: ...

    def write(self, path: str, content: str) -> None: ...


def _limits(files: Files, user: str) -> dict[str, str]:
    if files.file(LIMITS) is None:
        return {"fsize": "-1"}
    stanzas = _stanzas(files.read(LIMITS))
    return {**stanzas.get("default", {}), **stanzas.get(user, {})}


def _unknown(name: str) -> Out:
    return Out().err(f'3004-687 User "{name}" does not exist.').fail()


def lsuser(world: World, args: list[str]) -> Out:
    return lsuser_on(world, args)


def chuser(world: World, args: list[str]) -> Out:
    return chuser_on(world, args)


def lsuser_on(files: Files, args: list[str]) -> Out:
    wanted: list[str] = []
    rest = list(args)
    if rest[:1] == ["-a"]:
        wanted, rest = rest[1:-1], rest[-1:]
    if len(rest) != 1 or rest[0].startswith("-"):
        return Out().err("Usage: lsuser [-c | -f] [-a Attribute ...] Name").fail()
    if rest[0] not in USERS:
        return _unknown(rest[0])
    limits = _limits(files, rest[0])
    shown = " ".join(f"{a}={limits[a]}" for a in wanted if a in limits)
    return Out().out(f"{rest[0]} {shown}".rstrip())


def chuser_on(files: Files, args: list[str]) -> Out:
    pairs = [a.split("=", 1) for a in args[:-1]]
    if not pairs or any(len(p) != 2 for p in pairs):
        return Out().err("Usage: chuser Attribute=Value ... Name").fail()
    if args[-1] not in USERS:
        return _unknown(args[-1])
    stanzas = _stanzas(files.read(LIMITS))
    stanzas[args[-1]] = {**stanzas.get(args[-1], {}), **dict(pairs)}
    files.write(LIMITS, _render(stanzas))
    return Out()
