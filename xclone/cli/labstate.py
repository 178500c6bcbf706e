"""The line that names a lab's state folder (issue 18): `lab show` prints it first on stdout,
every other command that opens a lab (`--lab LAB`, `lab run`, `lab serve`) once on stderr, so
stdout stays the plan, the JSON or the command's own output.

The folder is where the world lives between commands and it depends on the working directory
and $XCLONE_LAB_STATE; a world reseeded because the lab file changed starts over. Both used to
happen without a word. Kept free of the spec and planner imports: the lab commands start fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from xclone.sim import Lab

_SHOWN = "xclone.lab_state_named"  # click context meta: the folders this command has named


def state_text(lab: Lab) -> str:
    """`/abs/state/folder`, plus `(seeded now: WHY)` when opening it seeded the world. Absolute:
    the default folder is relative to wherever the command ran."""
    text = str(lab.state_dir.absolute())
    return f"{text} (seeded now: {lab.seeded})" if lab.seeded else text


def name_state(lab: Lab) -> None:
    """Say on stderr which folder the command's lab lives in, once per command even when the
    command opens its lab twice (apply reads the lab's clock before connecting)."""
    ctx = click.get_current_context(silent=True)
    named: set[str] = ctx.meta.setdefault(_SHOWN, set()) if ctx is not None else set()
    key = str(lab.state_dir.absolute())
    if key in named:
        return
    named.add(key)
    click.echo(f"Lab state: {state_text(lab)}", err=True)
