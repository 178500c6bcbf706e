"""Planning an xCAT hierarchical cluster (issue 17, the xCAT half) through the real CLI against
a lab holding the service node sn1 as a NIM master of its own (specs/examples/xcat-sn.yaml).

Facts (xCAT 2.9.2): a node served by a service node carries `servicenode` (the SN as the
management node knows it) and `xcatmaster` (the SN as the node knows it): perl-xCAT/xCAT/
Schema.pm, table noderes. xcat2nim and nimnodeset of such nodes are sent on by the management
node to their SN (aixinstall.pm and xcat2nim.pm preprocess_request: getSNformattedhash,
`_xcatdest`), `xcat2nim -r` included, so the plan batches them (and rnetboot and the wait) per
SN and reads each SN's nodes' NIM state from that SN's own `lsnim -l`. An SN must be an xCAT node in
group service (xCAT docs, "Define service nodes")."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.apply.helpers import PASSWORD, example, invoke_in
from tests.observed.helpers import Counting
from xclone.base.remote import Login
from xclone.cli.connect import targets_for
from xclone.observed.observe import observe
from xclone.sim import Lab
from xclone.spec import load_spec
from xclone.transport.sim import SimTransport

CEC = "Server-9117-MMA-SN10F6F3D"
MARK = "xclone:clustersite"


def sn_lab(extra_lpars: int = 0, *, sn_node: dict[str, str] | None = None) -> Any:
    """The seed lab plus sn1: an xCAT node in group service on the management node and a NIM
    master of its own serving 9.114.114.0/27, and partitions 11 and 12 (node03, node04) and
    `extra_lpars` more (cn001..., profile compute) on the seed CEC."""
    lab = example("seed-lab.yaml")
    lab["clock"] = {**lab["clock"], "instant": True}
    lab["management_node"]["xcat"]["node"]["sn1"] = sn_node if sn_node is not None else {
        "groups": "service,all", "nodetype": "ppc,osi", "hwtype": "lpar", "mgt": "hmc",
        "ip": "9.114.113.228", "setupnfs": "1", "status": "booted"}
    lab["nim_masters"] = {"sn1": {"hostnames": ["sn1", "sn1.cluster.com"], "ip": "9.114.114.5",
                                  "nim": {"networks": {"master_net": {
                                      "net_addr": "9.114.114.0", "snm": "255.255.255.224",
                                      "routing1": "default 9.114.114.30"}}}}}
    lpars = lab["hmcs"]["hmc01"]["systems"][CEC]["lpars"]
    for index in range(2 + extra_lpars):
        name, profile = (f"node{index + 3:02d}", f"lpar{11 + index}") if index < 2 else (
            f"cn{index - 1:03d}", "compute")
        lpars[name] = {"id": 11 + index, "profiles": [profile],
                       "adapters": [{"slot": 2, "mac": f"fef9dfa8{index:04x}"}]}
    return lab


class Scene:
    """A lab file and a spec file in one directory, and the CLI run against them."""

    def __init__(self, where: Path, lab: dict[str, Any], spec: dict[str, Any]) -> None:
        self.dir, self.lab_file, self.spec_file = where, where / "lab.yaml", where / "spec.yaml"
        self.lab_file.write_text(yaml.safe_dump(lab, sort_keys=False), encoding="utf-8")
        self.spec_file.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
        self.env = {"HMC01_PASSWORD": PASSWORD, "XCLONE_LAB_STATE": str(where / "state"),
                    "NO_COLOR": "1"}

    def plan(self, *extra: str) -> tuple[int, str]:
        result = invoke_in(self.dir, self.env, ("plan", str(self.spec_file), "--lab",
                                                str(self.lab_file), *extra))
        return result.exit_code, result.output

    def actions(self) -> list[dict[str, Any]]:
        """The plan's actions from its JSON on stdout (--lab says on stderr when it seeds the
        lab's world, which the runner's output mixes in)."""
        result = invoke_in(self.dir, self.env, ("plan", str(self.spec_file), "--lab",
                                                str(self.lab_file), "--format", "json"))
        assert result.exit_code == 0, result.output
        found: list[dict[str, Any]] = json.loads(result.stdout)["actions"]
        return found


def _spec() -> dict[str, Any]:
    data: dict[str, Any] = example("xcat-sn.yaml")
    return data


def _batches(actions: list[dict[str, Any]], kind: str) -> dict[str, tuple[str, ...]]:
    """Each action of `kind`: its service node ('' for the management node) -> its nodes."""
    found: dict[str, tuple[str, ...]] = {}
    for action in actions:
        if action["kind"] == kind:
            sn = action.get("extra", {}).get("servicenode", "")
            assert sn not in found, f"two {kind} batches for {sn or 'the MN'}"
            found[sn] = tuple(action["nodes"])
    return found


def test_an_sn_node_carries_servicenode_and_xcatmaster(tmp_path: Path) -> None:
    actions = Scene(tmp_path, sn_lab(), _spec()).actions()
    mkdef = next(a for a in actions if a["kind"] == "mkdef-z" and "lpar.node03" in a["addresses"])
    stanzas = dict(mkdef["stdin_parts"])
    assert "servicenode=sn1" in stanzas["node03"] and "xcatmaster=9.114.114.5" in stanzas["node03"]
    assert "servicenode" not in stanzas["node01"] and "xcatmaster" not in stanzas["node01"]


@pytest.mark.parametrize("kind", ["xcat2nim", "nimnodeset", "rnetboot", "wait-install"])
def test_dispatched_commands_are_batched_per_service_node(tmp_path: Path, kind: str) -> None:
    actions = Scene(tmp_path, sn_lab(), _spec()).actions()
    assert _batches(actions, kind) == {"": ("node01", "node02"), "sn1": ("node03", "node04")}
    for action in actions:
        if action["kind"] == kind:
            assert action["host"] == "xcataixmn"  # xCAT sends them on to the SN itself


def test_without_the_service_node_in_xcat_the_plan_says_what_to_do(tmp_path: Path) -> None:
    lab = sn_lab()
    del lab["management_node"]["xcat"]["node"]["sn1"]
    code, output = Scene(tmp_path, lab, _spec()).plan()
    assert code == 1, output
    assert "lpar.node03: service node sn1 is not an xCAT node: define it on the management " \
           "node" in output
    assert "xclone does not create service nodes" in output
    assert "Traceback" not in output


@pytest.mark.parametrize("sn_node", [None, {"groups": "lpar,all", "hwtype": "lpar"}])
def test_a_service_node_xcat_lacks_is_reported_before_it_is_reached(
        tmp_path: Path, sn_node: dict[str, str] | None) -> None:
    """sn1 missing from the lab altogether (no xCAT node, no host), or an xCAT node outside
    group service: the plan says what xCAT lacks, never the transport's "no such host" for sn1
    (its lsnim and /etc/hosts are read in the second round, only for a listed service node)."""
    lab = sn_lab()
    del lab["nim_masters"]
    if sn_node is None:
        del lab["management_node"]["xcat"]["node"]["sn1"]
    else:
        lab["management_node"]["xcat"]["node"]["sn1"] = sn_node
    code, output = Scene(tmp_path, lab, _spec()).plan()
    assert code == 1, output
    assert "no such host" not in output
    assert ("service node sn1 is not an xCAT node" if sn_node is None else
            "xCAT node sn1 is not in group service") in output


def test_a_node_not_in_group_service_is_no_service_node(tmp_path: Path) -> None:
    lab = sn_lab(sn_node={"groups": "lpar,all", "hwtype": "lpar", "mgt": "hmc"})
    code, output = Scene(tmp_path, lab, _spec()).plan()
    assert code == 1, output
    assert "xCAT node sn1 is not in group service: make it a service node first" in output


def test_a_changed_xcatmaster_is_a_chdef(tmp_path: Path) -> None:
    """node03 defined as the spec says but with another xcatmaster (drift): chdef sets it."""
    lab = sn_lab()
    lab["management_node"]["xcat"]["node"]["node03"] = {
        "groups": "lpar,all,aixnodes", "nodetype": "ppc,osi", "hwtype": "lpar", "mgt": "hmc",
        "cons": "hmc", "hcp": "hmc01", "id": "11", "pprofile": "lpar11", "parent": CEC,
        "ip": "9.114.114.10", "postscripts": "", "usercomment": MARK,
        "servicenode": "sn1", "xcatmaster": "9.114.114.9"}
    actions = Scene(tmp_path, lab, _spec()).actions()
    chdef = [a for a in actions if a["kind"] == "chdef" and a["nodes"] == ["node03"]]
    assert len(chdef) == 1, [a["command"] for a in actions]
    assert "xcatmaster=9.114.114.5" in chdef[0]["command"]
    assert "servicenode" not in chdef[0]["command"]


def test_max_installs_stages_a_service_nodes_boots_in_waves(tmp_path: Path) -> None:
    spec = _spec()
    spec["install_servers"]["sn1"]["max_installs"] = 1
    actions = Scene(tmp_path, sn_lab(), spec).actions()
    by_id = {a["id"]: a for a in actions}
    boots = [a for a in actions if a["kind"] == "rnetboot" and "servicenode" in a["extra"]]
    assert [b["nodes"] for b in boots] == [["node03"], ["node04"]]
    waited = {by_id[d]["kind"] for d in boots[1]["ordered_after"]}
    assert "wait-install" in waited  # node04 boots once node03 installed (order only: waves.py)
    mn_boots = [a["nodes"] for a in actions if a["kind"] == "rnetboot" and a not in boots]
    assert mn_boots == [["node01", "node02"]]  # the management node's: one wave


def test_a_service_nodes_window_batches_its_discovery_and_nimnodeset_too(
        tmp_path: Path) -> None:
    """max_installs 1: each batch has its own getmacs, xcat2nim and nimnodeset. node04's
    nimnodeset follows node03's (the first copies the image to sn1, aixinstall.pm doSNcopy2;
    the second finds it there), and node03's rnetboot follows node04's getmacs -D (discovery
    runs two windows ahead): one HMC command of the SN's nodes at a time (PPC.pm forks
    maxssh/2 per HMC for each)."""
    spec = _spec()
    spec["install_servers"]["sn1"]["max_installs"] = 1
    actions = Scene(tmp_path, sn_lab(), spec).actions()
    by_id = {a["id"]: a for a in actions}

    def of(kind: str) -> dict[str, dict[str, Any]]:
        return {a["nodes"][0]: a for a in actions if a["kind"] == kind
                and a["nodes"][0] in ("node03", "node04")}

    for kind in ("getmacs", "xcat2nim", "nimnodeset", "rnetboot", "wait-install"):
        assert [a["nodes"] for a in of(kind).values()] == [["node03"], ["node04"]], kind
    assert of("nimnodeset")["node03"]["id"] in of("nimnodeset")["node04"]["depends_on"]
    # The HMC commands' order and the window are order only (waves.py): limits, not needs.
    assert of("getmacs")["node04"]["id"] in of("rnetboot")["node03"]["ordered_after"]
    assert of("getmacs")["node03"]["id"] in of("getmacs")["node04"]["ordered_after"]
    first = of("rnetboot")["node03"]["depends_on"]
    assert of("nimnodeset")["node04"]["id"] not in first  # node03 boots without node04's
    assert {by_id[d]["kind"] for d in of("rnetboot")["node04"]["ordered_after"]} >= {
        "wait-install", "rnetboot"}  # node03 installed, and booted before it


@pytest.mark.parametrize("lpars", [4, 40])
def test_observation_sends_one_lsnim_per_service_node_whatever_the_lpars(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lpars: int) -> None:
    """The commands of a plan at 4 and at 40 LPARs are the same: the MN's six, `lsnim -l` and
    `cat /etc/hosts` on the SN itself (how its NIM resolves the nodes xcat2nim defines there),
    one per HMC and one per managed system."""
    spec = _spec()
    spec["networks"]["net2"]["mask"] = "255.255.255.128"  # room for 40
    spec["lpar_ranges"] = [{"names": f"cn[001-{lpars - 4:03d}]", "first_id": 13,
                            "first_ip": "9.114.114.32", "profile": "compute"}] if lpars > 4 else []
    scene = Scene(tmp_path, sn_lab(lpars - 4), spec)
    monkeypatch.setenv("HMC01_PASSWORD", PASSWORD)
    loaded = load_spec(scene.spec_file)
    assert len(loaded.lpars) == lpars
    hmc = loaded.hmcs["hmc01"]
    runner = Counting(SimTransport(Lab.for_file(scene.lab_file, state_root=tmp_path / "st"),
                                     {hmc.host: Login(hmc.host, hmc.username, hmc.port,
                                                      hmc.password.ref() if hmc.password
                                                      else None)}))
    observe(runner, targets_for(loaded))
    assert sorted(runner.sent) == sorted([
        *(("xcataixmn", f"LC_ALL=C lsdef -t {t} {f}") for t, f in (
            ("node", "-z"), ("group", "-z"), ("network", "-l"), ("osimage", "-l"),
            ("site", "-l"))),
        ("xcataixmn", "LC_ALL=C lsnim -l"),
        ("sn1", "LC_ALL=C lsnim -l"),
        ("sn1", "LC_ALL=C cat /etc/hosts"),
        ("hmc01.cluster.com", "lssyscfg -r sys -F name,type_model,serial_num,state"),
        ("hmc01.cluster.com", f"lssyscfg -r lpar -m {CEC} -F name,lpar_id,state,curr_profile,"
                              "default_profile,lpar_env,os_version"),
    ])


def test_cleanup_of_an_absent_sn_node_removes_its_machine_on_its_service_node(
        tmp_path: Path) -> None:
    """node05 left the spec: its NIM machine is on sn1 (the MN's lsnim does not list it), so
    its `xcat2nim -r -f` is planned, in sn1's batch (xcat2nim.pm dispatches it there)."""
    lab = sn_lab()
    lab["management_node"]["xcat"]["node"]["node05"] = {
        "groups": "lpar,all", "nodetype": "ppc,osi", "hwtype": "lpar", "mgt": "hmc",
        "cons": "hmc", "hcp": "hmc01", "id": "20", "parent": CEC, "ip": "9.114.114.20",
        "usercomment": MARK, "servicenode": "sn1", "xcatmaster": "9.114.114.5"}
    lab["nim_masters"]["sn1"]["nim"]["machines"] = {"node05": {
        "if1": "master_net node05 fef9dfa80099 ent", "comments": MARK}}
    actions = Scene(tmp_path, lab, _spec()).actions()
    removal = [a for a in actions if a["kind"] == "xcat2nim-remove"]
    assert [(a["nodes"], a["extra"]) for a in removal] == [
        (["node05"], {"servicenode": "sn1", "servicenode_host": "sn1"})]
    assert any(a["kind"] == "rmdef" and a["nodes"] == ["node05"] for a in actions)


def test_without_addresses_xcatmaster_is_the_sn_nodes_ip_on_the_network(tmp_path: Path) -> None:
    """No `addresses`: the SN node's `ip` on the MN is its nodes' xcatmaster when it lies in
    their network; an SN whose ip is on another network is an error naming the setting."""
    spec = _spec()
    del spec["install_servers"]["sn1"]["addresses"]
    lab = sn_lab()
    lab["management_node"]["xcat"]["node"]["sn1"]["ip"] = "9.114.114.7"
    (tmp_path / "in").mkdir()
    (tmp_path / "out").mkdir()
    stanzas = dict(next(a for a in Scene(tmp_path / "in", lab, spec).actions()
                        if "lpar.node03" in a["addresses"])["stdin_parts"])
    assert "xcatmaster=9.114.114.7" in stanzas["node03"]
    code, output = Scene(tmp_path / "out", sn_lab(), spec).plan()  # sn1's ip: 9.114.113.228
    assert code == 1, output
    assert "lpar.node03: service node sn1 has no known address on network net2, the node's " \
           "xcatmaster: give it as install_servers.sn1.addresses.net2" in output


def test_an_osimage_gone_from_the_spec_also_goes_from_its_service_node(tmp_path: Path) -> None:
    """A marked osimage the spec no longer names, whose resources nimnodeset copied to sn1:
    `rmnimimage -s sn1 oldimg` (rmnimimage.1.pod `-s`: those SNs only) before its rmdef; the
    management node's own resources go by name as before."""
    lab = sn_lab()
    lab["management_node"]["xcat"]["osimage"] = {"oldimg": {
        "imagetype": "NIM", "nimtype": "standalone", "nimmethod": "mksysb",
        "mksysb": "oldimg_mksysb", "bosinst_data": "oldimg_bosinst_data", "usercomment": MARK}}
    lab["nim_masters"]["sn1"]["nim"]["resources"] = {
        "oldimg_mksysb": {"type": "mksysb", "location": "/install/nim/mksysb/oldimg/oldimg"}}
    actions = Scene(tmp_path, lab, _spec()).actions()
    (copies,) = [a for a in actions if a["kind"] == "rmnimimage-sn"]
    assert copies["command"].endswith("rmnimimage -s sn1 oldimg")
    assert copies["addresses"] == ["osimage.oldimg"]
    (rmdef,) = [a for a in actions if a["kind"] == "rmdef-osimage"]
    assert copies["id"] in rmdef["depends_on"]
