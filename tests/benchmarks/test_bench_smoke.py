"""The benchmark suite at 10 LPARs on a very fast lab clock, so it cannot rot: counts, shapes and
files only, never timings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from benchmarks import expand, scenario
from benchmarks.__main__ import main
from benchmarks.critical import INSTALL
from benchmarks.model import Cluster, command_seconds, simulate
from benchmarks.suite import Settings, fit_line, run
from benchmarks.worker import observe_and_plan, open_scenario
from xclone.plan.document import Plan
from xclone.sim import choices
from xclone.sim.costs import OFF, REALISTIC, Costs

N = 10
FAST = 6_000.0  # simulated seconds per real second: a 38-minute install in 0.38 s (faster
# clocks shrink the 90-minute install timeout below what a busy 2-core machine can keep to)


@pytest.fixture
def plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Plan:
    for name in scenario.build(N, tmp_path / "env", latency=0, scale=0).env:
        monkeypatch.setenv(name, scenario.PASSWORD)
    _, spec, transport = open_scenario({"n": N, "latency": 0, "scale": 0, "workdir": str(tmp_path)})
    return observe_and_plan(spec, transport)


def test_spec_matches_the_lab(tmp_path: Path) -> None:
    built = scenario.build(95, tmp_path, latency=0.05, scale=600)
    assert (built.hmcs, built.systems) == (1, 3)
    text = built.spec_path.read_text(encoding="utf-8")
    assert text.count("  - names: ") == 3
    assert "password: {env: HMC001_PASSWORD}" in text
    assert built.lab["clock"] == {"scale": 600}
    assert set(built.lab["latency"].values()) == {0.05}


def test_per_resource_has_one_command_per_node(plan: Plan) -> None:
    fine = expand.per_resource(plan)
    expected = sum(max(len(a.nodes), 1) for a in plan.actions)
    assert len(fine.actions) == expected
    assert all(len(a.nodes) <= 1 for a in fine.actions)
    ids = {a.id for a in fine.actions}
    assert all(dep in ids for a in fine.actions for dep in a.depends_on)
    stanzas = [a for a in fine.actions if a.stdin_parts]
    assert all(len(a.stdin_parts) == 1 for a in stanzas)


def test_runbook_is_one_chain_lpar_after_lpar(plan: Plan) -> None:
    chain = expand.runbook(plan).actions
    assert len(chain) == len(expand.per_resource(plan).actions)
    assert all(b.depends_on == (a.id,) for a, b in zip(chain, chain[1:], strict=False))
    lpars = [a.nodes[0] for a in chain if a.nodes and a.nodes[0].startswith("lpar")]
    assert lpars == sorted(lpars)  # each LPAR's steps together, in order
    assert [a.kind.value for a in chain].count("wait-install") == N


def _cluster(plan: Plan, costs: Costs) -> Cluster:
    hosts = {a.host for a in plan.actions}
    return Cluster({f"lpar{i:05d}": "hmc001.cluster.com" for i in range(1, N + 1)},
                   dict.fromkeys(hosts, 10), costs)


def test_critical_path_follows_the_slow_chain(plan: Plan) -> None:
    """Without costs the model's critical path is the seed chain: mksysb, nimnodeset, rnetboot
    and the install, in lab-clock seconds (deterministic)."""
    path = simulate(plan.actions, _cluster(plan, OFF))
    nimnodeset = choices.NIMNODESET_SECONDS + choices.NIMNODESET_PER_NODE_SECONDS * N
    assert path.seconds == choices.MKSYSB_SECONDS + nimnodeset + choices.RNETBOOT_SECONDS \
        + INSTALL


def test_realistic_costs_fan_rnetboot_out_four_per_hmc(plan: Plan) -> None:
    """xCAT forks rnetboot per LPAR, half of maxssh (4) per HMC at once (PPC.pm): ten LPARs on
    one HMC boot in three rounds, so the critical path grows by two more rnetboots, the 0.1 s
    forks, the commands' latency, and installs that start later."""
    bare = simulate(plan.actions, _cluster(plan, OFF)).seconds
    real = simulate(plan.actions, _cluster(plan, REALISTIC)).seconds
    assert real >= bare + 2 * choices.RNETBOOT_SECONDS
    rnetboot = next(a for a in plan.actions if a.kind.value == "rnetboot")
    seconds = command_seconds(rnetboot, _cluster(plan, REALISTIC)) \
        - choices.COST_LATENCY["rnetboot"]
    assert 3 * choices.RNETBOOT_SECONDS < seconds < 3 * choices.RNETBOOT_SECONDS + 10 * 0.1


def test_limits_make_the_schedule_longer_than_the_path(plan: Plan) -> None:
    """One session on the management node serialises the per-LPAR steps: the modelled
    schedule is longer than the dependency-only critical path."""
    fine = expand.per_resource(plan)
    cluster = _cluster(plan, REALISTIC)
    one = Cluster(cluster.hmc_of, dict.fromkeys(cluster.sessions, 1), REALISTIC)
    assert simulate(fine.actions, one, parallelism=1, limited=True).seconds > \
        simulate(fine.actions, one).seconds


def test_blocking_runs_ten_lpars_at_a_time(plan: Plan) -> None:
    blocked = expand.blocking(plan, parallelism=3).actions
    by_id = {a.id: a for a in blocked}
    firsts = [a for a in blocked if a.kind.value == "mkdef-z" and len(a.nodes) == 1
              and a.nodes[0].startswith("lpar")]
    assert len(firsts) == N
    for number, first in enumerate(firsts):
        lpar_deps = [by_id[d] for d in first.depends_on if by_id[d].nodes
                     and by_id[d].nodes[0].startswith("lpar")]
        if number < 3:
            assert lpar_deps == []
        else:
            assert [(d.kind.value, d.nodes) for d in lpar_deps] == [
                ("wait-install", (f"lpar{number - 2:05d}",))]


def test_nim_bos_inst_on_one_machine_group(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The NIM runbook arms every install with one bos_inst on a mac_group instead of one per
    machine; everything else stays one command per object."""
    for name in scenario.build(N, tmp_path / "env", latency=0, scale=0).env:
        monkeypatch.setenv(name, scenario.PASSWORD)
    _, spec, transport = open_scenario({"n": N, "latency": 0, "scale": 0, "driver": "nim",
                                        "workdir": str(tmp_path)})
    nim = observe_and_plan(spec, transport)
    chain = expand.runbook_noderanges(nim).actions
    kinds = [a.kind.value for a in chain]
    assert kinds.count("nim-bos-inst") == 1
    group = next(a for a in chain if a.before[:5] == ("nim", "-o", "define", "-t", "mac_group"))
    assert group.before.count("-a") == N
    assert kinds.count("lpar-netboot") == N
    assert len(chain) == len(nim.actions) - N + 2


def test_fit_line_recovers_fixed_and_per_node_cost() -> None:
    assert fit_line([(1, 12.0), (2, 17.0), (4, 27.0)]) == pytest.approx((7.0, 5.0))


def _counts(results: dict[str, Any], key: str, n: int) -> dict[str, Any]:
    rows: list[dict[str, Any]] = results["apply"][key][str(n)]
    assert len(rows) == 1
    return rows[0]


@pytest.mark.slow
def test_the_suite_end_to_end_at_ten_lpars(tmp_path: Path) -> None:
    """Every variant of both drivers runs to convergence; the report, its matplotlib charts and
    a redraw from results.json come out (counts and files only)."""
    settings = Settings(sizes=(N,), apply_sizes=(N,), runbook_sizes=(1, 2),
                        blocking_sizes=(N, 2 * N), runs=1, latency=0.0, scale=FAST,
                        out=tmp_path / "out", masters_lpars=N, masters=(1,),
                        process_sizes=(N,), sshd=False)
    from benchmarks.report import write_all

    written = write_all(run(settings))
    names = sorted(p.name for p in written)
    assert names == ["REPORT.md", "apply_time.png", "commands.png", "plan_time.png",
                     "realtime.png", "results.json"]
    for png in (p for p in written if p.suffix == ".png"):
        assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    results = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    observed = results["plan"][str(N)][0]
    assert (observed["observe_commands"], observed["observe_mn_commands"]) == (8, 6)
    for driver in ("xcat", "nim"):
        mine = _counts(results, f"{driver}/xclone", N)
        per = _counts(results, f"{driver}/per-resource", N)
        by_hand = _counts(results, f"{driver}/runbook-noderanges", N)
        assert mine["converged"] and per["converged"] and by_hand["converged"]
        # xclone runs with every session its spec gives (the MN's 10, 8 per HMC), the
        # Terraform-like variants at Terraform's default 10
        assert (mine["parallelism"], per["parallelism"]) == (10 + 8 * observed["hmcs"], 10)
        for n in (N, 2 * N):
            blocked = _counts(results, f"{driver}/blocking", n)
            assert blocked["converged"], blocked["failures"]
        for n in (1, 2):
            assert _counts(results, f"{driver}/runbook-node", n)["converged"]
        changes = mine["commands"] - mine["reads"]
        # NIM takes one machine per command: only the xCAT driver's noderanges save commands
        assert per["commands"] - per["reads"] >= changes
    assert _counts(results, "xcat/per-resource", N)["actions"] > \
        _counts(results, "xcat/xclone", N)["actions"]
    xcat = _counts(results, "xcat/xclone", N)
    assert xcat["commands"] - xcat["reads"] >= xcat["actions"] - 1  # every command ran
    assert _counts(results, "xcat/runbook-noderanges", N)["actions"] == xcat["actions"]
    report = (tmp_path / "out" / "REPORT.md").read_text(encoding="utf-8")
    assert "| Observation commands independent of N (xCAT driver, counted) |" in report
    assert "(extrapolated)" in report
    assert report.count("![") == 4
    assert [(r["driver"], r["n"], r["masters"]) for r in results["masters"]] == [
        ("xcat", N, 1), ("nim", N, 1)]
    assert "| xCAT driver: 10 LPARs on 1 install servers within 1.25x of the" in report
    assert "## Several install servers (issue 17)" in report
    assert "| NIM driver: 10 LPARs on 1 masters within 1.25x of the bandwidth-bound limit" in report
    again = tmp_path / "again"
    assert main(["report", "--results", str(tmp_path / "out" / "results.json"),
                 "--out", str(again)]) == 0
    assert (again / "REPORT.md").read_text(encoding="utf-8") == report


def test_bad_sizes_are_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["run", "--sizes", "ten"])
    assert stop.value.code == 2
    assert "not a list of sizes" in capsys.readouterr().err
