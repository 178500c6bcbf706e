"""Wires `xclone import SPEC ADDR...|--all`: the spec's driver (`adopt`) decides what to mark,
the apply session (apply/session.py) runs the marks under the cluster's lock, observing only once
it holds it, with the same runner, result judge and journal as apply; here is only the terminal
side: the list of marks, the confirmation and the closing line."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from xclone.apply import session
from xclone.apply.events import Event, Sink, Summary
from xclone.base.errors import XcloneError
from xclone.base.mark import ownership_mark
from xclone.base.remote import Transport
from xclone.cli.apply import INTERRUPTED, RunArgs, ask_yes, interruptible, run_for
from xclone.cli.connect import ConnectionOptions, open_transport
from xclone.cli.planning import observe_state
from xclone.drivers import registry
from xclone.plan.adoption import AdoptionPlan
from xclone.plan.document import Plan
from xclone.spec import load_spec


def _show(plan: AdoptionPlan, cluster: str) -> None:
    for note in plan.notes:
        click.echo(f"  {note}")
    if not plan.adoptions:
        click.echo("Nothing to adopt: no object of the spec exists without "
                   f"{ownership_mark(cluster)} (each one above is marked already or does not "
                   "exist yet).")
        return
    click.echo(f"xclone will mark {len(plan.adoptions)} objects as managed by cluster {cluster}:")
    for adoption in plan.adoptions:
        click.echo(f"  ~ {adoption.describe()}")
        click.echo(f"      {adoption.command().display()}")


def _adopted(plan: Plan, summary: Summary) -> str:
    """The resource counts `runs show` gives an import, as apply's count resources, not
    actions: an LPAR whose xCAT node and NIM machine both get the mark is one adopted."""
    address = {action.id: action.addresses[0] for action in plan.actions}
    failed = {address[f.action_id] for f in summary.failed}
    adopted = {address[i] for i in summary.done} - failed
    return f"{len(adopted)} adopted" + (f", {len(failed)} not adopted" if failed else "")


def adopt(spec_path: Path, addresses: tuple[str, ...], connection: ConnectionOptions, *,
          auto_approve: bool, lock_wait: float = 0.0) -> int:
    """Lock, observe, show what will be marked, confirm, mark, unlock; the journal records every
    command. Marks run one at a time: NIM serialises changes to its database anyway."""
    if connection.snapshot is not None:
        raise XcloneError("import cannot run from a snapshot: it must reach the cluster")
    spec = load_spec(spec_path)
    planned: list[AdoptionPlan] = []
    cancel = threading.Event()

    def make(transport: Transport) -> Plan:
        observed, observed_digest = observe_state(spec, transport)
        adoption, plan = registry.driver(spec.driver).adopt(spec, observed, addresses,
                                                            observed_digest)
        planned.append(adoption)
        return plan

    def confirm(plan: Plan) -> None:
        if not auto_approve:
            ask_yes("import", f"Mark these {len(plan.actions)} objects as managed by xclone?")

    @contextmanager
    def running() -> Iterator[Sink]:
        def quiet(event: Event) -> None:
            """Marks are quick: the closing line (or the error) tells how they went."""

        with interruptible(cancel):
            yield quiet

    hooks = session.Hooks(lambda plan: _show(planned[-1], spec.cluster), confirm, running,
                          lambda text: click.echo(f"Warning: {text}", err=True), _adopted)
    transport = open_transport(spec, connection)
    try:
        outcome = session.run(transport, run_for(spec, connection, "import",
                                                     RunArgs(spec_path, 1, lock_wait)), make, hooks,
                              cancel)
    finally:
        transport.close()
    summary = outcome.summary
    if summary is None:
        return 0
    if cancel.is_set():
        return INTERRUPTED
    if not summary.ok:
        addresses_of = {a.id: a.addresses[0] for a in outcome.plan.actions}
        failed = [f"{addresses_of[f.action_id]}: `{f.command}` failed: {f.output}"
                  for f in summary.failed]
        raise XcloneError(f"{len(failed)} of {len(outcome.plan.actions)} marks failed "
                          f"(journal {outcome.journal})\n" + "\n".join(failed))
    click.echo(f"Adopted: {len(outcome.plan.actions)} objects marked "
               f"(journal {outcome.journal}).")
    return 0
