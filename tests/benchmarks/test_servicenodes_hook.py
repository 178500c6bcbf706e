"""The xCAT service-node benchmark hook (benchmarks/servicenodes.py, issue 17) at a small size,
so it cannot rot: the spread lab and spec plan each SN's nodes in their own batches, and the
model charges the SN's first nimnodeset with the copy of the image (aixinstall.pm doSNcopy2
copies the mksysb and the SPOT to the SN). Counts and model figures only, never this machine's
seconds."""

from __future__ import annotations

from pathlib import Path

from benchmarks import masters, scenario, servicenodes

N = 640  # two HMCs, so two networks: the management node's and sn02's


def test_spread_serves_every_other_network_from_a_service_node() -> None:
    lab = scenario.lab_document(N, latency=0.0, scale=0, driver="xcat")
    text = scenario.spec_text(lab, driver="xcat")
    spread, spec = servicenodes.spread(lab, text, 2)
    assert spread["management_node"]["xcat"]["node"]["sn02"]["groups"] == "service,all"
    assert list(spread["nim_masters"]) == ["sn02"]
    assert "  sn02: {host: sn02, networks: [net002], addresses: {net002: 10.2.255.250}}\n" \
        in spec
    mn = "management_node: {host: xcataixmn, user: root, max_sessions: 64}"
    assert mn in spec  # xcatd's xcatmaxconnections, on every count of servers alike
    assert servicenodes.spread(lab, text, 1) == (lab, servicenodes.with_sessions(text, 64))
    assert mn in servicenodes.with_sessions(text, 64)


def test_the_model_charges_the_copy_and_splits_the_bandwidth(tmp_path: Path) -> None:
    """Two servers: each restores only its own half, so the bound shrinks; the SN's
    rolling window (max_installs 150) and the copy keep the modelled apply above it."""
    one = masters.modelled(N, 1, tmp_path / "one", "xcat")
    two = masters.modelled(N, 2, tmp_path / "two", "xcat")
    assert two.bound < one.bound
    assert one.ratio >= 1.0 and two.ratio >= 1.0
    assert two.critical > 0 and two.seconds >= two.critical
