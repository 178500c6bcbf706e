"""The executor and order-only edges (Action.ordered_after): an action ordered after X starts
once X has ended, succeeded, failed or skipped, and X's failure skips nothing of it; skips follow
`depends_on` only. Then a lab apply of the xCAT driver on one HMC with two managed systems
(xclone/drivers/xcat/resources/batching.py `first_half_first`: the second system is discovered
and booted after the first's rnetboot, order only): the first system's one LPAR fails its
`getmacs -D`, the second system still installs, the failure is reported, and once the fault is
gone the next apply converges."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from tests.apply.helpers import dump, load
from tests.golden.world import INPUTS, World
from xclone.apply.events import Event
from xclone.apply.executor import ExecOptions, Executor
from xclone.apply.ready import Entry, depths
from xclone.apply.runner import CommandRunner
from xclone.base.address import Address
from xclone.base.command import Command
from xclone.base.remote import Result
from xclone.drivers.xcat.kinds import ActionKind
from xclone.plan.action import Action
from xclone.plan.document import Plan
from xclone.sim import Fault
from xclone.sim.xcat.ppc import no_console

MN = "xcataixmn"


class _Journal:
    """What the runner and executor write, thrown away: these tests read the events."""

    def command(self, *_: Any) -> None:
        pass

    def write(self, _: dict[str, Any]) -> None:
        pass

    def redact(self, _: str) -> None:
        pass


class _Transport:
    """Each node of a command answers `NODE: Success`, a failing one `NODE: Error: ...` and the
    command exits 1, the way an xCAT command reports its nodes (xclone/drivers/xcat/outcomes.py
    `node_outcomes`)."""

    def __init__(self, failing: set[str]) -> None:
        self.failing = failing
        self.sent: list[str] = []
        self.lock = threading.Lock()

    def run(self, host: str, command: Command, *, timeout: float | None = None) -> Result:
        with self.lock:
            self.sent.append(command.display())
        words = {n for word in command.argv for n in word.split(",")}
        bad = sorted(self.failing & words)
        stdout = "".join(f"{n}: Error: it broke\n" if n in bad else f"{n}: Success\n"
                         for n in sorted(words) if n.isalpha())
        return Result(host, command.display(), 1 if bad else 0, stdout, "")

    def close(self) -> None:
        pass


def _action(number: int, kind: ActionKind, nodes: tuple[str, ...], *,
            depends_on: tuple[str, ...] = (), ordered_after: tuple[str, ...] = ()) -> Action:
    return Action(id=f"{number:03d}", kind=kind, host=MN, before=(kind.value,), after_words=(),
                  nodes=nodes, stdin_parts=(), addresses=tuple(Address("lpar", n) for n in nodes),
                  depends_on=depends_on, destructive=False, reasons=(),
                  ordered_after=ordered_after)


def _run(actions: list[Action], failing: set[str]) -> tuple[Any, list[Event]]:
    events: list[Event] = []
    lock = threading.Lock()

    def sink(event: Event) -> None:
        with lock:
            events.append(event)

    runner = CommandRunner(_Transport(failing), _Journal(), {})  # type: ignore[arg-type]
    plan = Plan("c", "sha256:s", "sha256:o", (), tuple(actions))
    summary = Executor(plan, runner, ExecOptions(retries=0), sink, threading.Event()).run()
    return summary, events


def _at(events: list[Event], kind: str, action_id: str) -> int:
    return next(i for i, e in enumerate(events) if e.kind == kind and e.action_id == action_id)


def _halves() -> list[Action]:
    """001 getmacs ant,ape -> 002 rnetboot ant,ape; 003 getmacs bee, ordered after 002 (and
    nothing else: without the order it would start at once); 004 rnetboot bee needs 003 and is
    ordered after 002."""
    return [
        _action(1, ActionKind.GETMACS, ("ant", "ape")),
        _action(2, ActionKind.RNETBOOT, ("ant", "ape"), depends_on=("001",)),
        _action(3, ActionKind.GETMACS, ("bee",), ordered_after=("002",)),
        _action(4, ActionKind.RNETBOOT, ("bee",), depends_on=("003",), ordered_after=("002",)),
    ]


def test_the_ready_queue_ranks_an_ordered_action_deeper() -> None:
    entries = [Entry(a.id, a.host, False, a.depends_on, a.ordered_after) for a in _halves()]
    assert depths(entries) == {"001": 0, "002": 1, "003": 2, "004": 3}


def test_a_failed_node_before_an_order_skips_nothing_after_it() -> None:
    """ant's getmacs fails: its rnetboot runs for ape alone; bee's getmacs and rnetboot, ordered
    after that rnetboot, run in full. As dependencies (before order-only edges) they were
    skipped: `depends on failed nodes ant`."""
    summary, events = _run(_halves(), {"ant"})
    assert [f.action_id for f in summary.failed] == ["001"]
    assert summary.skipped == ()
    assert sorted(summary.done) == ["001", "002", "003", "004"]  # 001 for ape
    assert next(e for e in events if e.kind == "start" and e.action_id == "002").nodes == ("ape",)
    assert next(e for e in events if e.kind == "start" and e.action_id == "004").nodes == ("bee",)


def test_an_ordered_action_starts_only_after_the_one_before_ended() -> None:
    """003's start comes after 002's end, whether 002 was done or skipped (no good node left)."""
    for failing, ended in ((set(), "done"), ({"ant", "ape"}, "skipped")):
        summary, events = _run(_halves(), failing)
        assert _at(events, ended, "002") < _at(events, "start", "003"), failing
        assert _at(events, "start", "003") < _at(events, "start", "004")
        assert {"003", "004"} <= set(summary.done)


def test_a_whole_failure_skips_what_needs_it_and_not_what_is_ordered_after_it() -> None:
    """003 fails for its only node: 004 needs it and is skipped; 005, ordered after 003,
    runs."""
    actions = [*_halves(), _action(5, ActionKind.GETMACS, ("cat",), ordered_after=("003",))]
    summary, events = _run(actions, {"bee"})
    assert [f.action_id for f in summary.failed] == ["003"]
    assert [s[0] for s in summary.skipped] == ["004"]
    assert "005" in summary.done
    assert _at(events, "failed", "003") < _at(events, "start", "005")


# -- the lab: one HMC, two managed systems ----------------------------------------------------

SECOND_LPARS = ("lpar00041", "lpar00042")


def _world(where: Path) -> World:
    """The ranged-99 spec cut to lpar00001 on the first managed system and lpar00041-42 on
    the second, against its lab with NIM's xcataixscript defined already (an earlier
    install's): otherwise the first system's nimnodeset stays a dependency of the second's
    (batching.py `first_nimnodeset_alone`) and its failed node would skip that one."""
    lab = load(INPUTS / "ranged-99-lab.yaml")
    lab["management_node"]["nim"]["resources"]["xcataixscript"] = {
        "type": "script", "location": "/install/nim/scripts/xcataixscript"}
    (where / "in").mkdir()
    (where / "world").mkdir()
    lab_file = where / "in" / "lab.yaml"
    lab_file.write_text(dump(lab), encoding="utf-8")
    world = World(where / "world", INPUTS / "ranged-99.yaml", lab_file)
    first, second = world.spec_data["lpar_ranges"][:2]
    world.spec_data["lpar_ranges"] = [{**first, "names": "lpar00001-lpar00001"},
                                      {**second, "names": "lpar00041-lpar00042"}]
    world.write_spec()
    return world


def test_a_failed_getmacs_in_the_first_half_leaves_the_second_half_to_install(
        tmp_path: Path) -> None:
    world = _world(tmp_path)
    planned = world.plan("--format", "json")
    assert planned.exit_code == 0, planned.output
    document = planned.output[planned.output.index("{\n"):]  # after any `Lab state:` line
    actions = json.loads(document)["actions"]
    of = {(a["kind"], tuple(a["nodes"])): a for a in actions}
    first_boot = of[("rnetboot", ("lpar00001",))]
    second_getmacs = of[("getmacs", SECOND_LPARS)]
    assert second_getmacs["ordered_after"] == [first_boot["id"]]
    assert first_boot["id"] not in second_getmacs["depends_on"]
    # LparNetbootExp.pm lines 2675-2680: rcons ends at once (xclone/sim/xcat/ppc.py).
    world.lab.add_fault(Fault(command="getmacs", args="lpar00001", exit_status=1,
                              stdout=no_console("lpar00001") + "\nlpar00001: \n", stderr=""))
    applied = world.apply()
    assert applied.exit_code == 1, applied.output
    assert "failed 012: LC_ALL=C getmacs lpar00001 -D\n      lpar00001: exit status 1" in \
        applied.output
    # Only the failed node's own steps are skipped: before, the second half's getmacs was
    # skipped too, "depends on failed nodes lpar00001", and everything after it.
    skipped = [line for line in applied.output.splitlines() if ": skipped: " in line]
    assert len(skipped) == 3 and all(" lpar00001: " in line for line in skipped), skipped
    lab = world.lab
    for node in SECOND_LPARS:  # installed
        assert "status=booted" in lab.execute(world.mn_host, f"lsdef {node}").stdout, node
    assert "status=booted" not in lab.execute(world.mn_host, "lsdef lpar00001").stdout
    lab.clear_faults()
    again = world.apply()
    assert again.exit_code == 0, again.output
    assert world.plan("--detailed-exitcode").exit_code == 0
