"""`xclone observe` end to end through the real entry point, replaying a snapshot, plus the
spec-to-targets wiring the plan and apply commands share."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from xclone.cli.connect import logins_for, targets_for
from xclone.observed.probes import HmcTarget, Keep, ObservationTargets
from xclone.observed.snapshot import load_snapshot
from xclone.spec import load_spec

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "specs" / "examples" / "seed-cluster.yaml"
Outputs = Callable[[int], dict[tuple[str, str], tuple[int, str, str]]]


def _xclone(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xclone", *args], capture_output=True,
                          text=True, cwd=ROOT, check=False)


def _write_snapshot(directory: Path, outputs: dict[tuple[str, str], tuple[int, str, str]]) -> None:
    entries = [
        {"host": h, "command": c, "exit_status": rc, "stdout": out, "stderr": err}
        for (h, c), (rc, out, err) in outputs.items()
    ]
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "snapshot.json").write_text(json.dumps(
        {"format_version": 1, "taken_at": "2026-11-25T16:42:09+00:00", "entries": entries}))


def test_targets_and_logins_come_from_the_spec() -> None:
    spec = load_spec(SEED)
    assert targets_for(spec) == ObservationTargets(
        "xcataixmn", (HmcTarget("hmc01", "hmc01.cluster.com", ("Server-9117-MMA-SN10F6F3D",)),),
        mark="xclone:clustersite", timeout=600,
        keep=Keep(frozenset({"node01", "node02"}), frozenset({"610sysb"})),
        goldens=(("610sysb", "node27"),),
    )
    logins = logins_for(spec)
    assert logins["xcataixmn"].user == "root"
    hmc = logins["hmc01.cluster.com"]
    assert (hmc.user, hmc.port) == ("hscroot", 22)
    assert hmc.password is not None and hmc.password.env == "HMC01_PASSWORD"


@pytest.mark.slow
def test_observe_replays_a_snapshot_and_saves_it_again(
    tmp_path: Path, cluster_outputs: Outputs
) -> None:
    _write_snapshot(tmp_path / "in", cluster_outputs(3))
    done = _xclone("observe", str(SEED), "--snapshot", str(tmp_path / "in"),
                   "--save", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    summary = [line for line in done.stdout.splitlines() if line.startswith("Observed ")]
    assert len(summary) == 1
    assert summary[0].startswith(
        "Observed 2 hosts with 8 commands: 7 xCAT objects, 4 NIM objects, 2 managed systems, "
        "3 partitions."
    )
    assert summary[0].endswith(f"Snapshot saved to {tmp_path / 'out' / 'snapshot.json'}.")
    saved = load_snapshot(tmp_path / "out").entries
    assert saved == load_snapshot(tmp_path / "in").entries


@pytest.mark.slow
def test_a_snapshot_without_a_probe_is_a_clear_error(
    tmp_path: Path, cluster_outputs: Outputs
) -> None:
    outputs = cluster_outputs(1)
    del outputs[("xcataixmn", "LC_ALL=C lsnim -l")]
    _write_snapshot(tmp_path, outputs)
    done = _xclone("observe", str(SEED), "--snapshot", str(tmp_path))
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == (
        "Error: xcataixmn: snapshot has no output for: LC_ALL=C lsnim -l"
    )


@pytest.mark.slow
def test_a_failing_probe_is_one_message_not_a_traceback(
    tmp_path: Path, cluster_outputs: Outputs
) -> None:
    outputs = cluster_outputs(1)
    command = ("lssyscfg -r lpar -m Server-9117-MMA-SN10F6F3D -F "
               "name,lpar_id,state,curr_profile,default_profile,lpar_env,os_version")
    outputs[("hmc01.cluster.com", command)] = (1, "", "HSCL8018 The managed system was not found.")
    _write_snapshot(tmp_path, outputs)
    done = _xclone("observe", str(SEED), "--snapshot", str(tmp_path))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "hmc01.cluster.com" in done.stderr and "HSCL8018" in done.stderr


@pytest.mark.slow
def test_lab_and_snapshot_exclude_each_other(tmp_path: Path) -> None:
    lab = tmp_path / "lab.yaml"
    lab.write_text("{}\n")
    done = _xclone("observe", str(SEED), "--snapshot", str(tmp_path), "--lab", str(lab))
    assert done.returncode == 1
    assert "--lab and --snapshot exclude each other" in done.stderr
