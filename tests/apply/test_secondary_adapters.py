"""Secondary adapters (issue 15 item 8, the runbook's "Configuring_Secondary_Adapters"), through
the real CLI against the lab.

Facts (xCAT 2.9.2 perl-xCAT/xCAT/Schema.pm, nics table): per-interface values are written
`<nic>!<value>` in the table and as sub-attributes `nicips.<nic>`, `nictypes.<nic>`,
`nicnetworks.<nic>` by the object commands (chdef/lsdef); the primary IP stays in `ip`. The
`confignics` postscript (xCAT/postscripts/confignics) configures the listed interfaces.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.apply.helpers import Scenario

NET2 = {"net": "10.1.0.0", "mask": "255.255.255.0", "gateway": "10.1.0.254"}


def _with_en1(tmp_path: Path, ip: str = "10.1.0.30") -> Scenario:
    seed = Scenario(tmp_path)
    seed.write_spec(networks={**seed.spec_data["networks"], "net2": NET2})
    seed.set_lpar("node01", interfaces={"en1": {"network": "net2", "ip": ip}})
    return seed


def _nics(seed: Scenario) -> str:
    status, out, _ = seed.mn("lsdef -t node -o node01 -l")
    assert status == 0
    return out


def test_a_secondary_interface_becomes_nics_attributes_and_confignics(tmp_path: Path) -> None:
    seed = _with_en1(tmp_path)
    applied = seed.apply()
    assert applied.exit_code == 0, applied.output
    out = _nics(seed)
    assert "nicips.en1=10.1.0.30" in out and "nicnetworks.en1=net2" in out, out
    assert "nictypes.en1=Ethernet" in out
    assert ",foo,bar,confignics\n" in out  # after the site's xcatdefaults
    assert seed.plan("--detailed-exitcode").exit_code == 0


def test_changing_a_secondary_ip_is_an_in_place_update(tmp_path: Path) -> None:
    """A new address on en1 is a chdef of the node: `~`, no reinstall, no power action."""
    seed = _with_en1(tmp_path)
    assert seed.converge().exit_code == 0
    seed.set_lpar("node01", interfaces={"en1": {"network": "net2", "ip": "10.1.0.31"}})
    planned = seed.plan("--format", "json")
    assert planned.exit_code == 0, planned.output
    doc = json.loads(planned.stdout)
    change = next(c for c in doc["resource_changes"] if c["address"] == "lpar.node01")
    assert change["change"]["actions"] == ["update"]
    kinds = [a["kind"] for a in doc["actions"]]
    assert kinds == ["chdef"], kinds
    assert doc["actions"][0]["command"].endswith("chdef node01 nicips.en1=10.1.0.31")
    assert seed.apply().exit_code == 0
    assert "nicips.en1=10.1.0.31" in _nics(seed)
    assert seed.plan("--detailed-exitcode").exit_code == 0


def test_a_secondary_interface_outside_its_network_is_a_spec_error(tmp_path: Path) -> None:
    seed = _with_en1(tmp_path, ip="10.2.0.30")
    planned = seed.plan()
    assert planned.exit_code == 1
    assert "interfaces.en1: ip 10.2.0.30 is outside network net2 10.1.0.0/24" in planned.output
    seed.set_lpar("node01", interfaces={"en1": {"network": "net9", "ip": "10.1.0.30"}})
    planned = seed.plan()
    assert planned.exit_code == 1
    assert "interfaces.en1: network 'net9' is not defined under networks" in planned.output
    assert "Traceback" not in planned.output


def test_an_interface_left_out_of_the_spec_is_removed_from_the_node(tmp_path: Path) -> None:
    seed = _with_en1(tmp_path)
    assert seed.converge().exit_code == 0
    seed.set_lpar("node01", interfaces={})
    planned = seed.plan("--format", "json")
    assert planned.exit_code == 0, planned.output
    chdef = next(a for a in json.loads(planned.stdout)["actions"] if a["kind"] == "chdef")
    assert "nicips.en1= " in chdef["command"] + " " and "postscripts=foo,bar" in chdef["command"]
    assert seed.apply().exit_code == 0
    out = _nics(seed)
    assert "nicips.en1" not in out and "nicnetworks.en1" not in out, out
    assert "confignics" not in out
    assert seed.plan("--detailed-exitcode").exit_code == 0
