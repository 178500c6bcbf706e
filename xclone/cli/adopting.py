"""`xclone import SPEC ADDR...|--all`: adopt objects built by hand by marking them as xclone's.

The planner treats an unmarked object with a name the spec wants as a conflict (CONTRACT §5), so
a cluster built with the runbook cannot be planned until its objects carry `xclone:<cluster>`.
Adoption writes that mark and nothing else: `chdef ... usercomment=` for xCAT objects and
`nim -o change -a comments=` for NIM machines and networks, keeping any text already there.

One exception, decided here and documented in docs/guide.md: the planner calls an LPAR installed
when xCAT shows `status=booted` with `provmethod` (or `profile`) naming its osimage. A node
installed by hand with `nimnodeset -i` has both. A node installed another way may lack them;
when NIM confirms the install (`Cstate_result = success`) and xCAT says `status=booted`, the same
`chdef` also sets `provmethod=<the spec's osimage>`, so the adopted node is never reinstalled.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import click

from xclone.apply import lock as locks
from xclone.apply.journal import Journal
from xclone.base.address import Address
from xclone.base.command import Command
from xclone.base.errors import XcloneError
from xclone.base.remote import Transport
from xclone.cli.apply import RUNS_DIR
from xclone.cli.connect import ConnectionOptions, open_transport, targets_for
from xclone.observed.model import NimObject, Observed, XcatObject
from xclone.observed.observe import observe
from xclone.spec import Spec, load_spec

LC_ALL = (("LC_ALL", "C"),)


@dataclass(frozen=True)
class Adoption:
    """One object to mark: where it lives, its comment before and after, and any extra
    attribute the same command sets."""

    address: str
    system: str  # xCAT or NIM
    type: str  # xCAT object type, or NIM class
    name: str
    before: str
    after: str
    extra: tuple[tuple[str, str], ...] = ()

    def command(self) -> Command:
        if self.system == "NIM":
            return Command.of("nim", "-o", "change", "-a", f"comments={self.after}", self.name,
                              env=LC_ALL)
        words = [f"usercomment={self.after}", *(f"{k}={v}" for k, v in self.extra)]
        return Command.of("chdef", "-t", self.type, "-o", self.name, *words, env=LC_ALL)

    def describe(self) -> str:
        extra = "".join(f", {k}: {v!r}" for k, v in self.extra)
        field = "comments" if self.system == "NIM" else "usercomment"
        return (f"{self.address}: {self.system} {self.type} {self.name}: "
                f"{field} {self.before!r} -> {self.after!r}{extra}")


@dataclass(frozen=True)
class AdoptionPlan:
    adoptions: tuple[Adoption, ...]
    notes: tuple[str, ...]  # what is already adopted or missing (the plan creates it)


def mark_of(spec: Spec) -> str:
    return f"xclone:{spec.cluster}"


def _marked(text: str, mark: str) -> bool:
    return mark in text.split()


def _with_mark(text: str, mark: str) -> str:
    return f"{text.strip()} {mark}" if text.strip() else mark


def spec_addresses(spec: Spec) -> list[str]:
    found = [f"hmc.{n}" for n in sorted(spec.hmcs)]
    found += [f"cec.{n}" for n in sorted(spec.cecs())]
    found += [f"network.{n}" for n in sorted(spec.networks)]
    found += [f"group.{n}" for n in sorted(spec.groups)]
    found += [f"osimage.{n}" for n in sorted(spec.osimages)]
    found += [f"lpar.{n}" for n, lp in sorted(spec.lpars.items()) if lp.state != "absent"]
    return found


def _xcat(address: str, obj: XcatObject | None, mark: str,
          extra: tuple[tuple[str, str], ...] = ()) -> Adoption | None:
    if obj is None or _marked(obj.get("usercomment"), mark):
        return None
    before = obj.get("usercomment")
    return Adoption(address, "xCAT", obj.type, obj.name, before, _with_mark(before, mark), extra)


def _nim(address: str, obj: NimObject | None, mark: str) -> Adoption | None:
    if obj is None or _marked(obj.get("comments"), mark):
        return None
    before = obj.get("comments")
    return Adoption(address, "NIM", obj.cls, obj.name, before, _with_mark(before, mark))


def _provmethod(spec: Spec, name: str, node: XcatObject | None,
                machine: NimObject | None) -> tuple[tuple[str, str], ...]:
    lpar = spec.lpars[name]
    if node is None or machine is None or lpar.osimage is None or lpar.state != "installed":
        return ()
    if node.get("provmethod") or node.get("profile") or node.get("status") != "booted":
        return ()
    if machine.get("Cstate_result") != "success":
        return ()
    return (("provmethod", lpar.osimage),)


def _candidates(spec: Spec, observed: Observed, address: Address) -> Iterator[Adoption | None]:
    mark, name = mark_of(spec), address.name
    if address.type in ("hmc", "cec"):
        yield _xcat(str(address), observed.xcat_object("node", name), mark)
    elif address.type in ("group", "osimage"):
        yield _xcat(str(address), observed.xcat_object(address.type, name), mark)
    elif address.type == "network":
        yield _xcat(str(address), observed.xcat_object("network", name), mark)
        net = spec.networks[name]
        for obj in observed.nim.values():
            if (obj.cls == "networks" and obj.get("net_addr") == str(net.net)
                    and obj.get("snm") == str(net.mask)):
                yield _nim(str(address), obj, mark)
    elif address.type == "lpar":
        node, machine = observed.xcat_object("node", name), observed.nim.get(name)
        if machine is not None and machine.cls != "machines":
            machine = None
        yield _xcat(str(address), node, mark, _provmethod(spec, name, node, machine))
        yield _nim(str(address), machine, mark)


def _exists(observed: Observed, address: Address) -> bool:
    if address.type in ("hmc", "cec", "lpar"):
        return observed.xcat_object("node", address.name) is not None
    return observed.xcat_object(address.type, address.name) is not None


def plan_adoption(spec: Spec, observed: Observed, addresses: tuple[str, ...]) -> AdoptionPlan:
    """What marking `addresses` (all of the spec's when empty) takes; XcloneError for an address
    the spec does not hold."""
    known = spec_addresses(spec)
    wanted = list(addresses) or known
    for text in wanted:
        if text not in known:
            raise XcloneError(f"{text}: not a resource of the spec (it has: "
                              f"{', '.join(known[:8])}{', ...' if len(known) > 8 else ''})")
    adoptions: list[Adoption] = []
    notes: list[str] = []
    for text in wanted:
        address = Address.parse(text)
        found = [a for a in _candidates(spec, observed, address) if a is not None]
        adoptions += found
        if not found:
            state = "already marked" if _exists(observed, address) else "does not exist yet"
            notes.append(f"{text}: {state}")
    return AdoptionPlan(tuple(adoptions), tuple(notes))


def _confirm(count: int) -> None:
    if not sys.stdin.isatty():
        raise XcloneError("import needs confirmation and there is no terminal: "
                          "review the list and pass --auto-approve")
    answer = click.prompt(f"Mark these {count} objects as managed by xclone? "
                          "Only 'yes' will be accepted", default="", show_default=False)
    if answer != "yes":
        raise XcloneError("import cancelled: nothing was changed")


def _show(plan: AdoptionPlan, cluster: str) -> None:
    for note in plan.notes:
        click.echo(f"  {note}")
    if not plan.adoptions:
        click.echo(f"Nothing to adopt: every existing object already carries xclone:{cluster}.")
        return
    click.echo(f"xclone will mark {len(plan.adoptions)} objects as managed by cluster {cluster}:")
    for adoption in plan.adoptions:
        click.echo(f"  ~ {adoption.describe()}")
        click.echo(f"      {adoption.command().display()}")


def adopt(spec_path: Path, addresses: tuple[str, ...], connection: ConnectionOptions, *,
          auto_approve: bool) -> None:
    """Observe, show what will be marked, confirm, mark; the journal records every command."""
    if connection.snapshot is not None:
        raise XcloneError("import cannot run from a snapshot: it must reach the cluster")
    spec = load_spec(spec_path)
    transport = open_transport(spec, connection)
    try:
        observation = observe(transport, targets_for(spec))
        plan = plan_adoption(spec, observation.observed, addresses)
        _show(plan, spec.cluster)
        if not plan.adoptions:
            return
        if not auto_approve:
            _confirm(len(plan.adoptions))
        mn = spec.management_node.host
        held = locks.acquire(transport, mn, spec.cluster)
        try:
            _mark(plan, transport, mn, Journal(RUNS_DIR, kind="import"))
        finally:
            locks.release(transport, held)
    finally:
        transport.close()


def _mark(plan: AdoptionPlan, transport: Transport, host: str, journal: Journal) -> None:
    failed: list[str] = []
    for index, adoption in enumerate(plan.adoptions, start=1):
        command = adoption.command()
        started = time.monotonic()
        result = transport.run(host, command, timeout=120)
        journal.command(f"mark{index}", host, command, result.exit_status,
                        time.monotonic() - started, result.stdout, result.stderr)
        error = [ln for ln in result.stderr.splitlines() if ln.startswith("Error")]
        if result.exit_status != 0 or error:
            text = (error or result.stderr.splitlines() or result.stdout.splitlines() or [""])[-1]
            failed.append(f"{adoption.address}: `{command.display()}` failed: "
                          f"exit status {result.exit_status}: {text}")
    journal.write({"event": "run.end", "ok": not failed, "commands": len(plan.adoptions),
                   "failed": failed})
    if failed:
        raise XcloneError(f"{len(failed)} of {len(plan.adoptions)} marks failed "
                          f"(journal {journal.path})\n" + "\n".join(failed))
    click.echo(f"Adopted: {len(plan.adoptions)} objects marked (journal {journal.path}).")
