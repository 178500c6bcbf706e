"""Wires `xclone force-unlock` (apply/lock.py) and `xclone runs` (the journal's run list)."""

from __future__ import annotations

from pathlib import Path

import click

from xclone.apply import lock as locks
from xclone.apply.journal import list_runs
from xclone.cli.apply import RUNS_DIR
from xclone.cli.connect import ConnectionOptions, connection_options, open_transport
from xclone.spec import Spec, load_spec


@click.command("force-unlock")
@click.argument("spec", type=click.Path(exists=True, path_type=Path))
@click.argument("lock_id")
@connection_options
def force_unlock_command(spec: Path, lock_id: str, connection: ConnectionOptions) -> None:
    """Remove the apply lock LOCK_ID left by an apply that is gone."""
    loaded: Spec = load_spec(spec)
    transport = open_transport(loaded, connection)
    try:
        holder = locks.force_unlock(transport, loaded.management_node.host, loaded.cluster,
                                    lock_id)
    finally:
        transport.close()
    click.echo(f"Removed {holder}.")


@click.command("runs")
@click.option("-n", "--limit", default=20, show_default=True, help="How many runs to list.")
def runs_command(limit: int) -> None:
    """List recent apply runs from the journal (.xclone/runs)."""
    runs = list_runs(RUNS_DIR, limit)
    if not runs:
        click.echo("No runs recorded yet in .xclone/runs.")
        return
    for run in runs:
        state = "running or killed" if run["ended"] is None else ("ok" if run["ok"] else "failed")
        click.echo(f"{run['started']}  {run['run_id']}  {run['kind']:<7} {state:<17} "
                   f"{run['commands']:>5} commands  {run['file']}")
