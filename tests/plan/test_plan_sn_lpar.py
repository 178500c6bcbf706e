"""A service node that is itself an LPAR of the spec (issue 17), planned through the real CLI
against a lab where sn1 is a partition of the seed CEC and an xCAT node in group service.

Facts (xCAT 2.9.2): xcat2nim and nimnodeset of a node are sent on to its service node
(xcat2nim.pm and aixinstall.pm preprocess_request, `_xcatdest`), so an SN being installed
serves nothing until its install is done; xCAT knows its service nodes by group `service`
(xCAT docs, "Define service nodes"), which the SN's own node definition must keep."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.plan.test_plan_service_nodes import CEC, MARK, Scene, _spec, sn_lab

SN_MAC = "fef9df9b5002"


def _scene(where: Path, **sn_fields: Any) -> Scene:
    lab = sn_lab(sn_node={
        "groups": "service,all", "nodetype": "ppc,osi", "hwtype": "lpar", "mgt": "hmc",
        "cons": "hmc", "hcp": "hmc01", "id": "5", "parent": CEC, "pprofile": "lpar5",
        "ip": "9.114.113.228", "mac": SN_MAC, "setupnfs": "1", "status": "booted",
        "usercomment": MARK})
    lab["hmcs"]["hmc01"]["systems"][CEC]["lpars"]["sn1"] = {
        "id": 5, "profiles": ["lpar5"], "state": "Running",
        "adapters": [{"slot": 2, "mac": SN_MAC}]}
    spec = _spec()
    spec["lpars"]["sn1"] = {"id": 5, "profile": "lpar5", "ip": "9.114.113.228", "mac": SN_MAC,
                            **sn_fields}
    return Scene(where, lab, spec)


def _by_id(actions: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {a["id"]: a for a in actions}


def test_the_nodes_of_an_sn_being_installed_wait_for_its_install(tmp_path: Path) -> None:
    """sn1 is (re)installed by this plan from the management node: the xcat2nim of its nodes
    node03 and node04 waits for the install wait that holds sn1, and their nimnodeset and
    rnetboot follow; the MN's own nodes do not wait for it."""
    actions = _scene(tmp_path).actions()
    index = _by_id(actions)
    (sn_wait,) = [a for a in actions if a["kind"] == "wait-install" and "sn1" in a["nodes"]]
    (define,) = [a for a in actions if a["kind"] == "xcat2nim" and "node03" in a["nodes"]]
    assert define["nodes"] == ["node03", "node04"]
    assert sn_wait["id"] in define["depends_on"]
    (enable,) = [a for a in actions if a["kind"] == "nimnodeset" and "node03" in a["nodes"]]
    assert define["id"] in enable["depends_on"]
    (mn_define,) = [a for a in actions if a["kind"] == "xcat2nim" and "sn1" in a["nodes"]]
    assert sn_wait["id"] not in mn_define["depends_on"]
    assert all(index[i]["kind"] != "wait-install" for i in mn_define["depends_on"])


def test_an_sn_that_is_not_installed_by_the_plan_holds_nothing(tmp_path: Path) -> None:
    """sn1 only `defined`: no install of it is planned, so its nodes wait for nothing."""
    actions = _scene(tmp_path, state="defined").actions()
    index = _by_id(actions)
    assert not [a for a in actions if a["kind"] == "wait-install" and "sn1" in a["nodes"]]
    (define,) = [a for a in actions if a["kind"] == "xcat2nim" and "node03" in a["nodes"]]
    assert all(index[i]["kind"] != "wait-install" for i in define["depends_on"])


def test_the_sns_own_node_keeps_group_service(tmp_path: Path) -> None:
    """The spec's groups for sn1 (lpar, all and lpar_defaults' aixnodes) would drop
    `service`: the plan keeps it, so the next plan still finds sn1 a service node."""
    code, output = _scene(tmp_path).plan()
    assert code == 0, output
    assert "chdef sn1 groups=lpar,all,aixnodes,service" in output
