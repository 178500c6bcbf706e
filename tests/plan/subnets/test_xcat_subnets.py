"""Several cluster subnets under driver: xcat, through the real CLI on the two-subnet example
(specs/examples/two-subnet-cluster.yaml on two-subnet-lab.yaml: node01 on net2, 10.0.0.0/24).

`xcat2nim -t network` already does the runbook's second and third steps (xCAT 2.9.2
xcat2nim.pm mkNIMnetwork, lines 1493-1650): after defining the network it gives the master an
interface `if<N>` when the management node has an address in the subnet (`ifconfig -a`), else a
route `routing<N>='NET <master_net's default gateway> <NET's gateway>'` on the master's network.
So the plan shows which one from the spec (`management_node.addresses`), and cleanup removes it
with the network, leaving the master's attributes as they were."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.apply.helpers import Scenario
from tests.plan.nim.helpers import edit_lab


def _attrs(seed: Scenario, name: str) -> dict[str, str]:
    status, out, _ = seed.mn(f"lsnim -l {name}")
    assert status == 0, out
    found: dict[str, str] = {}
    for line in out.splitlines()[1:]:
        key, _, value = line.partition("=")
        found[key.strip()] = value.strip()
    return found


def _net2_after(seed: Scenario) -> dict[str, Any]:
    result = seed.plan("--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    change = next(c for c in doc["resource_changes"] if c["address"] == "network.net2")
    after: dict[str, Any] = change["change"]["after"]
    return after


def _converges_and_cleans_up(seed: Scenario) -> None:
    master, master_net = _attrs(seed, "master"), _attrs(seed, "master_net")
    result = seed.apply()
    assert result.exit_code == 0, result.output
    again = seed.plan("--detailed-exitcode")
    assert again.exit_code == 0, again.output
    gone = seed.xclone("destroy", str(seed.spec_file), "--lab", str(seed.lab_file),
                         "--auto-approve")
    assert gone.exit_code == 0, gone.output
    assert (_attrs(seed, "master"), _attrs(seed, "master_net")) == (master, master_net)
    assert seed.mn("lsnim -l net2")[0] != 0


def _master_on_net1_only(seed: Scenario) -> None:
    """No address of the management node on net2, in the spec or in the lab."""
    def one_subnet(data: dict[str, Any]) -> None:
        files = data["management_node"]["files"]
        files["/etc/hosts"] = files["/etc/hosts"].replace("10.0.0.1 xcataixmn-en1\n", "")
    edit_lab(seed, one_subnet)
    seed.spec_data["management_node"].pop("addresses")
    seed.write_spec()


@pytest.fixture
def two(tmp_path: Path) -> Scenario:
    return Scenario(tmp_path, lab_name="two-subnet-lab.yaml",
                    spec_name="two-subnet-cluster.yaml")


def test_master_on_both_subnets_gets_an_interface_from_xcat2nim(two: Scenario) -> None:
    assert _net2_after(two)["master_interface"] == "master if2=net2 <name of 10.0.0.1> 0"
    result = two.apply()
    assert result.exit_code == 0, result.output
    master = _attrs(two, "master")
    assert (master["if2"], master["cable_type2"]) == ("net2 xcataixmn-en1 0", "N/A")
    assert "routing2" not in _attrs(two, "master_net")


def test_master_on_both_converges_and_cleanup_restores_the_master(two: Scenario) -> None:
    _converges_and_cleans_up(two)


def test_master_on_one_subnet_is_routed_to_the_other(two: Scenario) -> None:
    """Without the management node's address on net2 (spec and lab), xcat2nim adds a route on
    master_net through its default gateway to net2's gateway; cleanup removes that route."""
    _master_on_net1_only(two)
    assert _net2_after(two)["master_route"] == \
        "master_net routing2=net2 9.114.113.254 10.0.0.247"
    before = _attrs(two, "master")
    result = two.apply()
    assert result.exit_code == 0, result.output
    assert _attrs(two, "master_net")["routing2"] == "net2 9.114.113.254 10.0.0.247"
    assert _attrs(two, "master") == before


def test_master_on_one_subnet_converges_and_cleanup_removes_the_route(two: Scenario) -> None:
    _master_on_net1_only(two)
    _converges_and_cleans_up(two)
