"""What the NIM driver plans for an osimage (docs/nim-driver.md steps 3-6): the mksysb backed up
from a running NIM client (`-a source=NODE -a mk_image=yes`) or defined on an existing file
(`location:`), a SPOT built from it (`-a source=<mksysb>`), the bosinst_data xclone writes for
an unattended clone (IBM AIX "The bosinst.data file": PROMPT = no, INSTALL_METHOD = overwrite,
RECOVER_DEVICES = no, ACCEPT_LICENSES = yes), and every resource the spec names checked to
exist (docs/formats.md "NIM")."""

from __future__ import annotations

from typing import Any

from tests.apply.helpers import Scenario
from tests.plan.nim.helpers import (
    MARK,
    MASTER,
    apply,
    changes,
    commands,
    edit_lab,
    ok,
    plan_doc,
    plan_error,
)

MASTER_CMD = f"{MASTER}: LC_ALL=C "
SCRIPTS = ("bar", "confignimsh", "foo", "setupntp")


def image_commands(doc: dict[str, Any]) -> list[str]:
    return [c.removeprefix(MASTER_CMD) for c, a in zip(commands(doc), doc["actions"],
                                                        strict=True)
            if "osimage.610sysb" in a["addresses"] and a["kind"] != "nim-define-script"]


def test_fresh_image_backup_spot_and_bosinst(nim: Scenario) -> None:
    doc = plan_doc(nim)
    assert image_commands(doc) == [
        "nim -o define -t mksysb -a server=master -a location=/export/nim/mksysb/610sysb_mksysb "
        f"-a source=node27 -a mk_image=yes -a comments={MARK} 610sysb_mksysb",
        "mkdir -p /export/nim/bosinst",
        "nim -o define -t spot -a server=master -a location=/export/nim/spot "
        f"-a source=610sysb_mksysb -a comments={MARK} 610sysb_spot",
        "tee /export/nim/bosinst/610sysb.bosinst",
        "nim -o define -t bosinst_data -a server=master "
        f"-a location=/export/nim/bosinst/610sysb.bosinst -a comments={MARK} 610sysb_bid",
    ]
    backup = doc["actions"][0]
    assert backup["timeout"] == 7200  # site.timeouts.mksysb
    tee = next(a for a in doc["actions"] if a["kind"] == "write-bosinst" and a["stdin"])
    assert "    PROMPT = no\n" in tee["stdin"] and "    RECOVER_DEVICES = no\n" in tee["stdin"]
    assert "    INSTALL_METHOD = overwrite\n" in tee["stdin"]
    assert changes(doc)["osimage.610sysb"] == ["create"]


def test_image_from_a_file_a_named_spot_and_bosinst_data(nim: Scenario) -> None:
    """`location:` defines the mksysb on the file (no source, no mk_image); a named SPOT and a
    named bosinst_data are used as they are: nothing built, nothing written; and the plan
    converges on apply."""
    edit_lab(nim, lambda lab: lab["management_node"]["files"].update({
        "/export/images/golden.mksysb": "mksysb\n", "/export/images/my.bid": "control_flow:\n"}))
    nim.spec_data["osimages"]["610sysb"] = {"location": "/export/images/golden.mksysb",
                                            "spot": {"create": True}}
    nim.write_spec()
    doc = plan_doc(nim)
    assert image_commands(doc)[0] == (
        "nim -o define -t mksysb -a server=master -a location=/export/images/golden.mksysb "
        f"-a comments={MARK} 610sysb_mksysb")
    apply(nim)
    ok(nim, "nim -o define -t bosinst_data -a server=master -a location=/export/images/my.bid "
            "my_bid")
    nim.spec_data["osimages"]["610sysb"] = {"location": "/export/images/golden.mksysb",
                                            "spot": "610sysb_spot", "bosinst_data": "my_bid"}
    nim.write_spec()
    assert plan_doc(nim)["actions"] == []
    doc = plan_doc(nim, "--replace", "lpar.node02")
    bos_inst = next(a["command"] for a in doc["actions"] if a["kind"] == "nim-bos-inst")
    assert "-a spot=610sysb_spot -a bosinst_data=my_bid " in bos_inst
    assert not [a for a in doc["actions"] if "osimage.610sysb" in a["addresses"]]


def test_named_resources_must_exist(nim: Scenario) -> None:
    """A SPOT, bosinst_data or other resource the spec names that NIM lacks is one error each,
    listing what NIM has; a source_node that is not a NIM machine is an error too."""
    nim.spec_data["osimages"]["610sysb"] = {"source_node": "node99", "spot": "nospot",
                                            "resources": {"resolv_conf": "my_resolv"}}
    nim.write_spec()
    out = plan_error(nim)
    assert "spot 'nospot' is not a NIM spot resource on the master; NIM has: none" in out
    assert "resolv_conf 'my_resolv' is not a NIM resolv_conf resource" in out
    nim.spec_data["osimages"]["610sysb"] = {"source_node": "node99", "spot": {"create": True}}
    nim.write_spec()
    assert "source_node 'node99' is not a NIM machine on the master" in plan_error(nim)


def test_an_unmarked_resource_under_xclone_s_name_is_a_conflict(nim: Scenario) -> None:
    edit_lab(nim, lambda lab: lab["management_node"]["files"].update({"/x/m": "mksysb\n"}))
    ok(nim, "nim -o define -t mksysb -a server=master -a location=/x/m 610sysb_mksysb")
    out = plan_error(nim)
    assert "NIM mksysb resource '610sysb_mksysb' already exists and is not managed" in out


def test_a_removed_osimage_goes_after_its_machines(nim: Scenario) -> None:
    """Every LPAR absent and the osimage gone from the spec: the machines are torn down, then
    the three resources xclone made for the image are removed (never a resource it did not
    make), then the script resources no LPAR runs any more."""
    apply(nim)
    for name in ("node01", "node02"):
        nim.spec_data["lpars"][name]["state"] = "absent"
    del nim.spec_data["osimages"]["610sysb"]
    del nim.spec_data["lpar_defaults"]["osimage"]
    nim.write_spec()
    doc = plan_doc(nim)
    removes = [a for a in doc["actions"] if a["kind"] == "nim-remove"]
    image = [a for a in removes if "osimage.610sysb" in a["addresses"]
             and a["command"].split()[-1] not in SCRIPTS]
    assert [a["command"] for a in image] == [
        f"LC_ALL=C nim -o remove {n}" for n in ("610sysb_bid", "610sysb_spot", "610sysb_mksysb")]
    machine_ids = {a["id"] for a in removes if a["command"].endswith(("node01", "node02"))}
    assert len(machine_ids) == 2
    assert all(machine_ids <= set(a["depends_on"]) for a in image)
    assert changes(doc)["osimage.610sysb"] == ["delete"]
    scripts = [a for a in removes if a["command"].split()[-1] in SCRIPTS]
    assert len(scripts) == 4 and {a["addresses"][0] for a in scripts} == {"lpar.node01"}
    apply(nim)
    for name in ("610sysb_mksysb", "610sysb_spot", "610sysb_bid", "setupntp", "foo"):
        assert nim.lab.execute(MASTER, f"lsnim -l {name}").exit_status == 53, name
    assert nim.lab.execute(MASTER, "lsnim -l node27").exit_status == 0
