"""AIX `dpasswd` (fileset dsm.core): the encrypted password file NIM uses to log in to an HMC.

`dpasswd [-h] [-v] -f password_file [-o] -U user_id [-P password]`: a bare file name goes to
`/etc/ibm/sysmgt/dsm/config/`; `-o` overwrites; without `-P` the password is read from the
terminal (here: the first line of stdin). Source: the command's usage text and a session quoted
on powercampus.de, "Das Kommando dpasswd" (third-party; docs/formats.md "NIM", Managed clients).

The lab never keeps the password: the file holds the user and a one-way digest of it, and
every command line the lab records has the `-P` value masked (`mask`).
"""

from __future__ import annotations

import hashlib
import posixpath
import shlex

from xclone.sim import choices
from xclone.sim.args import UsageError, parse
from xclone.sim.world import Out, World

CONFIG_DIR = "/etc/ibm/sysmgt/dsm/config"
USAGE = ("Usage: dpasswd [-h] [-v] -f password_file [-o] -U user_id [-P password]")


def sealed(password: str) -> str:
    """What the lab writes for a password: comparable, never reversible."""
    return "{xclone-lab}" + hashlib.sha256(f"dsm:{password}".encode()).hexdigest()[:32]


def mask(words: list[str]) -> list[str]:
    """A `dpasswd` argument list with the password after `-P` replaced by `***`."""
    if not words or words[0].rsplit("/", 1)[-1] != "dpasswd":
        return words
    masked = list(words)
    for i, word in enumerate(masked):
        if word == "-P" and i + 1 < len(masked):
            masked[i + 1] = "***"
        elif word.startswith("-P") and len(word) > 2:
            masked[i] = "-P***"
    return masked


def mask_line(command: str) -> str:
    """`mask` for a whole command line (what lab logs record)."""
    try:
        words = shlex.split(command)
    except ValueError:
        return command
    return shlex.join(mask(words)) if mask(words) != words else command


def dpasswd(world: World, args: list[str]) -> Out:
    try:
        opts = parse(args, "hvf:oU:P:")
    except UsageError:
        return Out().err(USAGE).fail()
    target, user = opts.value("-f"), opts.value("-U")
    if opts.has("-h") or not target or not user or " " in user or opts.rest:
        return Out().err(USAGE).fail()
    password = opts.value("-P")
    if password is None:
        password = world.stdin.split("\n", 1)[0]
    if not password:
        return Out().err(choices.DPASSWD_NO_PASSWORD).fail()
    path = target if "/" in target else posixpath.join(CONFIG_DIR, target)
    if world.file(path) is not None and not opts.has("-o"):
        return Out().err(choices.DPASSWD_EXISTS.format(path=path)).fail()
    parent = posixpath.dirname(path)
    if world.file(parent) is None:
        if parent != CONFIG_DIR:
            return Out().err(choices.DPASSWD_CANNOT_WRITE.format(path=path)).fail()
        for depth in range(2, parent.count("/") + 2):
            directory = "/".join(parent.split("/")[:depth])
            if world.file(directory) is None:
                world.mkdir(directory)
    world.write(path, f"{user} {sealed(password)}\n")
    return Out().out(f"Password file is {path}").out("Password file created.")


def login_matches(content: str, username: str, password: str | None) -> bool:
    """Whether a password file's content logs in as `username` with `password`."""
    words = content.split()
    return password is not None and len(words) == 2 and words == [username, sealed(password)]
