"""HFI adapters (Power 775) and the `-D` choice (issue 15 item 7), through the real CLI against
the lab.

Facts (xCAT 2.9.2): `getmacs -D` is the ping test, a power cycle through Open Firmware, and
writes the MAC of the first adapter whose ping field is `successful`, else of the first adapter
(perl-xCAT/xCAT/PPCmac.pm `writemac`; man getmacs(1): "If ping test performed, getmacs will
write the first successfully pinged MAC"); an HMC-managed LPAR's MAC needs it (getmacs(1), "The
option -D must be used"). A Power 775 node is managed directly through its FSP (DFM,
`mgt=fsp`) and plain `getmacs` reads its HFI MAC there without a reboot, as the table
`#Type  Phys_Port_Loc  MAC_Address ...` with `HFI` rows (FSPmac.pm `getmacs`, `lpar_hfi_mac`;
getmacs(1) example 6). The console path keeps `ent` and `hfi-ent` adapter lines (PPCmac.pm).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.apply.helpers import Scenario
from tests.drivers import NIM
from tests.plan.nim.helpers import edit_lab
from xclone.drivers.xcat.outcomes import node_outcomes

CEC = "Server-9117-MMA-SN10F6F3D"
HFI_MAC = "020002000004"


def _node01(lab: dict[str, Any]) -> dict[str, Any]:
    return lab["hmcs"]["hmc01"]["systems"][CEC]["lpars"]["node01"]  # type: ignore[no-any-return]


def _hfi(lab: dict[str, Any]) -> None:
    """node01 is a P775 compute LPAR: its only adapter is an HFI one."""
    _node01(lab)["adapters"] = [{
        "slot": 2, "mac": HFI_MAC, "type": "hfi-ent",
        "path": "/hfi-iohub@300000000000002/hfi-ethernet@10",
        "location": "U78A9.001.1122233-P1-T9"}]


def _getmacs(planned: str) -> dict[str, Any]:
    actions = json.loads(planned)["actions"]
    return next(a for a in actions if a["kind"] == "getmacs")


def test_an_hfi_node_reads_its_mac_with_plain_getmacs_and_installs(tmp_path: Path) -> None:
    """No ping test for an HFI compute node: plain getmacs, never destructive, even for a
    running LPAR; the node is a DFM node; the MAC xCAT keeps is the HFI adapter's, the install
    boots it, and the next plan is empty."""
    seed = Scenario(tmp_path)
    edit_lab(seed, _hfi)
    seed.set_lpar("node01", install_adapter="hfi")
    seed.set_lpar("node02", state="absent")  # net1 boots HFI only now (test_hfi_networks.py)
    planned = seed.plan("--format", "json")
    assert planned.exit_code == 0, planned.output
    getmacs = _getmacs(planned.stdout)
    assert getmacs["command"].endswith("getmacs node01"), getmacs["command"]
    assert not getmacs["destructive"]
    applied = seed.apply()
    assert applied.exit_code == 0, applied.output
    status, out, _ = seed.mn("lsdef -t node -o node01 -i mac,mgt,cons,status -c")
    assert status == 0
    assert f"node01: mac={HFI_MAC}" in out and "node01: mgt=fsp" in out, out
    assert "node01: status=booted" in out, out
    assert seed.plan("--detailed-exitcode").exit_code == 0


def test_plain_getmacs_of_a_running_hfi_node_powers_nothing_off(tmp_path: Path) -> None:
    seed = Scenario(tmp_path)
    def running_hfi(lab: dict[str, Any]) -> None:
        _hfi(lab)
        _node01(lab).update(state="Running", curr_profile="lpar9")

    edit_lab(seed, running_hfi)
    seed.set_lpar("node01", install_adapter="hfi", state="defined")
    seed.set_lpar("node02", state="absent")  # net1 boots HFI only now (test_hfi_networks.py)
    planned = seed.plan("--format", "json")
    assert planned.exit_code == 0, planned.output
    assert not _getmacs(planned.stdout)["destructive"]
    assert seed.apply().exit_code == 0
    status, out, _ = seed.mn("rpower node01 stat")
    assert (status, out) == (0, "node01: Running\n")
    assert seed.mn("lsdef -t node -o node01 -i mac -c")[1] == f"node01: mac={HFI_MAC}\n"


def test_ethernet_keeps_the_ping_test_and_the_first_adapter_that_pinged(tmp_path: Path) -> None:
    """Two Ethernet adapters, the first one not answering the ping test: getmacs -D keeps the
    second one's MAC, and the install boots through it."""
    seed = Scenario(tmp_path)
    edit_lab(seed, lambda lab: _node01(lab).update(adapters=[
        {"slot": 2, "mac": "fef9dfa81e02", "ping": False},
        {"slot": 3, "mac": "fef9dfa81e03"}]))
    planned = seed.plan("--format", "json")
    assert planned.exit_code == 0, planned.output
    assert _getmacs(planned.stdout)["command"].endswith("getmacs node01 -D")
    applied = seed.apply()
    assert applied.exit_code == 0, applied.output
    assert seed.mn("lsdef -t node -o node01 -i mac -c")[1] == "node01: mac=fef9dfa81e03\n"
    assert seed.plan("--detailed-exitcode").exit_code == 0


def test_getmacs_tables_with_hfi_adapters_are_judged_per_node() -> None:
    """The ping test's `hfi-ent` lines and the FSP table's `HFI` rows (broken after the MAC on
    AIX) are a node's adapters, not error text; a node whose FSP had no MAC fails."""
    stdout = (
        "node01: \n# Type \tLocation Code \tMAC Address\t Full Path Name\t Ping Result\n"
        "hfi-ent U78A9.001.1122233-P1-T9 020002000004 /hfi-iohub@3/hfi-ethernet@10 "
        "successful physical\n\n"
        "node02: \n#Type  Phys_Port_Loc  MAC_Address  Adapter  Port_Group  Phys_Port  "
        "Logical_Port  VLan  VSwitch  Curr_Conn_Speed\nHFI  N/A  020002000005\n"
        "  N/A  N/A  N/A  N/A  N/A  N/A  N/A\n"
        "node03: get NO mac address from PHYP for node03\n")
    outcomes = node_outcomes(stdout, "", 1, ["node01", "node02", "node03"])
    assert outcomes["node01"].ok and outcomes["node02"].ok
    assert not outcomes["node03"].ok
    assert "get NO mac address" in outcomes["node03"].text


def test_the_nim_driver_refuses_an_hfi_install_adapter(tmp_path: Path) -> None:
    seed = NIM.scenario(tmp_path)
    seed.set_lpar("node01", install_adapter="hfi")
    planned = seed.plan()
    assert planned.exit_code == 1
    assert "install_adapter: hfi: the nim driver has no HFI install path" in planned.output
    assert "Traceback" not in planned.output
