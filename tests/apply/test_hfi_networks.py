"""The xCAT network of LPARs that install over HFI (issue 15 item 7, Power 775), through the
real CLI against the lab.

Facts (xCAT 2.9.2): rnetboot and getmacs -D give lpar_netboot `-t hfi-ent` only when the node's
network has an `mgtifname` containing `hf`, else `-t ent` (perl-xCAT/xCAT/FSPboot.pm line 130,
PPCboot.pm line 283, FSPmac.pm line 119, PPCmac.pm line 342); with `ent`, LparNetbootExp.pm
lists Ethernet devices and skips `hfi-ethernet` ones (lines 562-566), so an HFI-only partition
has no adapter to boot ("No network adapters found", printed only with `-V`; without it the
node's line carries no text, FSPboot.pm lines 150-200). `mgtifname` is "the interface name of
the management/service node facing this network" (Schema.pm networks table); compute nodes boot
from hf0 (xCAT/postscripts/confighfi).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.apply.helpers import Scenario
from tests.plan.nim.helpers import edit_lab

CEC = "Server-9117-MMA-SN10F6F3D"
HFI_MAC = "020002000004"


def _hfi_lab(lab: dict[str, Any]) -> None:
    """node01 is a P775 compute LPAR: its only adapter is an HFI one."""
    lab["hmcs"]["hmc01"]["systems"][CEC]["lpars"]["node01"]["adapters"] = [{
        "slot": 2, "mac": HFI_MAC, "type": "hfi-ent",
        "path": "/hfi-iohub@300000000000002/hfi-ethernet@10",
        "location": "U78A9.001.1122233-P1-T9"}]


def _hfi(tmp_path: Path) -> Scenario:
    """node01 installs over HFI on net1, alone (node02 is left out of the spec)."""
    seed = Scenario(tmp_path)
    edit_lab(seed, _hfi_lab)
    seed.set_lpar("node01", install_adapter="hfi")
    seed.set_lpar("node02", state="absent")
    return seed


def _change(planned: str, address: str) -> dict[str, Any]:
    return next(c for c in json.loads(planned)["resource_changes"] if c["address"] == address)


def _command(planned: str, kind: str) -> str:
    return next(str(a["command"]) for a in json.loads(planned)["actions"] if a["kind"] == kind)


def test_the_network_of_an_hfi_install_names_the_hfi_interface_and_the_node_installs(
        tmp_path: Path) -> None:
    seed = _hfi(tmp_path)
    planned = seed.plan("--format", "json")
    assert planned.exit_code == 0, planned.output
    assert "mgtifname=hf0" in _command(planned.stdout, "mkdef-network")
    assert _change(planned.stdout, "network.net1")["change"]["after"]["mgtifname"] == "hf0"
    applied = seed.apply()
    assert applied.exit_code == 0, applied.output
    assert seed.mn("lsdef -t network -o net1 -i mgtifname -c")[1] == "net1: mgtifname=hf0\n"
    assert "node01: status=booted" in seed.mn("lsdef -t node -o node01 -i status -c")[1]
    assert seed.plan("--detailed-exitcode").exit_code == 0


def test_an_ethernet_only_network_gets_no_mgtifname(tmp_path: Path) -> None:
    planned = Scenario(tmp_path).plan("--format", "json")
    assert planned.exit_code == 0, planned.output
    assert "mgtifname" not in _command(planned.stdout, "mkdef-network")


def test_drift_of_mgtifname_is_a_change_and_another_hfi_interface_is_kept(tmp_path: Path) -> None:
    seed = _hfi(tmp_path)
    assert seed.converge().exit_code == 0
    assert seed.mn("chdef -t network -o net1 mgtifname=en0")[0] == 0
    planned = seed.plan("--format", "json", "--detailed-exitcode")
    assert planned.exit_code == 2, planned.output
    assert _command(planned.stdout, "chdef-network").endswith(
        "chdef -t network -o net1 mgtifname=hf0")
    diffs = _change(planned.stdout, "network.net1")["change"]
    assert (diffs["before"]["mgtifname"], diffs["after"]["mgtifname"]) == ("en0", "hf0")
    assert seed.apply().exit_code == 0
    assert seed.mn("chdef -t network -o net1 mgtifname=hf1")[0] == 0
    assert seed.plan("--detailed-exitcode").exit_code == 0  # xCAT only looks for `hf`


def test_hfi_and_ethernet_installs_on_one_network_are_a_plan_error(tmp_path: Path) -> None:
    seed = _hfi(tmp_path)
    seed.set_lpar("node02", state="installed")
    planned = seed.plan()
    assert planned.exit_code == 1
    assert "node01 install over HFI and node02 over Ethernet on the same network" \
        in planned.output
    assert "put the HFI LPARs on a network of their own" in planned.output
    assert "Traceback" not in planned.output


def test_the_lab_refuses_an_hfi_rnetboot_without_an_hfi_mgtifname(tmp_path: Path) -> None:
    """As xCAT: the node's line carries no text and rnetboot exits 1; with -V the expect
    script's own lines say why, once per try."""
    seed = _hfi(tmp_path)
    assert seed.converge().exit_code == 0
    assert seed.mn("chdef -t network -o net1 mgtifname=")[0] == 0
    assert seed.mn("nimnodeset -f -i 610sysb node01")[0] == 0
    status, out, _ = seed.mn("rnetboot node01")
    assert (status, out) == (1, "node01: \n")
    status, out, _ = seed.mn("rnetboot -V node01")
    assert status == 1
    assert out.count("No network adapters found\n") == 6
    assert out.count("Unable to obtain network adapter information.  Quitting.\n") == 2
    assert out.endswith("node01: \n")
    assert seed.mn("chdef -t network -o net1 mgtifname=hf0")[0] == 0
    status, out, _ = seed.mn("rnetboot node01")
    assert (status, out) == (0, "node01: Success\n")
