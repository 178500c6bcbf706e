"""The xCAT driver's install commands batched per HMC and per managed system (issue 16,
xclone/drivers/xcat/resources/batching.py), on the benchmark's synthetic cluster of 400 LPARs:
hmc001 with 8 managed systems of 40 LPARs, hmc002 with 2.

Facts (xCAT 2.9.2, docs/formats.md "How the install commands are batched"): `getmacs -D` and
`rnetboot` fork one process per LPAR, at most half of site `maxssh` per HMC within one command
(xCAT-server/lib/perl/xCAT/PPC.pm `process_command`, lines 187-372), so the plan never runs two
of them on one HMC at once; `nimnodeset` runs `nim -o bos_inst` one node after another
(xCAT-server/lib/xcat/plugins/aixinstall.pm `nimnodeset`, lines 598-1390); and the first one
defines NIM's `xcataixscript` when NIM has none (aixinstall.pm `prenimnodeset`, lines
8636-8730: `lsnim -l xcataixscript`, then `nim -Fo define -t script`, a failure fails the
whole command), so two first nimnodesets at once would race."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from benchmarks import expand, scenario
from benchmarks.worker import Counting, observe_and_plan
from xclone.cli.connect import logins_for
from xclone.plan.action import Action
from xclone.plan.document import Plan
from xclone.plan.graph import action_graph
from xclone.sim import Lab
from xclone.spec import load_spec
from xclone.transport.sim import SimTransport

N = 400
FANNED = ("getmacs", "rnetboot")


def _plan(where: Path, monkeypatch: pytest.MonkeyPatch, *, script: bool = False) -> Plan:
    built = scenario.build(N, where / "spec", latency=0, scale=0)
    for name, value in built.env.items():
        monkeypatch.setenv(name, value)
    if script:
        built.lab["management_node"]["nim"]["resources"]["xcataixscript"] = {
            "type": "script", "location": "/install/nim/scripts/xcataixscript"}
    lab = Lab.from_dict(built.lab, where / "state", source="batching")
    spec = load_spec(built.spec_path)
    return observe_and_plan(spec, Counting(SimTransport(lab, logins_for(spec))))


def _of(plan: Plan, kind: str) -> list[Action]:
    return [a for a in plan.actions if a.kind.value == kind]


def _system(node: str) -> int:
    """The synthetic lab's managed system of an LPAR: 40 LPARs per system, in name order."""
    return (int(node.removeprefix("lpar")) - 1) // scenario.PER_SYSTEM


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> Plan:
    with pytest.MonkeyPatch.context() as monkeypatch:
        return _plan(tmp_path_factory.mktemp("batching"), monkeypatch)


def test_each_batch_is_one_hmc_or_one_managed_system(plan: Plan) -> None:
    for kind in (*FANNED, "xcat2nim"):
        batches = _of(plan, kind)
        assert sorted(n for a in batches for n in a.nodes) == sorted(
            n for a in _of(plan, "nimnodeset") for n in a.nodes), kind
        assert {a.extra_value("hmc") for a in batches} == {"hmc001", "hmc002"}, kind
        for action in batches:
            assert len({_system(n) // scenario.SYSTEMS_PER_HMC for n in action.nodes}) == 1
    nimnodesets = _of(plan, "nimnodeset")
    assert len(nimnodesets) == 10
    for action in nimnodesets:
        assert len({_system(n) for n in action.nodes}) == 1 and action.extra_value("system")


def test_an_hmcs_first_half_of_systems_is_booted_before_the_rest_is_discovered(
        plan: Plan) -> None:
    graph = action_graph(plan.actions)
    for hmc, first in (("hmc001", {0, 1, 2, 3}), ("hmc002", {8})):
        mine = {k: [a for a in _of(plan, k) if a.extra_value("hmc") == hmc] for k in FANNED}
        boot = next(a for a in mine["rnetboot"] if a.extra_value("hmc_half") is None)
        assert {_system(n) for n in boot.nodes} == first
        for action in [a for k in FANNED for a in mine[k]]:
            second = action.extra_value("hmc_half") == "2"
            assert second == ({_system(n) for n in action.nodes}.isdisjoint(first)), action.id
            if second:
                assert boot.id in nx.ancestors(graph, action.id), action.id


def test_an_hmc_never_runs_two_fanned_commands_at_once(plan: Plan) -> None:
    """Each pair of getmacs/rnetboot batches of one HMC is ordered by the graph."""
    graph = action_graph(plan.actions)
    fanned = [a for k in FANNED for a in _of(plan, k)]
    for one in fanned:
        for other in fanned:
            if one.id < other.id and one.extra_value("hmc") == other.extra_value("hmc"):
                assert nx.has_path(graph, one.id, other.id) or nx.has_path(
                    graph, other.id, one.id), (one.id, other.id)


def test_the_first_nimnodeset_runs_alone_while_nim_lacks_xcataixscript(
        plan: Plan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    graph = action_graph(plan.actions)
    nimnodesets = _of(plan, "nimnodeset")
    first = min(nimnodesets, key=lambda a: str(a.extra_value("system")))
    assert _system(first.nodes[0]) == 0
    assert all(first.id in nx.ancestors(graph, a.id) for a in nimnodesets if a is not first)
    with_script = _plan(tmp_path, monkeypatch, script=True)
    ids = {a.id for a in _of(with_script, "nimnodeset")}
    assert all(not ids & set(a.depends_on) for a in _of(with_script, "nimnodeset"))


def test_the_runbook_baseline_types_one_noderange_per_command(plan: Plan) -> None:
    """benchmarks/expand.py `merged`: the document's one getmacs, xcat2nim, nimnodeset and
    rnetboot for the group, in an order that keeps every dependency."""
    runbook = expand.runbook_noderanges(plan)
    for kind in (*FANNED, "xcat2nim", "nimnodeset"):
        (action,) = _of(runbook, kind)
        assert len(action.nodes) == N and not action.extra_value("hmc"), kind
    assert len(expand.per_resource(plan).actions) > N
