"""`xclone observe` under `driver: nim` through the real CLI: the summary of the six probes'
answers, and a saved snapshot that plans exactly as the live lab does (CONTRACT §10: a snapshot
replays the observation it recorded, so CI can plan a NIM cluster without credentials)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.apply.helpers import Scenario


@pytest.fixture
def nim(tmp_path: Path) -> Scenario:
    return Scenario(tmp_path, lab_name="nim-lab.yaml", spec_name="nim-cluster.yaml")


def test_observe_reads_the_master_and_the_hmc_with_six_commands(nim: Scenario) -> None:
    result = nim.xclone("observe", str(nim.spec_file), "--lab", str(nim.lab_file))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        "Observed 2 hosts with 6 commands: 0 xCAT objects, 5 NIM objects, 1 managed system, "
        "3 partitions.")


def test_a_saved_snapshot_plans_as_the_live_lab(nim: Scenario) -> None:
    saved = nim.xclone("observe", str(nim.spec_file), "--lab", str(nim.lab_file), "--save",
                       str(nim.dir / "snap"))
    assert saved.exit_code == 0, saved.output
    entries = json.loads((nim.dir / "snap" / "snapshot.json").read_text())["entries"]
    assert {e["command"] for e in entries} >= {"LC_ALL=C cat /etc/hosts", (
        "lshwres -r virtualio --rsubtype eth --level lpar -m Server-9117-MMA-SN10F6F3D "
        "-F lpar_name,slot_num,mac_addr")}
    live = nim.plan("--format", "json")
    replayed = nim.xclone("plan", str(nim.spec_file), "--snapshot", str(nim.dir / "snap"),
                          "--format", "json")
    assert live.exit_code == 0 and replayed.exit_code == 0, replayed.output
    live_doc, snap_doc = json.loads(live.stdout), json.loads(replayed.stdout)
    live_doc.pop("source")
    snap_doc.pop("source")
    assert snap_doc == live_doc
    assert live_doc["actions"]  # the fresh lab still needs the whole procedure
