"""Several cluster subnets under driver: nim, through the real CLI on the NIM lab: node01 moves
to a second subnet, net2 (10.0.0.0/24, gateway 10.0.0.247). The runbook's NIM network
procedure (docs/runbook-mapping.md "Several subnets"): define the network, then give the master
an interface on it (`nim -o change -a if2='clstr_net xcataixmn 0' -a cable_type2=N/A master`,
the next free index) when it is connected to it, else a route to the master's network
(`nim -o change -a routing2='master_net 10.0.0.247 8.124.37.24' clstr_net`: IBM AIX "Defining
NIM routes": destination network, the gateway towards it, the destination's gateway back).
Cleanup removes only what xclone added (an attribute set to nothing is removed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.apply.helpers import Scenario
from tests.plan.nim.helpers import apply, commands, edit_lab, ok, plan_doc, plan_error

NET2 = {"net": "10.0.0.0", "mask": "255.255.255.0", "gateway": "10.0.0.247"}
IF2 = "nimmaster: LC_ALL=C nim -o change -a 'if2=net2 nimmaster-en1 0' -a cable_type2=N/A master"
ROUTE = ("nimmaster: LC_ALL=C nim -o change -a 'routing2=master_net 10.0.0.247 9.114.113.254' "
         "net2")


def _two_subnets(seed: Scenario, *, master_on_net2: bool, **net2: Any) -> None:
    """node01 on net2; with `master_on_net2`, the master has 10.0.0.1 there (/etc/hosts names
    it nimmaster-en1)."""
    def hosts(data: dict[str, Any]) -> None:
        files = data["management_node"]["files"]
        files["/etc/hosts"] += "10.0.0.1 nimmaster-en1\n"
    edit_lab(seed, hosts)
    seed.spec_data["networks"]["net2"] = {**NET2, **net2}
    if master_on_net2:
        seed.spec_data["management_node"]["addresses"] = {"net2": "10.0.0.1"}
    seed.set_lpar("node01", ip="10.0.0.30", network="net2")


def _attrs(seed: Scenario, name: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in ok(seed, f"lsnim -l {name}").splitlines()[1:]:
        key, _, value = line.partition("=")
        found[key.strip()] = value.strip()
    return found


def _define_index(cmds: list[str], wanted: str) -> int:
    return next(i for i, c in enumerate(cmds) if wanted in c)


@pytest.fixture
def nim(tmp_path: Path) -> Scenario:
    return Scenario(tmp_path, lab_name="nim-lab.yaml", spec_name="nim-cluster.yaml")


def test_master_on_both_gets_an_interface_then_the_machine_is_defined(nim: Scenario) -> None:
    """The master's address on net2 is given: its interface there at the next free index (if2,
    named as /etc/hosts names that address), after the network, before node01's machine."""
    _two_subnets(nim, master_on_net2=True)
    doc = plan_doc(nim)
    cmds = commands(doc)
    assert IF2 in cmds and not any("routing2" in c for c in cmds)
    by_command = {f"{a['host']}: {a['command']}": a for a in doc["actions"]}
    define = next(a for c, a in by_command.items() if "-t ent" in c and c.endswith(" net2"))
    machine = next(a for c, a in by_command.items() if "-t standalone" in c and "node01" in c)
    assert define["id"] in by_command[IF2]["depends_on"]
    assert by_command[IF2]["id"] in machine["depends_on"]
    change = next(c for c in doc["resource_changes"] if c["address"] == "network.net2")
    assert change["change"]["after"]["if2"] == "net2 nimmaster-en1 0"


def test_master_on_both_applies_converges_and_cleanup_restores_the_master(
        nim: Scenario) -> None:
    _two_subnets(nim, master_on_net2=True)
    before = _attrs(nim, "master")
    apply(nim)
    assert _attrs(nim, "master")["if2"] == "net2 nimmaster-en1 0"
    assert _attrs(nim, "master")["cable_type2"] == "N/A"
    assert commands(plan_doc(nim)) == []
    result = nim.xclone("destroy", str(nim.spec_file), "--lab", str(nim.lab_file),
                        "--auto-approve")
    assert result.exit_code == 0, result.output
    assert _attrs(nim, "master") == before


def test_master_on_one_subnet_routes_to_the_other(nim: Scenario) -> None:
    """No address of the master on net2: a route on net2 back to master_net (routing2: the new
    network has routing1 = default 10.0.0.247), through net2's gateway and master_net's default
    gateway; it converges, and cleanup removes net2 with its route and leaves master_net as it
    was."""
    _two_subnets(nim, master_on_net2=False)
    cmds = commands(plan_doc(nim))
    assert ROUTE in cmds and IF2 not in cmds
    assert _define_index(cmds, " net2") < cmds.index(ROUTE)
    master_net, master = _attrs(nim, "master_net"), _attrs(nim, "master")
    apply(nim)
    assert _attrs(nim, "net2")["routing2"] == "master_net 10.0.0.247 9.114.113.254"
    assert commands(plan_doc(nim)) == []
    result = nim.xclone("destroy", str(nim.spec_file), "--lab", str(nim.lab_file),
                        "--auto-approve")
    assert result.exit_code == 0, result.output
    assert (_attrs(nim, "master_net"), _attrs(nim, "master")) == (master_net, master)
    assert nim.mn("lsnim -l net2")[0] != 0


def test_the_next_free_interface_index_is_taken(nim: Scenario) -> None:
    """An if2 the administrator gave the master already: xclone's interface is if3, and
    cleanup removes if3 only."""
    _two_subnets(nim, master_on_net2=True)
    ok(nim, "nim -o define -t ent -a net_addr=192.168.5.0 -a snm=255.255.255.0 backup_net")
    ok(nim, "nim -o change -a if2='backup_net nimmaster-bk 0' -a cable_type2=N/A master")
    cmds = commands(plan_doc(nim))
    assert ("nimmaster: LC_ALL=C nim -o change -a 'if3=net2 nimmaster-en1 0' -a "
            "cable_type3=N/A master") in cmds
    apply(nim)
    result = nim.xclone("destroy", str(nim.spec_file), "--lab", str(nim.lab_file),
                        "--auto-approve")
    assert result.exit_code == 0, result.output
    master = _attrs(nim, "master")
    assert master["if2"] == "backup_net nimmaster-bk 0" and "if3" not in master


def test_a_subnet_with_neither_interface_nor_route_is_a_plan_error(nim: Scenario) -> None:
    """net2 has no gateway and the spec gives no master address there: nothing is defined and
    the error says what to add."""
    _two_subnets(nim, master_on_net2=False)
    nim.spec_data["networks"]["net2"].pop("gateway")
    nim.write_spec()
    output = plan_error(nim)
    assert "network.net2" in output and "node01" in output
    assert "management_node.addresses" in output and "gateway" in output
    assert nim.mn("lsnim -l net2")[0] != 0
