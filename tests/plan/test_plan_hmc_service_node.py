"""An HMC controlled by an xCAT service node (issue 17): `hmcs.X.service_node` sets the HMC
node's `servicenode`, and the hardware commands of its LPARs (getmacs, rnetboot) are batched
per that service node, through the real CLI against the lab.

Facts (xCAT 2.9.2, docs/formats.md "xCAT service nodes"): PPC.pm (lines 1985-2015) dispatches
rnetboot, rpower and getmacs by the servicenode of the node's hardware control point `hcp`
(the HMC node), not by the node's own; each destination's xcatd forks its part under its own
site `ppcmaxp` (ppc fan-out, xCAT-server/lib/xcat/plugins/PPC.pm), so one batch per service
node runs in parallel with the others'."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from tests.apply.helpers import Scenario, example, invoke_in
from tests.plan.test_plan_service_nodes import CEC, MARK, Scene, sn_lab

CEC2 = "Server-9117-MMA-SN10F6F3E"


def _spec(**hmc: Any) -> dict[str, Any]:
    data: dict[str, Any] = example("xcat-sn.yaml")
    data["hmcs"]["hmc01"].update(hmc)
    return data


def _two_hmcs() -> tuple[dict[str, Any], dict[str, Any]]:
    """node03/node04 on a second CEC behind hmc02, which sn1 controls; hmc01 stays the MN's."""
    lab = sn_lab()
    hmc01 = lab["hmcs"]["hmc01"]
    hmc02 = copy.deepcopy(hmc01)
    hmc02.update(hostnames=["hmc02"], serial="10A3B5D")
    hmc02["systems"] = {CEC2: {**copy.deepcopy(hmc01["systems"][CEC]), "serial": "10F6F3E"}}
    moved = hmc02["systems"][CEC2]["lpars"]
    for name in list(hmc01["systems"][CEC]["lpars"]):
        if name in ("node03", "node04"):
            del hmc01["systems"][CEC]["lpars"][name]
        else:
            del moved[name]
    lab["hmcs"]["hmc02"] = hmc02
    spec = _spec()
    spec["hmcs"]["hmc02"] = {**spec["hmcs"]["hmc01"], "host": "hmc02",
                             "service_node": "sn1"}
    for name in ("node03", "node04"):
        spec["lpars"][name].update(hmc="hmc02", cec=CEC2)
    return lab, spec


def _validate(where: Path, spec: dict[str, Any]) -> tuple[int, str]:
    scene = Scene(where, sn_lab(), spec)
    result = invoke_in(where, scene.env, ("validate", str(scene.spec_file)))
    return result.exit_code, result.output


def test_an_hmc_service_node_must_be_an_install_server(tmp_path: Path) -> None:
    code, output = _validate(tmp_path, _spec(service_node="sn9"))
    assert code == 1, output
    assert "hmc hmc01: service_node sn9 is not under install_servers (sn1)" in output
    assert "Traceback" not in output


def test_an_hmc_service_node_is_refused_under_driver_nim(tmp_path: Path) -> None:
    spec = _spec(service_node="sn1")
    spec["driver"] = "nim"
    code, output = _validate(tmp_path, spec)
    assert code == 1, output
    assert "hmc hmc01: service_node is read by driver: xcat only" in output


def test_the_hmc_node_gets_its_servicenode(tmp_path: Path) -> None:
    actions = Scene(tmp_path, sn_lab(), _spec(service_node="sn1")).actions()
    mkdef = next(a for a in actions if a["kind"] == "mkdef-hmc")
    assert "servicenode=sn1" in "".join(part for _, part in mkdef["stdin_parts"])


def test_a_drifted_hmc_servicenode_is_a_chdef(tmp_path: Path) -> None:
    lab = sn_lab()
    lab["management_node"]["xcat"]["node"]["hmc01"] = {
        "groups": "hmc,all", "nodetype": "ppc", "hwtype": "hmc", "mgt": "hmc",
        "username": "hscroot", "usercomment": MARK}
    actions = Scene(tmp_path, lab, _spec(service_node="sn1")).actions()
    chdef = [a for a in actions if a["kind"] == "chdef" and "hmc.hmc01" in a["addresses"]]
    assert len(chdef) == 1 and "servicenode=sn1" in chdef[0]["command"], chdef


def test_hardware_commands_are_batched_per_the_hmcs_service_node(tmp_path: Path) -> None:
    lab, spec = _two_hmcs()
    actions = Scene(tmp_path, lab, spec).actions()
    for kind in ("getmacs", "rnetboot"):
        batches = {a.get("extra", {}).get("hcp_servicenode", ""): tuple(a["nodes"])
                   for a in actions if a["kind"] == kind}
        assert batches == {"": ("node01",) if kind == "getmacs" else ("node01", "node02"),
                           "sn1": ("node03", "node04")}, (kind, batches)


def test_without_hmc_service_nodes_hardware_batches_are_unchanged(tmp_path: Path) -> None:
    actions = Scene(tmp_path, sn_lab(), _spec()).actions()
    getmacs = [a for a in actions if a["kind"] == "getmacs"]
    assert len(getmacs) == 1 and "hcp_servicenode" not in getmacs[0].get("extra", {})


def test_an_hmc_served_by_sn1_converges_and_plans_empty(tmp_path: Path) -> None:
    seed = Scenario(tmp_path, lab_name="xcat-sn-lab.yaml", spec_name="xcat-sn.yaml")
    seed.spec_data["hmcs"]["hmc01"]["service_node"] = "sn1"
    seed.write_spec()
    applied = seed.apply()
    assert applied.exit_code == 0, applied.output
    assert "0 failed, 0 skipped" in applied.output
    assert "servicenode=sn1" in seed.mn("lsdef hmc01")[1]
    for node in ("node01", "node02", "node03", "node04"):
        assert "status=booted" in seed.mn(f"lsdef {node}")[1]
    again = seed.plan("--detailed-exitcode")
    assert again.exit_code == 0, again.output
