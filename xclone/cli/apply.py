"""Wires `xclone apply` and `xclone destroy`: options, the spec or saved plan, the transport,
and the terminal (plan text, confirmation, progress, summary) around apply/session.py.

`force-unlock` and `runs` are wired in cli/runs.py.
"""

from __future__ import annotations

import dataclasses
import shlex
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
from xclone.apply.journal import read_run
from xclone.base.errors import XcloneError
from xclone.base.remote import Transport
from xclone.cli import saved
from xclone.cli.connect import ConnectionOptions, connection_options, lab_for, open_transport
from xclone.cli.duration import LOCK_WAIT
from xclone.cli.plan import console, emit
from xclone.cli.planning import SKIP_PREFLIGHT, build_plan, plan_flags
from xclone.plan.document import Plan
from xclone.plan.sessions import default_parallelism, describe, session_limits
from xclone.plan.targets import parse_addresses
from xclone.render.progress import print_summary, showing
from xclone.render.summary import resource_line
from xclone.render.text import kept_in
from xclone.spec import Spec, load_spec

RUNS = Path(".xclone") / "runs"
INTERRUPTED = 130


def runs_dir(spec: Path) -> Path:
    """The journal folder of a spec: `.xclone/runs` beside it (a saved plan: beside the plan),
    so `xclone runs` finds a run from any working directory."""
    return spec.parent / RUNS


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


def ask_yes(kind: str, question: str) -> None:
    """Ask on the terminal; without one, read one line from stdin, so `echo yes | xclone apply`
    works as it does with Terraform. Ctrl-C at the prompt is an interrupt (exit 130)."""
    if sys.stdin is None or not sys.stdin.isatty():
        answer = sys.stdin.readline().strip() if sys.stdin is not None else ""
        if not answer:
            raise XcloneError(f"{kind} needs confirmation and there is no terminal and nothing "
                              "on stdin: review the plan and pass --auto-approve "
                              "(or pipe the answer: `echo yes | xclone ...`)")
    else:
        try:
            answer = click.prompt(f"{question} Only 'yes' will be accepted", default="",
                                  show_default=False)
        except click.Abort:
            raise KeyboardInterrupt from None
    if answer != "yes":
        raise XcloneError(f"{kind} cancelled: nothing was changed")


def run_apply(spec_or_plan: Path, connection: ConnectionOptions, *, auto_approve: bool,
              parallelism: int | None, targets: tuple[str, ...], replace: tuple[str, ...],
              destroy: bool = False, lock_wait: float = 0.0,
              remediate: tuple[str, ...] = (), skip_preflight: bool = False) -> int:
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
        if remediate:
            raise XcloneError(f"{spec_or_plan}: --remediate cannot change a saved plan (the "
                              "remedy is planned into its install waits): apply the SPEC with it")
        document = saved.read(spec_or_plan)
        connection = saved.connection(document, connection, spec_or_plan)
        spec = saved.spec(document, spec_or_plan)

        def make(transport: Transport) -> Plan:
            return saved.check(document, spec, transport, spec_or_plan).plan

        return _run(spec, connection, make,
                    RunArgs(spec_or_plan, parallelism, lock_wait, bool(document.targets),
                            unlock_spec=document.spec.path),
                    confirm=False, destroy=document.destroy)
    if connection.snapshot is not None:
        kind = "destroy" if destroy else "apply"
        raise XcloneError(f"{kind} cannot run from a snapshot: it must reach the cluster")
    spec = load_spec(spec_or_plan)
    parse_addresses(spec, targets, replace)
    if remediate and spec.driver == "nim" and spec.netboot == "nim":
        raise XcloneError("--remediate boot-services: with `netboot: nim` NIM boots the "
                          "clients itself (bos_inst -a boot_client=yes), so xclone has no boot "
                          "of its own to repeat; a stalled boot's error names the commands")

    def plan(transport: Transport) -> Plan:
        return build_plan(spec_or_plan, connection, targets, replace, destroy=destroy,
                          transport=transport, spec=spec,
                          remediate=frozenset(remediate), skip_preflight=skip_preflight).plan

    return _run(spec, connection, plan,
                RunArgs(spec_or_plan, parallelism, lock_wait, bool(targets),
                        skip_preflight and not destroy),
                confirm=not auto_approve, destroy=destroy)


@dataclasses.dataclass(frozen=True)
class RunArgs:
    path: Path
    parallelism: int | None  # None: the spec's sessions (plan/sessions.py)
    lock_wait: float
    targeted: bool = False
    skip_preflight: bool = False  # journaled with the plan
    unlock_spec: str = ""  # the SPEC a force-unlock hint names: a saved plan's own spec


def _run(spec: Spec, connection: ConnectionOptions, make: session.MakePlan, args: RunArgs,
         *, confirm: bool, destroy: bool) -> int:
    out, cancel = console(), threading.Event()
    kind = "destroy" if destroy else "apply"

    def show(plan: Plan) -> None:
        emit(plan, "text")
        if not plan.empty:
            out.print(describe(spec, args.parallelism), markup=False, highlight=False)
        if destroy and not plan.empty:
            what = "the targeted objects" if args.targeted else "every object the spec manages"
            count = plan.counts()["destroy"]
            out.print(f"WARNING: destroy removes {what} in {kept_in(plan.driver)} "
                      f"on cluster {spec.cluster} ({count} resource{'s' * (count != 1)}).",
                      style="bold red", markup=False, highlight=False)

    @contextmanager
    def running() -> Iterator[Sink]:
        with interruptible(cancel), showing(out) as sink:
            yield sink

    def ask(plan: Plan) -> None:
        if confirm:
            question = ("Do you really want to destroy these objects?" if destroy else
                        "Do you want to perform these actions?")
            ask_yes(kind, question)

    hooks = session.Hooks(show, ask, running,
                          lambda text: click.echo(f"Warning: {text}", err=True),
                          lambda plan, summary: resource_line(plan, summary, kind))
    what = run_for(spec, connection, kind, args)
    transport = open_transport(spec, connection)
    try:
        outcome = session.run(transport, what, make, hooks, cancel)
    except session.Abandoned as stop:
        _abandoned(stop.journal)
        return INTERRUPTED
    finally:
        transport.close()
    if outcome.summary is None:
        return 0
    print_summary(out, outcome.summary, str(outcome.journal), kind, outcome.plan)
    return INTERRUPTED if cancel.is_set() else (0 if outcome.summary.ok else 1)


def _abandoned(journal: Path) -> None:
    """The summary after a second Ctrl-C, from the journal: the executor's own is gone."""
    commands = [r for r in read_run(journal) if r.get("event") == "command"]
    failed = sum(1 for r in commands if r.get("exit_status") != 0)
    click.echo(f"\nAbandoned: {len(commands)} commands had ended ({failed} with an error); "
               "any still running may finish on the far side. Run apply again to converge "
               f"(`xclone runs show {journal.stem.rsplit('-', 1)[-1]}` lists them).\n"
               f"Journal: {journal}", err=True)


def run_for(spec: Spec, connection: ConnectionOptions, kind: str, args: RunArgs) \
        -> session.Run:
    """The session's plain inputs from the spec: whose lock, which limits and timeouts, where
    the journal goes. The lab's clock runs fast, so it is polled often; a real install every 2
    to 30 s."""
    parallelism = args.parallelism or default_parallelism(spec)
    mn = spec.management_node
    options = ExecOptions(parallelism=parallelism, host_limits=session_limits(spec),
                          mn_name=mn.xcat_name,
                          command_timeout=float(spec.site.timeouts.command))
    if connection.lab is not None:
        options = dataclasses.replace(options, poll_first=0.05, poll_max=1.0, backoff=0.05,
                                      time_scale=lab_for(connection.lab).time_scale())
    return session.Run(kind, mn.host, spec.cluster, runs_dir(args.path), options,
                       str(args.path), args.lock_wait, args.skip_preflight,
                       _unlock_hint(args.unlock_spec or str(args.path), connection))


def _unlock_hint(spec: str, connection: ConnectionOptions) -> str:
    """`SPEC --lab LAB` (or the SSH options): force-unlock takes a spec, not a saved plan, and
    without the connection it was refused over it would reach for the cluster over SSH."""
    words = [spec]
    for flag, value in (("--lab", connection.lab), ("--ssh-config", connection.ssh_config),
                        ("--known-hosts", connection.known_hosts)):
        if value is not None:
            words += [flag, str(value)]
    if not connection.verify_host_keys:
        words.append("--no-verify-host-keys")
    return shlex.join(words)


def _apply_options(command: Callable[..., Any]) -> Callable[..., Any]:
    decorators = [
        click.option("--auto-approve", is_flag=True, help="Do not ask for confirmation."),
        click.option("--parallelism", type=click.IntRange(1),
                      help="Most actions running at once.  [default: the sum of the spec's "
                           "max_sessions, at least 10]"),
        LOCK_WAIT,
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


REMEDIATE = click.option(
    "--remediate", type=click.Choice(["boot-services"]), multiple=True,
    help="Remedies to run when a failure is one the runbook names: boot-services restarts "
         "inetd, tftp and nfs on the install server when a network boot goes unanswered, then "
         "boots the node once more (journaled; never by default).")


@click.command("apply")
@click.argument("spec_or_plan", metavar="SPEC|PLANFILE", type=click.Path(exists=True,
                path_type=Path))
@connection_options
@_apply_options
@plan_flags
@REMEDIATE
@SKIP_PREFLIGHT
def apply_command(spec_or_plan: Path, connection: ConnectionOptions, auto_approve: bool,
                  parallelism: int | None, lock_wait: float, targets: tuple[str, ...],
                  replace: tuple[str, ...],
                  remediate: tuple[str, ...], skip_preflight: bool) -> None:
    """Plan SPEC, confirm, and run it until the cluster matches; or run a saved PLANFILE.

    A PLANFILE (from `xclone plan -o FILE`) is checked before anything runs: its digest, its
    xclone version, the spec on disk against the copy it holds, and, under the lock, the
    cluster against the observation it was made from. Then exactly its actions run, over the
    connection it was made with, without asking again.

    \b
    Examples:
      xclone apply cluster.yaml --lab specs/examples/seed-lab.yaml
      echo yes | xclone apply cluster.yaml          # confirm from a pipe
      xclone plan cluster.yaml -o reviewed.plan && xclone apply reviewed.plan
      xclone apply cluster.yaml --target lpar.node01 --lock-wait 5m --auto-approve
    """
    sys.exit(run_apply(spec_or_plan, connection, auto_approve=auto_approve,
                       parallelism=parallelism, targets=targets, replace=replace,
                       lock_wait=lock_wait, remediate=remediate,
                       skip_preflight=skip_preflight))


@click.command("destroy")
@click.argument("spec", type=click.Path(exists=True, path_type=Path))
@connection_options
@_apply_options
@click.option("--target", "targets", multiple=True, metavar="ADDR",
              help="Remove only this resource and what must go before it (repeatable).")
def destroy_command(spec: Path, connection: ConnectionOptions, auto_approve: bool,
                    parallelism: int | None, lock_wait: float,
                    targets: tuple[str, ...]) -> None:
    """Remove everything SPEC manages from xCAT and NIM (never protected LPARs).

    Only definitions go (xCAT node, group, network and osimage objects, NIM machines and
    resources): the partitions stay on their HMC, powered as they are. With --target, only
    that resource goes, after whatever uses it (a network's LPARs, as with `terraform destroy
    -target`). To review first: `xclone plan SPEC --destroy -o FILE`, then `xclone apply FILE`.
    """
    sys.exit(run_apply(spec, connection, auto_approve=auto_approve, parallelism=parallelism,
                       targets=targets, replace=(), destroy=True, lock_wait=lock_wait))
