"""`xclone lab init|show|reset|run`: manage the simulated cluster and type commands into it."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from xclone.base.command import Command
from xclone.base.errors import XcloneError
from xclone.cli.lab_from_spec import write_lab_from_spec
from xclone.cli.lab_serve import serve
from xclone.cli.labstate import name_state, state_text
from xclone.cli.table import WholeSummaries
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


def _refuse_a_spec(lab_file: Path) -> None:
    """A spec given as LAB (`lab init cluster.yaml`) is named as such, with the command that
    makes a lab for it, instead of the list of lab keys it lacks. Read only on that error path,
    so the lab commands start without the spec loader."""
    from xclone.base.yamlmarks import top_level_keys
    from xclone.spec.load import LAB_KEYS

    try:
        keys = top_level_keys(lab_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, XcloneError):
        return
    if "cluster" in keys and not LAB_KEYS & keys:
        raise XcloneError(f"{lab_file} is a spec, not a lab file (it has `cluster`): "
                          f"`xclone lab init --from-spec {lab_file}` writes a lab file for it")


def _seed(lab_file: Path, target: Path) -> None:
    try:
        Lab.init(lab_file, target)
    except XcloneError:
        _refuse_a_spec(lab_file)
        raise


def _world(lab_file: Path, target: Path) -> Lab:
    try:
        return Lab.for_file(lab_file, state_dir=target)
    except XcloneError:
        _refuse_a_spec(lab_file)
        raise


@click.group("lab", cls=WholeSummaries)
def lab() -> None:
    """The lab: a simulated xCAT management node, NIM master and HMCs seeded from a lab file."""


@lab.command("init")
@click.argument("lab_file", metavar="[LAB]", required=False,
                type=click.Path(dir_okay=False, path_type=Path))
@_STATE
@click.option("--from-spec", "spec_file", metavar="SPEC",
              type=click.Path(dir_okay=False, path_type=Path),
              help="Write a lab file whose world matches SPEC (HMCs, managed systems, "
                   "partitions, golden NIM clients, a configured NIM master), then seed it.")
@click.option("-o", "--output", metavar="LAB", type=click.Path(dir_okay=False, path_type=Path),
              help="With --from-spec: the lab file to write (default: SPEC's name + -lab.yaml).")
@click.option("--instant", is_flag=True,
              help="With --from-spec: an instant clock (an install finishes by the next command).")
def init(lab_file: Path | None, state: Path | None, spec_file: Path | None,
         output: Path | None, instant: bool) -> None:
    """Seed the lab's world from LAB, or write LAB from a spec first (--from-spec SPEC).

    `init` and `reset` both throw any world in the state folder away and seed it from LAB;
    only `init` can write LAB first, from a spec. Examples:

    \b
      xclone lab init specs/examples/seed-lab.yaml
      xclone lab init --from-spec specs/examples/large-cluster.yaml -o large-lab.yaml
    """
    if spec_file is not None:
        if lab_file is not None and output is not None:
            raise XcloneError("give the lab file to write once: as LAB or as -o, not both")
        lab_file = write_lab_from_spec(spec_file, output or lab_file, instant)
    elif lab_file is None:
        raise XcloneError("lab init needs LAB, or --from-spec SPEC")
    elif output is not None or instant:
        raise XcloneError("-o and --instant only go with --from-spec SPEC")
    target = _state_dir(lab_file, state)
    _seed(lab_file, target)
    click.echo(f"Lab {lab_file} seeded in {target}.")


@lab.command("reset")
@_LAB
@_STATE
def reset(lab_file: Path, state: Path | None) -> None:
    """Throw the world away and seed it again from LAB.

    The same as `lab init LAB` for a world seeded before (both start over from LAB); `init`
    also writes LAB from a spec (`--from-spec`), `reset` only reseeds.
    """
    target = _state_dir(lab_file, state)
    _seed(lab_file, target)
    click.echo(f"Lab {lab_file} reset in {target}.")


@lab.command("show")
@_LAB
@_STATE
def show(lab_file: Path, state: Path | None) -> None:
    """Describe the world: objects, NIM states, HMCs and their LPARs."""
    world = _world(lab_file, _state_dir(lab_file, state))
    click.echo(f"State: {state_text(world)}")
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
    world = _world(lab_file, _state_dir(lab_file, state))
    name_state(world)
    stdin = None if sys.stdin is None or sys.stdin.isatty() else sys.stdin.read()
    result = world.execute(host, Command(command).shell(), stdin)
    click.echo(result.stdout, nl=False)
    click.echo(result.stderr, nl=False, err=True)
    sys.exit(result.exit_status)


lab.add_command(serve)
