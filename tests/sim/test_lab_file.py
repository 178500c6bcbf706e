"""Bad lab files get one clear error naming file, line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sim.conftest import SEED_LAB
from xclone.sim import Lab, LabError


def errors(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LabError) as caught:
        Lab.init(path, tmp_path / "state")
    return [d.format() for d in caught.value.diagnostics]


def test_malformed_yaml(tmp_path: Path) -> None:
    found = errors(tmp_path, "management_node:\n  name: [xcataixmn\n")
    assert len(found) == 1 and found[0].startswith(f"{tmp_path / 'bad.yaml'}:3:")
    assert "YAML syntax error" in found[0]


def test_duplicate_lpar_id_on_one_managed_system(tmp_path: Path) -> None:
    text = SEED_LAB.read_text(encoding="utf-8").replace("id: 9\n", "id: 7\n")
    found = errors(tmp_path, text)
    line = text.splitlines().index("          node01:") + 1
    assert found == [f"{tmp_path / 'bad.yaml'}:{line}:11: LPAR id 7 of 'node01' is already used "
                     "by 'node02' on managed system 'Server-9117-MMA-SN10F6F3D'"]


def test_fault_naming_an_unknown_command(tmp_path: Path) -> None:
    text = SEED_LAB.read_text(encoding="utf-8") + "faults:\n  - {command: frobnicate}\n"
    found = errors(tmp_path, text)
    line = len(text.splitlines())
    assert len(found) == 1
    assert found[0].startswith(f"{tmp_path / 'bad.yaml'}:{line}:")
    assert "unknown command 'frobnicate'" in found[0]


def test_several_problems_are_reported_together(tmp_path: Path) -> None:
    text = ("management_node: {name: mn, ip: 10.0.0}\nmanagement_node: {}\n")
    assert errors(tmp_path, text) == [f"{tmp_path / 'bad.yaml'}:2:1: duplicate key "
                                      "'management_node' (first defined at line 1)"]
    found = errors(tmp_path, "colour: blue\nmanagement_node: {name: mn, ip: 10.0.0}\n"
                             "hmcs: {h1: {systems: {s1: {lpars: {a: {id: 1, "
                             "state: Sleeping}}}}}}\n")
    assert any(":1:1: unknown key 'colour'" in f for f in found)
    assert any("is not an IPv4 address" in f for f in found)
    assert any("unknown LPAR state 'Sleeping'" in f for f in found)


def test_missing_lab_file_and_world(tmp_path: Path) -> None:
    with pytest.raises(LabError, match="cannot read lab file"):
        Lab.init(tmp_path / "nope.yaml", tmp_path / "state")
    with pytest.raises(LabError, match="no lab world here"):
        Lab.open(tmp_path / "state")


def test_for_file_reseeds_when_the_file_changes(tmp_path: Path) -> None:
    path = tmp_path / "seed.yaml"
    path.write_text(SEED_LAB.read_text(encoding="utf-8"), encoding="utf-8")
    lab = Lab.for_file(path, tmp_path / "root")
    assert lab.state_dir == tmp_path / "root" / "seed"
    lab.execute("xcataixmn", "mkdir /tmp/marker")
    assert Lab.for_file(path, tmp_path / "root").execute(
        "xcataixmn", "ls /tmp").stdout == "marker\n"
    path.write_text(path.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert Lab.for_file(path, tmp_path / "root").execute(
        "xcataixmn", "ls /tmp").stdout == ""
    assert Lab.open(tmp_path / "root" / "seed").hostnames()["hmc01"] == "hmc"
