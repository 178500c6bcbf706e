"""A site script run by its path on the NIM master (a prescript, xclone/drivers/nim/resources/
prescripts.py): the lab has no shell to interpret it, so a script file present runs, prints
nothing and exits 0; a `command: <path>` fault makes it fail. A path with no file behind it is
the shell's "not found" (exit 127), as ksh answers it."""

from __future__ import annotations

import posixpath
from collections.abc import Callable

from xclone.sim import choices
from xclone.sim.world import Out, World


def runner(path: str) -> Callable[[World, list[str]], Out]:
    """The handler running the script at `path` (whatever its arguments)."""
    def run(world: World, args: list[str]) -> Out:
        body = world.file(posixpath.normpath(path))
        if body is None or body.get("type") != "file":
            out = Out(status=choices.SHELL_NOT_FOUND_STATUS)
            out.stderr.append(choices.MN_SHELL_NOT_FOUND.format(cmd=path) + "\n")
            return out
        return Out()
    return run
