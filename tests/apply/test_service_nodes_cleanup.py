"""Removing an osimage also removes the copies nimnodeset made of it on the xCAT service nodes
(issue 17), through the real CLI on the example pair specs/examples/xcat-sn.yaml and
xcat-sn-lab.yaml.

Facts (xCAT 2.9.2): nimnodeset copies an image's NIM resources to each service node of its
nodes and defines them there under the same names (aixinstall.pm prenimnodeset: doSNcopy2,
defSNres); `rmnimimage -s SNRANGE IMAGE` removes the image's NIM resources (all but the
lpp_source) from those service nodes only and leaves the management node's
(xCAT-client/pods/man1/rmnimimage.1.pod, `-s`; aixinstall.pm rmnimimage); without -f it
refuses an image that shares a resource with another osimage (prermnimimage: "One or more
resources are being used in other osimage definitions.")."""

from __future__ import annotations

import json
from pathlib import Path

from tests.apply.helpers import Scenario

LAB, SPEC = "xcat-sn-lab.yaml", "xcat-sn.yaml"
COPIES = ("610sysb_mksysb", "610sysb_bosinst_data", "610spot", "my_resolv_conf")


def _scenario(where: Path) -> Scenario:
    return Scenario(where, lab_name=LAB, spec_name=SPEC)


def _resources(seed: Scenario, host: str) -> set[str]:
    listing = seed.lab.execute(host, "lsnim -c resources").stdout
    return {line.split()[0] for line in listing.splitlines() if line.strip()}


def _destroy(seed: Scenario, *extra: str) -> tuple[int, str]:
    result = seed.xclone("destroy", str(seed.spec_file), "--lab", str(seed.lab_file), *extra)
    return result.exit_code, result.output


def test_destroy_removes_the_images_copies_on_sn1_with_rmnimimage_s(tmp_path: Path) -> None:
    """After an apply sn1 holds 610sysb's resources; destroy plans `rmnimimage -s sn1 610sysb`
    before the osimage's rmdef, after the nodes' machines are gone, and afterwards sn1 holds
    none of them while the management node keeps its pre-existing SPOT and resolv_conf."""
    seed = _scenario(tmp_path)
    assert seed.converge().exit_code == 0
    assert set(COPIES) <= _resources(seed, "sn1")
    planned = seed.plan("--destroy", "--format", "json")
    assert planned.exit_code == 0, planned.output
    actions = {a["id"]: a for a in json.loads(planned.stdout)["actions"]}
    (copies,) = [a for a in actions.values() if a["kind"] == "rmnimimage-sn"]
    assert copies["command"].endswith("rmnimimage -s sn1 610sysb")
    assert copies["host"] == "xcataixmn"
    (rmdef,) = [a for a in actions.values() if a["kind"] == "rmdef-osimage"]
    assert copies["id"] in rmdef["depends_on"]
    assert any(actions[i]["kind"] == "xcat2nim-remove" for i in copies["depends_on"])
    code, output = _destroy(seed, "--auto-approve")
    assert code == 0, output
    assert not set(COPIES) & _resources(seed, "sn1")
    assert {"610spot", "my_resolv_conf"} <= _resources(seed, "xcataixmn")
    assert seed.lab.command_counts()["xcataixmn rmnimimage -s sn1 610sysb"] == 1
    assert seed.plan("--destroy", "--detailed-exitcode").exit_code == 0


def test_a_shared_resource_keeps_the_copies_and_says_so(tmp_path: Path) -> None:
    """Another osimage on the management node uses 610spot too: rmnimimage would refuse, so
    the plan removes no copy on sn1 and the osimage's change says why and how."""
    seed = _scenario(tmp_path)
    assert seed.converge().exit_code == 0
    assert seed.mn("mkdef -t osimage -o other spot=610spot nimtype=standalone")[0] == 0
    planned = seed.plan("--destroy")
    assert planned.exit_code == 0, planned.output
    output = planned.output
    assert "rmnimimage" not in output.split("Commands, in dependency order:")[1]
    assert ("keeps its NIM resources' copies on sn1: they are shared with osimage other, so "
            "rmnimimage would refuse") in output


def test_without_service_nodes_the_destroy_plan_has_no_rmnimimage(tmp_path: Path) -> None:
    """The seed (no install_servers) removes its resources by name, as before."""
    seed = Scenario(tmp_path)
    assert seed.converge().exit_code == 0
    planned = seed.plan("--destroy")
    assert planned.exit_code == 0, planned.output
    assert "rmnimimage" not in planned.output
