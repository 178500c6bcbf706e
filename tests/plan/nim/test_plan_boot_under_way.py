"""An armed install whose partition is already network-booting is waited for, never booted again
(issue 14: killed while `lpar_netboot` ran, the resumed plan booted the partition a second time).

The NIM driver reads each managed system's reference codes once (`lsrefcode -r lpar -m SYS -F
lpar_name,refcode`, HMC man page LSREFCODE). Partition firmware shows `CA00E17x` while it
reaches for the boot server and AIX shows its own four-character codes while it installs
(IBM, "(CAxx) Partition firmware progress codes"; AIX progress codes, docs/formats.md "HMC"):
such a code on a partition that is on means an earlier `lpar_netboot` got the boot going, and
firmware carries on without the command. Firmware's own start code `CA000000`, an off partition
(`00000000`) or none at all is no boot under way: the armed machine is booted as before.

The world is a snapshot (docs/snapshots.md: hand-edited outputs are supported) of the NIM lab
with both machines armed by hand, its HMC answers edited to the moment of the crash."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.apply.helpers import Scenario
from tests.plan.nim.helpers import CEC, HMC, MASTER, changes, commands, plan_doc

LPARS = f"lssyscfg -r lpar -m {CEC} -F "
REFCODES = f"lsrefcode -r lpar -m {CEC} -F lpar_name,refcode"
NETBOOT = "lpar_netboot -f -t ent"


def _armed_snapshot(tmp_path: Path) -> Scenario:
    """Every command of the fresh plan run by hand up to the boots (frozen clock): both
    machines "BOS installation has been enabled", then the observation saved."""
    nim = Scenario(tmp_path, clock={"scale": 0}, lab_name="nim-lab.yaml",
                   spec_name="nim-cluster.yaml")
    for action in plan_doc(nim)["actions"]:
        if action["kind"] in ("rmvterm", "lpar-netboot", "wait-install"):
            continue
        result = nim.lab.execute(action["host"], action["command"], action["stdin"])
        assert result.exit_status == 0, (action["command"], result.stderr)
    assert "BOS installation has been enabled" in nim.lab.execute(
        MASTER, "lsnim -l node01").stdout
    saved = nim.xclone("observe", str(nim.spec_file), "--lab", str(nim.lab_file), "--save",
                       str(nim.dir / "snap"))
    assert saved.exit_code == 0, saved.output
    return nim


def _at_crash(nim: Scenario, state: str, code: str) -> Path:
    """The snapshot with node01 in `state` showing `code` (the other partitions as seen)."""
    path = nim.dir / "snap" / "snapshot.json"
    doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    for entry in doc["entries"]:
        if entry["command"].startswith(LPARS):
            rows = [line.split(",") for line in entry["stdout"].splitlines()]
            for row in rows:
                if row[0] == "node01":
                    row[2] = state
            entry["stdout"] = "".join(",".join(row) + "\n" for row in rows)
        if entry["command"] == REFCODES:
            entry["stdout"] = "".join(
                f"{line.split(',')[0]},{code if line.startswith('node01,') else ''}\n"
                for line in entry["stdout"].splitlines())
    edited = nim.dir / f"snap-{state.replace(' ', '-')}-{code}.json"
    edited.write_text(json.dumps(doc), encoding="utf-8")
    return edited


def _planned(nim: Scenario, snapshot: Path) -> dict[str, Any]:
    result = nim.xclone("plan", str(nim.spec_file), "--snapshot", str(snapshot),
                        "--format", "json")
    assert result.exit_code == 0, result.output
    doc: dict[str, Any] = json.loads(result.stdout)
    return doc


@pytest.fixture(scope="module")
def armed(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    return _armed_snapshot(tmp_path_factory.mktemp("armed"))


def test_the_observation_reads_the_reference_codes_once_per_system(armed: Scenario) -> None:
    entries = json.loads((armed.dir / "snap" / "snapshot.json").read_text())["entries"]
    assert [e["command"] for e in entries].count(REFCODES) == 1
    assert [e["host"] for e in entries if e["command"] == REFCODES] == [HMC]


@pytest.mark.parametrize(("state", "code"), [
    ("Open Firmware", "CA00E175"),  # firmware's BOOTP request
    ("Starting", "CA00E174"),       # firmware reaching the boot server
    ("Running", "0610"),            # AIX mounting the SPOT over NFS
])
def test_an_armed_machine_whose_partition_shows_a_boot_code_is_only_waited_for(
        armed: Scenario, state: str, code: str) -> None:
    doc = _planned(armed, _at_crash(armed, state, code))
    shown = commands(doc)
    assert not [c for c in shown if NETBOOT in c and " node01 " in c], shown
    assert [c for c in shown if NETBOOT in c and " node02 " in c], shown  # still to boot
    assert not [a for a in doc["actions"] if a["kind"] == "rmvterm" and "node01" in a["nodes"]]
    waits = [a for a in doc["actions"] if a["kind"] == "wait-install"]
    assert any("node01" in a["nodes"] for a in waits)
    node01 = next(c for c in doc["resource_changes"] if c["address"] == "lpar.node01")
    assert node01["change"]["actions"] == ["update"]
    assert f"network boot under way (reference code {code})" in json.dumps(node01)
    assert changes(doc)["lpar.node02"] == ["update"]


@pytest.mark.parametrize(("state", "code"), [
    ("Not Activated", "00000000"),  # off
    ("Open Firmware", "CA000000"),  # idle in firmware: no network boot started
    ("Running", ""),                # a running AIX (blank code)
])
def test_an_armed_machine_with_no_boot_under_way_is_booted(armed: Scenario, state: str,
                                                           code: str) -> None:
    shown = commands(_planned(armed, _at_crash(armed, state, code)))
    assert [c for c in shown if NETBOOT in c and " node01 " in c], shown
    assert [c for c in shown if NETBOOT in c and " node02 " in c], shown
