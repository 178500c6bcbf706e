"""Wires `xclone apply` and `xclone destroy`: options, the spec or saved plan, the transport,
and the terminal (plan text, confirmation, progress, summary) around apply/session.py.

`force-unlock` and `runs` are wired in cli/runs.py.
"""

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

from xclone.apply import session
from xclone.apply.events import Sink
from xclone.apply.executor import ExecOptions
from xclone.base.errors import XcloneError
from xclone.base.remote import Transport
from xclone.cli import saved
from xclone.cli.connect import ConnectionOptions, connection_options, open_transport
from xclone.cli.logs import configure
from xclone.cli.plan import console, emit
from xclone.cli.planning import build_plan, plan_flags
from xclone.plan.document import Plan
from xclone.plan.targets import parse_addresses
from xclone.render.progress import print_summary, showing
from xclone.spec import Spec, load_spec

RUNS_DIR = Path(".xclone/runs")
INTERRUPTED = 130


@contextmanager
def interruptible(cancel: threading.Event) -> Iterator[None]:
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
    """Apply a spec (planned under the lock, confirmed unless --auto-approve) or a saved plan
    (checked under the lock, run without asking). Every check that needs no cluster runs first."""
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

        def make(transport: Transport) -> Plan:
            return saved.check(document, spec, transport, spec_or_plan).plan

        return _run(spec, connection, make, parallelism, confirm=False, destroy=destroy)
    if connection.snapshot is not None:
        raise XcloneError("apply cannot run from a snapshot: it must reach the cluster")
    spec = load_spec(spec_or_plan)
    parse_addresses(spec, targets, replace)

    def plan(transport: Transport) -> Plan:
        return build_plan(spec_or_plan, connection, targets, replace, destroy=destroy,
                          transport=transport, spec=spec).plan

    return _run(spec, connection, plan, parallelism, confirm=not auto_approve, destroy=destroy)


def _run(spec: Spec, connection: ConnectionOptions, make: session.MakePlan, parallelism: int,
         *, confirm: bool, destroy: bool) -> int:
    out, cancel = console(), threading.Event()

    def show(plan: Plan) -> None:
        emit(plan, "text")
        if destroy and not plan.empty:
            out.print(f"WARNING: destroy removes every object the spec manages in xCAT and NIM "
                      f"on cluster {spec.cluster} ({plan.counts()['destroy']} resources).",
                      style="bold red", markup=False, highlight=False)

    @contextmanager
    def running() -> Iterator[Sink]:
        with interruptible(cancel), showing(out) as sink:
            yield sink

    hooks = session.Hooks(show, lambda plan: _confirm(destroy) if confirm else None, running,
                          lambda text: click.echo(f"Warning: {text}", err=True))
    what = run_for(spec, connection, "destroy" if destroy else "apply", parallelism)
    transport = open_transport(spec, connection)
    try:
        outcome = session.run(transport, what, make, hooks, cancel)
    finally:
        transport.close()
    if outcome.summary is None:
        return 0
    print_summary(out, outcome.summary, str(outcome.journal))
    return INTERRUPTED if cancel.is_set() else (0 if outcome.summary.ok else 1)


def run_for(spec: Spec, connection: ConnectionOptions, kind: str, parallelism: int) \
        -> session.Run:
    """The session's plain inputs from the spec: whose lock, which limits and timeouts. The
    lab's clock runs fast, so it is polled often; a real install every 2 to 30 s."""
    mn = spec.management_node
    limits = {mn.host: mn.max_sessions, **{h.host: h.max_sessions for h in spec.hmcs.values()}}
    options = ExecOptions(parallelism=parallelism, host_limits=limits, mn_name=mn.xcat_name,
                          command_timeout=float(spec.site.timeouts.command))
    if connection.lab is not None:
        from xclone.sim import Lab

        options = dataclasses.replace(options, poll_first=0.05, poll_max=1.0, backoff=0.05,
                                      time_scale=Lab.for_file(connection.lab).time_scale())
    return session.Run(kind, mn.host, spec.cluster, RUNS_DIR, options)


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
