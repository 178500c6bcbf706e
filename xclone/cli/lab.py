"""`xclone lab init|show|reset|run`: manage the simulated cluster and type commands into it."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from xclone.base.command import Command
from xclone.cli.lab_serve import serve
from xclone.sim import Lab
from xclone.sim.lab import STATE_ENV

_LAB = click.argument("lab_file", metavar="LAB",
                      type=click.Path(dir_okay=False, path_type=Path))
_STATE = click.option("--state", "state", type=click.Path(file_okay=False, path_type=Path),
                      help=f"State directory (default: ${STATE_ENV} or ./.xclone/lab, plus the "
                           "lab file's name).")


def _state_dir(lab_file: Path, state: Path | None) -> Path:
    if state is not None:
        return state
    return Path(os.environ.get(STATE_ENV) or Path(".xclone") / "lab") / lab_file.stem


@click.group("lab")
def lab() -> None:
    """The lab: a simulated xCAT management node, NIM master and HMCs seeded from a lab file."""


@lab.command("init")
@_LAB
@_STATE
def init(lab_file: Path, state: Path | None) -> None:
    """Seed (or reseed) the lab's world from LAB."""
    target = _state_dir(lab_file, state)
    Lab.init(lab_file, target)
    click.echo(f"Lab {lab_file} seeded in {target}.")


@lab.command("reset")
@_LAB
@_STATE
def reset(lab_file: Path, state: Path | None) -> None:
    """Throw the world away and seed it again from LAB."""
    target = _state_dir(lab_file, state)
    Lab.init(lab_file, target)
    click.echo(f"Lab {lab_file} reset in {target}.")


@lab.command("show")
@_LAB
@_STATE
def show(lab_file: Path, state: Path | None) -> None:
    """Describe the world: objects, NIM states, HMCs and their LPARs."""
    world = Lab.for_file(lab_file, state_dir=_state_dir(lab_file, state))
    click.echo(world.world_summary(), nl=False)
    counts = world.command_counts()
    if counts:
        click.echo("Commands run (host command: times):")
        for line, times in counts.items():
            click.echo(f"  {line}: {times}")


@lab.command("run", context_settings={"ignore_unknown_options": True})
@_LAB
@_STATE
@click.option("--host", required=True, help="Host to type the command at (MN or HMC name).")
@click.argument("command", nargs=-1, required=True, type=click.UNPROCESSED)
def run(lab_file: Path, state: Path | None, host: str, command: tuple[str, ...]) -> None:
    """Run COMMAND at HOST's shell in the lab, e.g. `xclone lab run LAB --host xcataixmn --
    lsdef -t node -z`. Standard input is passed through; the exit status is the command's."""
    world = Lab.for_file(lab_file, state_dir=_state_dir(lab_file, state))
    stdin = None if sys.stdin is None or sys.stdin.isatty() else sys.stdin.read()
    result = world.execute(host, Command(command).shell(), stdin)
    click.echo(result.stdout, nl=False)
    click.echo(result.stderr, nl=False, err=True)
    sys.exit(result.exit_status)


lab.add_command(serve)
