"""`xclone apply`, `xclone destroy`, `xclone force-unlock` and `xclone runs`."""

from __future__ import annotations

import dataclasses
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

import click

from xclone.apply import lock as locks
from xclone.apply.executor import ExecOptions, Executor
from xclone.apply.journal import Journal, JournaledTransport, list_runs
from xclone.apply.runner import CommandRunner
from xclone.base.digest import digest
from xclone.base.errors import XcloneError
from xclone.base.remote import Transport
from xclone.cli import saved
from xclone.cli.connect import ConnectionOptions, connection_options, open_transport
from xclone.cli.logs import configure
from xclone.cli.plan import console, emit
from xclone.cli.planning import Planned, build_plan, plan_flags
from xclone.render.progress import LineProgress, LiveProgress, print_summary
from xclone.plan.document import to_json as plan_json
from xclone.plan.targets import parse_addresses
from xclone.spec import Spec, load_spec

RUNS_DIR = Path(".xclone/runs")
INTERRUPTED = 130


@contextmanager
def _interruptible(cancel: threading.Event) -> Iterator[None]:
    """First Ctrl-C: stop starting commands and let running ones end. Second: give up at once."""
    def handler(signum: int, frame: FrameType | None) -> None:
        if cancel.is_set():
            raise KeyboardInterrupt
        cancel.set()
        click.echo("\nInterrupted: no new command starts; waiting for the running ones "
                   "(Ctrl-C again to abandon them).", err=True)

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _confirm(destroy: bool) -> None:
    if not sys.stdin.isatty():
        raise XcloneError("apply needs confirmation and there is no terminal: "
                          "review the plan and pass --auto-approve")
    answer = click.prompt("Do you want to perform these actions? Only 'yes' will be accepted",
                          default="", show_default=False)
    if answer != "yes":
        raise XcloneError("apply cancelled: nothing was changed")


def run_apply(spec_or_plan: Path, connection: ConnectionOptions, *, auto_approve: bool,
              parallelism: int, targets: tuple[str, ...], replace: tuple[str, ...],
              destroy: bool = False) -> int:
    """Apply a spec (plan it under the lock, confirm, run) or a saved plan (check it under the
    lock, run exactly its actions). Every check that needs no cluster runs before the lock."""
    if saved.is_planfile(spec_or_plan):
        if destroy:
            raise XcloneError(f"{spec_or_plan} is a saved plan: destroy takes the SPEC whose "
                              "objects it removes")
        if targets or replace:
            raise XcloneError(f"{spec_or_plan}: --target and --replace cannot change a saved "
                              "plan: make a new one with them (`xclone plan SPEC --target ADDR "
                              "-o FILE`)")
        document = saved.read(spec_or_plan)
        connection = saved.connection(document, connection, spec_or_plan)
        spec = saved.spec(document, spec_or_plan)

        def make(transport: Transport) -> Planned:
            return saved.check(document, spec, transport, spec_or_plan)

        return _locked_run(spec, connection, make, parallelism, confirm=False, destroy=destroy)
    if connection.snapshot is not None:
        raise XcloneError("apply cannot run from a snapshot: it must reach the cluster")
    spec = load_spec(spec_or_plan)
    parse_addresses(spec, targets, replace)

    def plan(transport: Transport) -> Planned:
        return build_plan(spec_or_plan, connection, targets, replace, destroy=destroy,
                          transport=transport, spec=spec)

    return _locked_run(spec, connection, plan, parallelism, confirm=not auto_approve,
                       destroy=destroy)


def _locked_run(spec: Spec, connection: ConnectionOptions, make: Callable[[Transport], Planned],
                parallelism: int, *, confirm: bool, destroy: bool) -> int:
    """Lock, observe and plan (or check the saved plan), confirm, execute, unlock; the journal's
    last record says how the run ended, even when it ended in an error."""
    transport = open_transport(spec, connection)
    journal = Journal(RUNS_DIR, kind="destroy" if destroy else "apply")
    end: dict[str, Any] = {"event": "run.end", "ok": False}
    try:
        held = locks.acquire(JournaledTransport(transport, journal, "lock"),
                             spec.management_node.host, spec.cluster)
    except XcloneError as exc:
        journal.write({**end, "error": exc.message})
        transport.close()
        raise
    try:
        planned = make(JournaledTransport(transport, journal, "observe"))
        held = locks.record_plan(JournaledTransport(transport, journal, "lock"), held,
                                 digest(plan_json(planned.plan)))
        journal.write({"event": "plan", "spec_digest": planned.plan.spec_digest,
                       "observed_digest": planned.plan.observed_digest,
                       "summary": planned.plan.summary(), "lock": held.id})
        code, end = _execute(planned, transport, journal, connection, parallelism,
                             confirm=confirm, destroy=destroy)
        return code
    except XcloneError as exc:
        end = {**end, "error": exc.message}
        raise
    finally:
        lost = locks.release(JournaledTransport(transport, journal, "lock"), held)
        if lost is not None:
            click.echo(f"Warning: {lost}", err=True)
            end = {**end, "lock_warning": lost}
        journal.write(end)
        transport.close()


def _execute(planned: Planned, transport: Transport, journal: Journal,
             connection: ConnectionOptions,
             parallelism: int, *, confirm: bool, destroy: bool) -> tuple[int, dict[str, Any]]:
    plan, spec, out = planned.plan, planned.spec, console()
    emit(plan, "text")
    if destroy and not plan.empty:
        out.print(f"WARNING: destroy removes every object the spec manages in xCAT and NIM on "
                  f"cluster {spec.cluster} ({plan.counts()['destroy']} resources).",
                  style="bold red", markup=False, highlight=False)
    if plan.empty:
        return 0, {"event": "run.end", "ok": True, "done": [], "commands": 0}
    if confirm:
        _confirm(destroy)
    cancel = threading.Event()
    mn = spec.management_node
    limits = {mn.host: mn.max_sessions, **{h.host: h.max_sessions for h in spec.hmcs.values()}}
    runner = CommandRunner(transport, journal, limits, parallelism)
    runner.preflight(plan.actions)
    exec_options = _exec_options(connection, parallelism, limits,
                                 float(spec.site.timeouts.install_stall), mn.xcat_name)
    exec_options = dataclasses.replace(exec_options,
                                       command_timeout=float(spec.site.timeouts.command))
    with _interruptible(cancel):
        if out.is_terminal:
            with LiveProgress(out) as live:
                summary = Executor(plan, runner, exec_options, live, cancel).run()
        else:
            summary = Executor(plan, runner, exec_options, LineProgress(out), cancel).run()
    print_summary(out, summary, str(journal.path))
    code = INTERRUPTED if cancel.is_set() else (0 if summary.ok else 1)
    return code, Journal.end_record(summary, {"per_host": runner.per_host})


def _exec_options(connection: ConnectionOptions, parallelism: int, limits: dict[str, int],
                  stall: float, mn_name: str) -> ExecOptions:
    """The lab's clock runs fast: poll it often. A real install is polled every 2 to 30 s."""
    options = ExecOptions(parallelism=parallelism, host_limits=limits, stall=stall,
                          mn_name=mn_name)
    if connection.lab is not None:
        from xclone.sim import Lab

        return dataclasses.replace(options, poll_first=0.05, poll_max=1.0, backoff=0.05,
                                   time_scale=Lab.for_file(connection.lab).time_scale())
    return options


def _apply_options(command: Callable[..., Any]) -> Callable[..., Any]:
    decorators = [
        click.option("--auto-approve", is_flag=True, help="Do not ask for confirmation."),
        click.option("--parallelism", default=10, show_default=True, type=click.IntRange(1),
                      help="Most actions running at once."),
        click.option("--log-format", type=click.Choice(("text", "json")), default=None,
                     help="Log events on stderr as text or JSON lines."),
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


@click.command("apply")
@click.argument("spec_or_plan", metavar="SPEC|PLANFILE", type=click.Path(exists=True,
                path_type=Path))
@connection_options
@_apply_options
@plan_flags
def apply_command(spec_or_plan: Path, connection: ConnectionOptions, auto_approve: bool,
                  parallelism: int, log_format: str | None, targets: tuple[str, ...],
                  replace: tuple[str, ...]) -> None:
    """Plan SPEC, confirm, and run it until the cluster matches; or run a saved PLANFILE.

    A PLANFILE (from `xclone plan -o FILE`) is checked before anything runs: its digest, its
    xclone version, the spec on disk against the copy it holds, and, under the lock, the
    cluster against the observation it was made from. Then exactly its actions run, over the
    connection it was made with, without asking again.
    """
    if log_format:
        configure(log_format)
    sys.exit(run_apply(spec_or_plan, connection, auto_approve=auto_approve,
                       parallelism=parallelism, targets=targets, replace=replace))


@click.command("destroy")
@click.argument("spec", type=click.Path(exists=True, path_type=Path))
@connection_options
@_apply_options
def destroy_command(spec: Path, connection: ConnectionOptions, auto_approve: bool,
                    parallelism: int, log_format: str | None) -> None:
    """Remove everything SPEC manages from xCAT and NIM (never protected LPARs)."""
    if log_format:
        configure(log_format)
    sys.exit(run_apply(spec, connection, auto_approve=auto_approve, parallelism=parallelism,
                       targets=(), replace=(), destroy=True))


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
