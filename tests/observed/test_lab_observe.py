"""Observation against the simulator: constant command count at any scale, and a snapshot that
replays to the same observation and the same plan as the live run it recorded."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.observed.helpers import Counting, hmc_login
from xclone.base.command import Command
from xclone.cli.connect import ConnectionOptions
from xclone.cli.planning import build_plan
from xclone.observed.canonical import digest_of
from xclone.observed.observe import observe
from xclone.observed.probes import HmcTarget, ObservationTargets
from xclone.observed.snapshot import load_snapshot, save_snapshot
from xclone.plan.document import to_json
from xclone.sim import Lab
from xclone.sim.generate import synthetic_lab_yaml
from xclone.transport.sim import SimTransport
from xclone.transport.snapshot import SnapshotTransport

ROOT = Path(__file__).resolve().parents[2]
SEED_SPEC = ROOT / "specs" / "examples" / "seed-cluster.yaml"
SEED_LAB = ROOT / "specs" / "examples" / "seed-lab.yaml"


def _lab_targets(lab: Lab) -> tuple[SimTransport, ObservationTargets, int]:
    """A transport into the lab, and targets naming every managed system of every HMC, as a spec
    placing LPARs on all of them would."""
    hmc_hosts = sorted({h for h, face in lab.hostnames().items()
                        if face == "hmc" and h.endswith(".cluster.com")})
    transport = SimTransport(lab, {h: hmc_login(h) for h in hmc_hosts})
    names = Command.of("lssyscfg", "-r", "sys", "-F", "name")
    systems = {h: tuple(transport.run(h, names).stdout.split())
               for h in hmc_hosts}
    targets = ObservationTargets("xcataixmn", tuple(
        HmcTarget(host.split(".")[0], host, systems[host]) for host in hmc_hosts
    ))
    return transport, targets, sum(len(s) for s in systems.values())


def _one_system_lab(tmp_path: Path, lpars: int) -> Lab:
    rows = "\n".join(f"          node{i:04d}: {{id: {i}}}" for i in range(1, lpars + 1))
    lab_file = tmp_path / f"lab{lpars}.yaml"
    lab_file.write_text(
        "version: 1\n"
        "management_node: {name: xcataixmn, hostnames: [xcataixmn], ip: 9.114.113.225}\n"
        "hmcs:\n"
        "  hmc01:\n"
        "    hostnames: [hmc01, hmc01.cluster.com]\n"
        "    password: abc123\n"
        "    systems:\n"
        "      Server-9117-MMA-SN10F6F3D:\n"
        "        type_model: 9117-MMA\n"
        "        serial: 10F6F3D\n"
        "        lpars:\n" + rows + "\n",
        encoding="utf-8",
    )
    return Lab.for_file(lab_file, state_root=tmp_path / "state")


@pytest.mark.parametrize("lpars", [10, 1000])
def test_same_commands_for_10_and_1000_lpars(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lpars: int
) -> None:
    monkeypatch.setenv("XCLONE_TEST_HMC_PASSWORD", "abc123")
    transport, targets, n_systems = _lab_targets(_one_system_lab(tmp_path, lpars))
    runner = Counting(transport)
    observation = observe(runner, targets)
    assert n_systems == 1
    assert len(runner.commands) == 8  # 6 on the MN + 1 HMC + 1 managed system
    parts = observation.observed.partitions[("hmc01", "Server-9117-MMA-SN10F6F3D")]
    assert len(parts) == lpars


def test_commands_grow_with_hmcs_and_systems_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XCLONE_TEST_HMC_PASSWORD", "abc123")
    lab_file = tmp_path / "lab.yaml"
    lab_file.write_text(synthetic_lab_yaml(1000, per_system=40), encoding="utf-8")
    lab = Lab.for_file(lab_file, state_root=tmp_path / "state")
    transport, targets, n_systems = _lab_targets(lab)
    runner = Counting(transport)
    observe(runner, targets)
    assert n_systems == 25 and len(targets.hmcs) == 4
    assert len(runner.commands) == 6 + 4 + 25


def test_snapshot_replays_to_the_same_plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HMC01_PASSWORD", "abc123")
    monkeypatch.setenv("XCLONE_LAB_STATE", str(tmp_path / "state"))
    live = build_plan(SEED_SPEC, ConnectionOptions(lab=SEED_LAB))
    recorded = observe(live.transport, _seed_targets())
    save_snapshot(tmp_path / "snap", recorded.entries, datetime.now(UTC))
    entries = load_snapshot(tmp_path / "snap").entries
    replayed = observe(SnapshotTransport(entries), _seed_targets())
    assert digest_of(replayed.observed) == digest_of(recorded.observed)

    from_snapshot = build_plan(SEED_SPEC, ConnectionOptions(snapshot=tmp_path / "snap"))
    live_doc, snap_doc = to_json(live.plan), to_json(from_snapshot.plan)
    assert live_doc.pop("source") == "live"
    assert snap_doc.pop("source").startswith("snapshot")
    assert snap_doc == live_doc
    assert live_doc["actions"]  # the seed lab still needs the runbook


def _seed_targets() -> ObservationTargets:
    return ObservationTargets("xcataixmn", (
        HmcTarget("hmc01", "hmc01.cluster.com", ("Server-9117-MMA-SN10F6F3D",)),
    ))
