"""The several-masters benchmark hook (benchmarks/masters.py, issue 17) at a small size, so it
cannot rot: the spread spec and lab plan an install per master with the image copied to the
others, and the model puts each master's restores on its own network (counts and order only,
no timings of this machine)."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import masters, scenario

N = 640  # two HMCs, so two networks: one per master


@pytest.mark.slow  # two plans of 640 LPARs: about 20 s on two cores
def test_spread_plans_each_network_on_its_own_master(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    lab = scenario.lab_document(N, latency=0.0, scale=0, driver="nim")
    spread, spec = masters.spread(lab, scenario.spec_text(lab, driver="nim"), 2)
    assert list(spread["nim_masters"]) == ["nim02"]
    assert "install_servers:\n  nim02: {host: nim02, networks: [net002]}\n" in spec
    assert masters.spread(lab, "spec", 1) == (lab, "spec")
    one = masters.modelled(N, 1, tmp_path / "one")
    two = masters.modelled(N, 2, tmp_path / "two")
    # Twice the bandwidth: the critical path and the bound shrink; the copy is in the bound.
    assert two.critical < one.critical and two.bound < one.bound
    assert two.seconds <= one.seconds
    assert one.ratio >= 1.0 and two.ratio >= 1.0
