"""What a NIM driver's per-LPAR command reads of a 200-LPAR NIM-only lab (issue 16): its own
objects by name, never a whole table or a managed system's 40 partitions; /etc/hosts parsed once
per process for each content it had. Counts, never seconds. The answers are those of the full
reads (tests/sim/test_lab_hmc.py, test_lab_hosts.py, test_lab_nim_only.py)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from xclone.sim import Lab, store
from xclone.sim.generate import synthetic_lab
from xclone.sim.world import World
from xclone.sim.xcat import hw

MN, HMC = "xcataixmn", "hmc001"
SYSTEM = "Server-9117-MMA-SN1000001"


@pytest.fixture
def nim_lab(tmp_path: Path) -> Lab:
    return Lab.from_dict(synthetic_lab(200, nim_only=True), tmp_path / "state")


def _reads(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    read: Counter[str] = Counter()
    whole, group = store.Session.all, store.Session.group

    def counting_all(self: store.Session, kind: str) -> dict[str, Any]:
        read[kind] += 1
        return whole(self, kind)

    def counting_group(self: store.Session, kind: str, grp: str) -> dict[str, Any]:
        read[f"{kind} group"] += 1
        return group(self, kind, grp)

    monkeypatch.setattr(store.Session, "all", counting_all)
    monkeypatch.setattr(store.Session, "group", counting_group)
    return read


def test_lsnim_of_named_machines_reads_them_by_name(nim_lab: Lab,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    read = _reads(monkeypatch)
    result = nim_lab.execute(MN, "lsnim -l master nosuch")
    assert result.stdout.startswith("master:") and "0042-053" in result.stderr
    assert read["nim"] == 0


def test_rmvterm_of_a_named_partition_lists_no_partitions(
        nim_lab: Lab, monkeypatch: pytest.MonkeyPatch) -> None:
    read = _reads(monkeypatch)
    assert nim_lab.execute(HMC, f"rmvterm -m {SYSTEM} -p lpar00001").exit_status == 0
    missing = nim_lab.execute(HMC, f"rmvterm -m {SYSTEM} -p nosuch")
    assert "HSCL8012 The partition named nosuch was not found." in missing.stderr
    assert read["lpar group"] == 0


def test_the_hosts_table_is_parsed_once_per_content(nim_lab: Lab,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    hw._TABLES.clear()
    parsed: list[int] = []
    split = str.splitlines

    class Counting(str):
        def splitlines(self, keepends: bool = False) -> list[str]:
            parsed.append(1)
            return split(self, keepends)

    read = World.read
    monkeypatch.setattr(World, "read", lambda world, path: Counting(read(world, path)))
    for _ in range(3):
        nim_lab.execute(MN, "nimquery -a host=lpar00001")
    assert len(parsed) == 1
