"""The NIM master's observed interfaces against `management_node.addresses`, both drivers,
through the real CLI. An `if2` that `lsnim -l master` shows on a spec network the spec gives
the master no address on means the spec and the cluster disagree on how the master reaches
that network: NIM (and xCAT 2.9.2 xcat2nim.pm mkNIMnetwork, which looks for the master's
interface before adding a route) serves it through the interface, so a planned route would
never be made. The plan fails, names the spec line to add and the interface to remove, and
changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.apply.helpers import Scenario
from tests.plan.nim.helpers import edit_lab, plan_error

DEFINE = "nim -o define -t ent -a net_addr=10.0.0.0 -a snm=255.255.255.0 clstr_net"
IF2 = "nim -o change -a if2='clstr_net {host} 0' -a cable_type2=N/A master"


def _run(seed: Scenario, command: str) -> None:
    status, out, err = seed.mn(command)
    assert status == 0, (out, err)


def _interface_on_net2(seed: Scenario, host: str) -> None:
    """The administrator defined net2's subnet in NIM by another name and gave the master an
    interface on it."""
    _run(seed, DEFINE)
    _run(seed, IF2.format(host=host))


def _assert_error(output: str, host: str) -> None:
    assert "network.net2" in output
    assert "if2 (clstr_net " in output
    assert f"management_node.addresses.net2: <the address of {host}>" in output
    assert "nim -o change -a if2= master" in output


@pytest.fixture
def two(tmp_path: Path) -> Scenario:
    return Scenario(tmp_path, lab_name="two-subnet-lab.yaml",
                    spec_name="two-subnet-cluster.yaml")


@pytest.fixture
def nim(tmp_path: Path) -> Scenario:
    return Scenario(tmp_path, lab_name="nim-lab.yaml", spec_name="nim-cluster.yaml")


def test_xcat_master_interface_on_an_unlisted_network_is_a_plan_error(two: Scenario) -> None:
    two.spec_data["management_node"].pop("addresses")
    two.write_spec()
    _interface_on_net2(two, "xcataixmn-en1")
    _assert_error(plan_error(two), "xcataixmn-en1")
    result = two.apply()
    assert result.exit_code == 1 and "Traceback" not in result.output
    status, out, _ = two.mn("lsnim -l master")
    assert status == 0 and "if3" not in out and "net2" not in out


def test_xcat_master_interface_on_a_listed_network_plans(two: Scenario) -> None:
    """The spec lists the master's address on net2 (the example does): no error."""
    _interface_on_net2(two, "xcataixmn-en1")
    result = two.plan()
    assert result.exit_code == 0, result.output


def test_nim_master_interface_on_an_unlisted_network_is_a_plan_error(nim: Scenario) -> None:
    def hosts(data: dict[str, Any]) -> None:
        data["management_node"]["files"]["/etc/hosts"] += "10.0.0.1 nimmaster-en1\n"
    edit_lab(nim, hosts)
    nim.spec_data["networks"]["net2"] = {"net": "10.0.0.0", "mask": "255.255.255.0",
                                         "gateway": "10.0.0.247"}
    nim.set_lpar("node01", ip="10.0.0.30", network="net2")
    _interface_on_net2(nim, "nimmaster-en1")
    _assert_error(plan_error(nim), "nimmaster-en1")
    nim.spec_data["management_node"]["addresses"] = {"net2": "10.0.0.1"}
    nim.write_spec()
    result = nim.plan()
    assert result.exit_code == 0, result.output
