"""NIM resources the spec names must exist; a SPOT xclone is to build is asked for explicitly,
marked, and removed with its osimage (issue 10 §5).

xCAT 2.9.2 aixinstall.pm `mk_spot`: with `spot=NAME` mknimimage only records NAME (it neither
checks nor builds it); without `spot=` it defines a SPOT from `<image>_mksysb` named after the
osimage, or reuses a NIM object of that name ("Using the existing SPOT named ..."). NIM objects
carry a free-text `comments` attribute that `nim -o change -a comments=...` sets (IBM AIX NIM
docs, resource definitions and the change operation).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.apply.helpers import Scenario


@pytest.fixture
def seed(tmp_path: Path) -> Scenario:
    return Scenario(tmp_path)


def set_image(seed: Scenario, **fields: object) -> None:
    images = seed.spec_data["osimages"]
    images["610sysb"] = {**images["610sysb"], **fields}
    seed.write_spec()


def test_a_missing_spot_is_a_plan_error_naming_the_spots_nim_has(seed: Scenario) -> None:
    set_image(seed, spot="710spot")
    result = seed.plan("--detailed-exitcode")
    assert result.exit_code == 1, result.output
    assert ("spot '710spot' is not a NIM spot resource on the master; NIM has: 610spot "
            "(or `spot: {create: true}` to have mknimimage build one)") in result.output
    assert "Traceback" not in result.output


def test_a_missing_extra_resource_is_a_plan_error_naming_those_of_its_type(
        seed: Scenario) -> None:
    set_image(seed, resources={"resolv_conf": "my_resolv", "bosinst_data": "nosuch"})
    result = seed.plan()
    assert result.exit_code == 1, result.output
    assert ("resolv_conf 'my_resolv' is not a NIM resolv_conf resource on the master; "
            "NIM has: my_resolv_conf") in result.output
    assert ("bosinst_data 'nosuch' is not a NIM bosinst_data resource on the master; "
            "NIM has: none") in result.output


def test_a_spot_of_another_type_is_refused(seed: Scenario) -> None:
    set_image(seed, spot="my_resolv_conf")
    result = seed.plan()
    assert result.exit_code == 1
    assert "spot 'my_resolv_conf' is not a NIM spot resource on the master" in result.output


def test_a_created_spot_is_built_marked_kept_converged_and_destroyed(seed: Scenario) -> None:
    set_image(seed, spot={"create": True})
    plan = seed.plan()
    assert plan.exit_code == 0, plan.output
    assert ("mknimimage -m mksysb -n node27 610sysb resolv_conf=my_resolv_conf "
            "usercomment=xclone:clustersite") in plan.output
    assert "nim -o change -a comments=xclone:clustersite 610sysb" in plan.output
    assert "! builds SPOT 610sysb from the mksysb" in plan.output
    assert seed.apply().exit_code == 0
    listing = seed.mn("lsnim -l 610sysb")[1]
    assert "type" in listing and "spot" in listing and "xclone:clustersite" in listing
    assert "spot=610sysb" in seed.mn("lsdef -t osimage -o 610sysb")[1]
    assert seed.plan("--detailed-exitcode").exit_code == 0
    result = seed.xclone("destroy", str(seed.spec_file), "--lab", str(seed.lab_file),
                         "--auto-approve")
    assert result.exit_code == 0, result.output
    assert "removes NIM resources: 610sysb_mksysb, 610sysb_bosinst_data, 610sysb" in result.output
    assert "keeps pre-existing NIM resources: my_resolv_conf\n" in result.output
    assert seed.mn("lsnim -l 610sysb")[0] != 0
    assert "610spot" in seed.mn("lsnim")[1]


def test_an_interrupted_mark_is_planned_again(seed: Scenario) -> None:
    set_image(seed, spot={"create": True})
    applied = seed.apply()
    assert applied.exit_code == 0, applied.output
    assert seed.mn("nim -o change -a comments=mine 610sysb")[0] == 0
    result = seed.plan()
    assert "the SPOT mknimimage built is not marked yet" in result.output
    assert "nim -o change -a comments=xclone:clustersite 610sysb" in result.output


def test_the_installs_wait_for_the_spot_mark(seed: Scenario) -> None:
    """nimnodeset allocates the SPOT, and NIM refuses to change a resource whose allocation
    count is above 0 (IBM AIX, "Using the NIM allocate operation"; the lab's `nim -o change`
    says "is allocated to one or more machines and cannot be changed"): a mark that ran after
    the first nimnodeset failed the apply, which happened when load delayed the mark's thread.
    So every step that allocates or boots from the image comes after the mark."""
    set_image(seed, spot={"create": True})
    planned = seed.plan("--format", "json")
    assert planned.exit_code == 0, planned.output
    actions = json.loads(planned.stdout)["actions"]
    (mark,) = [a for a in actions if a["kind"] == "nim-mark" and a["command"].endswith("610sysb")]
    using = [a for a in actions if a["kind"] in ("nimnodeset", "rnetboot")]
    assert using and all(mark["id"] in a["depends_on"] for a in using), using


def test_an_unmarked_nim_object_with_the_images_name_is_a_conflict(seed: Scenario) -> None:
    set_image(seed, spot={"create": True})
    status, _, err = seed.mn("nim -o define -t spot -a server=master "
                             "-a location=/install/nim/spot/610sysb/usr -a source=610spot 610sysb")
    assert status == 0, err
    result = seed.plan()
    assert result.exit_code == 1
    assert "NIM object '610sysb' (mknimimage would use it as the SPOT) already exists" \
        in result.output


@pytest.mark.parametrize(("spot", "message"), [
    ({"create": False}, "spot must be the name of an existing NIM SPOT or {create: true}"),
    ({"name": "710spot"}, "spot must be the name of an existing NIM SPOT or {create: true}"),
    ("", "osimage.610sysb: name is empty"),
])
def test_a_spot_field_is_a_name_or_create_true(seed: Scenario, spot: object,
                                               message: str) -> None:
    set_image(seed, spot=spot)
    result = seed.xclone("validate", str(seed.spec_file))
    assert result.exit_code == 1
    assert message in result.output and "invalid: 1 error" in result.output
