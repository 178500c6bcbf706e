"""Wires `xclone force-unlock` (apply/lock.py) and `xclone runs` (list and show journaled runs)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from xclone.apply import lock as locks
from xclone.apply.journal import find_run, list_runs, read_run, run_state
from xclone.base.errors import XcloneError
from xclone.cli.apply import RUNS, runs_dir
from xclone.cli.connect import ConnectionOptions, connection_options, open_transport
from xclone.cli.table import WholeSummaries
from xclone.spec import Spec, load_spec


@click.command("force-unlock")
@click.argument("spec", type=click.Path(exists=True, path_type=Path))
@click.argument("lock_id")
@connection_options
def force_unlock_command(spec: Path, lock_id: str, connection: ConnectionOptions) -> None:
    """Remove the apply lock LOCK_ID left by an apply that is gone."""
    if connection.snapshot is not None:
        raise XcloneError("force-unlock cannot run from a snapshot: the lock is on the cluster")
    loaded: Spec = load_spec(spec)
    transport = open_transport(loaded, connection)
    try:
        holder = locks.force_unlock(transport, loaded.management_node.host, loaded.cluster,
                                    lock_id)
    finally:
        transport.close()
    click.echo(f"Removed {holder}.")


def _journal_dir(spec: Path | None) -> Path:
    """Where a spec's runs are: `.xclone/runs` beside the spec file (or in the folder given),
    as apply writes them; without SPEC, in the current directory."""
    if spec is None:
        return RUNS
    return spec / RUNS if spec.is_dir() else runs_dir(spec)


SPEC_ARG = click.argument("spec", required=False, type=click.Path(exists=True, path_type=Path))


@click.group("runs", cls=WholeSummaries, invoke_without_command=True)
@click.pass_context
def runs_command(ctx: click.Context) -> None:
    """List recent runs from the journal, or show one (`runs show ID`).

    The journal of a spec lives beside it, in `.xclone/runs/`; `xclone runs list SPEC` and
    `xclone runs show ID SPEC` read it from any directory. Bare `xclone runs` lists the runs
    of the current directory.
    """
    if ctx.invoked_subcommand is None:
        _list(None, 20)


@runs_command.command("list")
@SPEC_ARG
@click.option("-n", "--limit", default=20, show_default=True, help="How many runs to list.")
def list_command(spec: Path | None, limit: int) -> None:
    """List the recent runs of SPEC (or of the current directory), newest first."""
    _list(spec, limit)


def _list(spec: Path | None, limit: int) -> None:
    directory = _journal_dir(spec)
    runs = list_runs(directory, limit)
    if not runs:
        click.echo(f"No runs recorded yet in {directory}.")
        return
    for run in runs:
        click.echo(f"{run['started']}  {run['run_id']}  {run['kind']:<7} {run['state']:<17} "
                   f"{run['commands']:>5} commands  cluster {run['cluster'] or '-'}  "
                   f"spec {run['spec'] or '-'}  {run['file']}")


@runs_command.command("show")
@click.argument("run_id")
@SPEC_ARG
def show_run_command(run_id: str, spec: Path | None) -> None:
    """Show run RUN_ID (`last`: the newest): its commands with their results, and how it ended."""
    directory = _journal_dir(spec)
    path = find_run(directory, run_id)
    if path is None:
        raise XcloneError(f"no run {run_id} in {directory} (`xclone runs list SPEC` lists them)")
    records = read_run(path)
    first = records[0] if records else {}
    end = records[-1] if records and records[-1].get("event") == "run.end" else None
    click.echo(f"Run {first.get('run_id', run_id)}: {first.get('kind', '?')} of cluster "
               f"{first.get('cluster') or '-'} (spec {first.get('spec') or '-'}), started "
               f"{first.get('ts', '?')}: {run_state(end)}")
    for record in records:
        if record.get("event") == "command":
            _show_command(record)
    if end is not None:
        _show_end(end)
    click.echo(f"Journal: {path}")


def _show_command(record: dict[str, Any]) -> None:
    status = record.get("exit_status")
    result = "no answer" if status is None else f"exit {status}"
    click.echo(f"  [{record.get('action')}] {record.get('host')}: {record.get('command')}  "
               f"-> {result} in {record.get('duration', 0)}s")
    if status != 0:
        for text in (record.get("stderr_tail") or record.get("stdout_tail") or "").splitlines():
            click.echo(f"        {text}")


def _show_end(end: dict[str, Any]) -> None:
    parts = [f"{len(end.get(key) or [])} {key}"
             for key in ("done", "failed", "skipped", "interrupted")]
    # resources as the apply counted them (journaled since run.end carries them), then actions
    resources = f"{end['resources']}. Actions: " if end.get("resources") else ""
    click.echo(f"Summary: {resources}{', '.join(parts)}; {end.get('commands', 0)} commands.")
    for failure in end.get("failed") or []:
        click.echo(f"  failed {failure.get('action')}: {failure.get('command')}")
    if end.get("interrupted"):
        click.echo(f"  not finished: {', '.join(end['interrupted'])}: apply again to converge")
    if end.get("error"):
        click.echo(f"  error: {end['error']}")
