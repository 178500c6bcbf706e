"""The first managed system's nimnodeset runs alone while NIM lacks `xcataixscript` (batching.py
`first_nimnodeset_alone`; xCAT 2.9.2 xCAT-server/lib/xcat/plugins/aixinstall.pm `prenimnodeset`,
lines 8636-8730: the first nimnodeset defines the script, two at once would race), expressed
with one step edge per waiting LPAR: each other system's nimnodeset step waits for one step of
the first system's batch, so its own batch waits for that whole batch (issue 16: 40 edges per
LPAR were ~400,000 of the 708,000 step edges at 10,000 LPARs). On the benchmark's synthetic
cluster of 120 LPARs: three managed systems of 40 on one HMC, NIM without the script."""

from __future__ import annotations

import networkx as nx
import pytest

from benchmarks import scenario
from xclone.cli.connect import logins_for, targets_for
from xclone.drivers import registry
from xclone.drivers.xcat.kinds import ActionKind
from xclone.observed.canonical import digest_of
from xclone.observed.model import Observed
from xclone.observed.observe import observe
from xclone.plan.action import Step
from xclone.plan.context import Context, PlanOptions
from xclone.plan.graph import action_graph
from xclone.plan.planner import make_plan
from xclone.sim import Lab
from xclone.spec import load_spec
from xclone.spec.model import Spec
from xclone.transport.sim import SimTransport

N = 120


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Spec, Observed]:
    where = tmp_path_factory.mktemp("first-nimnodeset")
    built = scenario.build(N, where / "spec", latency=0, scale=0)
    with pytest.MonkeyPatch.context() as monkeypatch:
        for name, value in built.env.items():
            monkeypatch.setenv(name, value)
        lab = Lab.from_dict(built.lab, where / "state", source="first-nimnodeset")
        spec = load_spec(built.spec_path)
        transport = SimTransport(lab, logins_for(spec))
        try:
            return spec, observe(transport, targets_for(spec)).observed
        finally:
            transport.close()


def _system(node: str) -> int:
    return (int(node.removeprefix("lpar")) - 1) // scenario.PER_SYSTEM


def _nimnodesets(world: tuple[Spec, Observed]) -> list[Step]:
    spec, observed = world
    ctx = Context(spec, observed, PlanOptions())
    registry.driver(spec.driver).plan(ctx)
    return [s for s in ctx.steps if s.kind is ActionKind.NIMNODESET]


def test_each_waiting_nimnodeset_step_names_one_step_of_the_first_system(
        world: tuple[Spec, Observed]) -> None:
    steps = _nimnodesets(world)
    first = {s.key for s in steps if _system(str(s.node)) == 0}
    assert len(first) == scenario.PER_SYSTEM
    waiting = [s for s in steps if _system(str(s.node)) > 0]
    assert len(waiting) == N - scenario.PER_SYSTEM
    named = {ref for s in waiting for ref in s.after_if_planned if ref in first}
    assert all(len(first.intersection(s.after_if_planned)) == 1 for s in waiting)
    assert len(named) == 1


def test_every_other_systems_batch_waits_for_the_whole_first_batch(
        world: tuple[Spec, Observed]) -> None:
    spec, observed = world
    plan = make_plan(spec, observed, digest_of(observed), PlanOptions())
    batches = {_system(a.nodes[0]): a for a in plan.actions if a.kind.value == "nimnodeset"}
    assert sorted(batches) == [0, 1, 2]
    assert len(batches[0].nodes) == scenario.PER_SYSTEM
    assert all(batches[0].id in a.depends_on for s, a in batches.items() if s)


def test_a_target_on_a_later_system_keeps_one_first_system_lpar_before_it(
        world: tuple[Spec, Observed]) -> None:
    spec, observed = world
    plan = make_plan(spec, observed, digest_of(observed),
                     PlanOptions(targets=frozenset({"lpar.lpar00100"})))
    graph = action_graph(plan.actions)
    batches = [a for a in plan.actions if a.kind.value == "nimnodeset"]
    assert sorted(n for a in batches for n in a.nodes)[-1] == "lpar00100"
    (first,) = [a for a in batches if _system(a.nodes[0]) == 0]
    (mine,) = [a for a in batches if a.nodes == ("lpar00100",)]
    assert len(first.nodes) == 1
    assert nx.has_path(graph, first.id, mine.id)
    assert {c.address.name for c in plan.changes if c.address.type == "lpar"} == {
        first.nodes[0], "lpar00100"}
