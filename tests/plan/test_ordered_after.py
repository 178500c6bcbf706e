"""Order-only edges (Step.ordered_after, Action.ordered_after): an action that starts after
another has ended without needing it to succeed, as make's order-only prerequisites. The graph
builds them beside the dependencies (a dependency wins over an order to the same batch), stays
acyclic over both, and the plan document writes them only when there are some."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from xclone.base.address import Address
from xclone.base.errors import XcloneError
from xclone.drivers.xcat.kinds import ActionKind
from xclone.plan.action import Action, Step, StepRef
from xclone.plan.document import Plan, action_to_json, from_json, to_json
from xclone.plan.graph import action_graph, batch, step_graph
from xclone.plan.planfile import Connection, PlanFile, SpecCopy, from_document, to_document
from xclone.render.text import plain_text

ROOT = Path(__file__).resolve().parents[2]
MN = "xcataixmn"


def _lpar(name: str) -> Address:
    return Address("lpar", name)


def _getmacs(node: str, hmc: str, **refs: tuple[StepRef, ...]) -> Step:
    return Step(ActionKind.GETMACS, MN, ("getmacs",), ("-D",), node=node, address=_lpar(node),
                extra=(("hmc", hmc),), **refs)  # type: ignore[arg-type]


def _boot(node: str, hmc: str, **refs: tuple[StepRef, ...]) -> Step:
    return Step(ActionKind.RNETBOOT, MN, ("rnetboot",), node=node, address=_lpar(node),
                extra=(("hmc", hmc),), **refs)  # type: ignore[arg-type]


def _key(kind: ActionKind, node: str) -> StepRef:
    return StepRef(kind, _lpar(node))


def _by_kind_nodes(actions: tuple[Action, ...]) -> dict[tuple[str, tuple[str, ...]], Action]:
    return {(a.kind.value, a.nodes): a for a in actions}


def _two_halves() -> tuple[Action, ...]:
    """a1, a2 discovered and booted first; b1's getmacs and boot ordered after a's boot."""
    first = _key(ActionKind.RNETBOOT, "a1")
    return batch([
        _getmacs("a1", "h1"), _getmacs("a2", "h1"),
        _boot("a1", "h1", after=(_key(ActionKind.GETMACS, "a1"),)),
        _boot("a2", "h1", after=(_key(ActionKind.GETMACS, "a2"),)),
        _getmacs("b1", "h2", ordered_after=(first,)),
        _boot("b1", "h2", after=(_key(ActionKind.GETMACS, "b1"),), ordered_after=(first,)),
    ])


def test_an_order_only_step_edge_becomes_an_actions_ordered_after() -> None:
    actions = _by_kind_nodes(_two_halves())
    boot_a = actions[("rnetboot", ("a1", "a2"))]
    getmacs_b, boot_b = actions[("getmacs", ("b1",))], actions[("rnetboot", ("b1",))]
    assert getmacs_b.depends_on == () and getmacs_b.ordered_after == (boot_a.id,)
    assert boot_b.depends_on == (getmacs_b.id,) and boot_b.ordered_after == (boot_a.id,)
    assert boot_a.ordered_after == ()
    graph = action_graph(tuple(actions.values()))
    assert graph.edges[boot_a.id, getmacs_b.id] == {"order": True}
    assert graph.edges[getmacs_b.id, boot_b.id] == {}


def test_ordered_actions_come_later_in_the_plan() -> None:
    """The id order is a topological order of both kinds: b1's getmacs, a root of the
    dependency graph, is numbered after the boot it is ordered after."""
    ids = {(a.kind.value, a.nodes): a.id for a in _two_halves()}
    assert ids[("rnetboot", ("a1", "a2"))] < ids[("getmacs", ("b1",))]


def test_a_dependency_wins_over_an_order_to_the_same_batch() -> None:
    getmacs = _key(ActionKind.GETMACS, "a1")
    actions = batch([_getmacs("a1", "h1"),
                     _boot("a1", "h1", after=(getmacs,), ordered_after=(getmacs,))])
    assert [(a.depends_on, a.ordered_after) for a in actions] == [((), ()), (("001",), ())]


def test_a_dependency_on_one_step_of_a_batch_wins_over_an_order_to_another() -> None:
    """Steps merge into one getmacs: an order to a1's and a need of a2's is one need."""
    actions = _by_kind_nodes(batch([
        _getmacs("a1", "h1"), _getmacs("a2", "h1"),
        _boot("b1", "h1", after=(_key(ActionKind.GETMACS, "a2"),),
              ordered_after=(_key(ActionKind.GETMACS, "a1"),)),
    ]))
    boot = actions[("rnetboot", ("b1",))]
    assert boot.depends_on == (actions[("getmacs", ("a1", "a2"))].id,)
    assert boot.ordered_after == ()


def test_a_missing_required_order_fails_loudly_and_an_optional_one_is_dropped() -> None:
    missing = _key(ActionKind.RNETBOOT, "nobody")
    with pytest.raises(XcloneError) as err:
        batch([_getmacs("a1", "h1", ordered_after=(missing,))])
    assert err.value.message == ("internal: the step getmacs of lpar.a1 waits for rnetboot of "
                                 "lpar.nobody, which no resource planner made")
    actions = batch([_getmacs("a1", "h1", ordered_after_if_planned=(missing,))])
    assert [(a.depends_on, a.ordered_after) for a in actions] == [((), ())]


def test_a_cycle_through_an_order_only_edge_is_refused() -> None:
    with pytest.raises(XcloneError, match="dependency cycle"):
        batch([_getmacs("a1", "h1", ordered_after=(_key(ActionKind.RNETBOOT, "a1"),)),
               _boot("a1", "h1", after=(_key(ActionKind.GETMACS, "a1"),))])


def test_targets_keep_what_a_step_needs_not_what_it_is_ordered_after() -> None:
    """`--target` keeps ancestors through dependencies only (xclone/plan/targets.py)."""
    steps = [_getmacs("a1", "h1"), _boot("a1", "h1", after=(_key(ActionKind.GETMACS, "a1"),)),
             _getmacs("b1", "h2", ordered_after=(_key(ActionKind.RNETBOOT, "a1"),))]
    graph = step_graph(steps)
    assert graph.ancestors(2) == set() and graph.ancestors(1) == {0}
    assert graph.order.index(1) < graph.order.index(2)


def _plan(actions: tuple[Action, ...]) -> Plan:
    return Plan("c", "sha256:s", "sha256:o", (), actions)


def test_the_document_writes_ordered_after_only_when_there_is_some() -> None:
    actions = _two_halves()
    documents = {(a["kind"], tuple(a["nodes"])): a for a in to_json(_plan(actions))["actions"]}
    assert "ordered_after" not in documents[("rnetboot", ("a1", "a2"))]
    assert documents[("getmacs", ("b1",))]["ordered_after"] == [
        documents[("rnetboot", ("a1", "a2"))]["id"]]
    schema = json.loads((ROOT / "schemas" / "plan.schema.json").read_text("utf-8"))
    jsonschema.validate(to_json(_plan(actions)), schema)


def test_plan_json_and_a_saved_plan_file_round_trip_it() -> None:
    plan = _plan(_two_halves())
    assert from_json(json.loads(json.dumps(to_json(plan)))).actions == plan.actions
    saved = PlanFile("0", SpecCopy("s.yaml", False, (("s.yaml", "x"),)), Connection("lab", "l"),
                     plan)
    again = from_document(json.loads(json.dumps(to_document(saved))))
    assert [a.ordered_after for a in again.plan.actions] == [
        a.ordered_after for a in plan.actions]
    assert any(a.ordered_after for a in again.plan.actions)


def test_a_document_without_the_key_reads_back_with_none() -> None:
    """Plans saved before order-only edges existed have no `ordered_after`."""
    action = _two_halves()[0]
    document = action_to_json(action)
    assert "ordered_after" not in document
    assert from_json(to_json(_plan((action,)))).actions[0].ordered_after == ()


def test_the_text_plan_shows_both_kinds_apart() -> None:
    plan = _plan(_two_halves())
    ids = {(a.kind.value, a.nodes): a.id for a in plan.actions}
    boot_a, getmacs_b = ids[("rnetboot", ("a1", "a2"))], ids[("getmacs", ("b1",))]
    lines = {line.split("]")[0].strip(" ["): line for line in plain_text(plan).splitlines()
             if line.startswith("  [")}
    assert lines[getmacs_b].endswith(f"getmacs b1 -D  (ordered after {boot_a})")
    assert lines[ids[("rnetboot", ("b1",))]].endswith(
        f"rnetboot b1  (after {getmacs_b}; ordered after {boot_a})")
    assert lines[boot_a].endswith(f"  (after {ids[('getmacs', ('a1', 'a2'))]})")
