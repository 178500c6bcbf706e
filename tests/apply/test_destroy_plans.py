"""Issue 18, day two: the apply summary counts resources (Terraform's `Resources: 7 added, 1
changed, 2 destroyed`), `plan --destroy -o FILE` saves a destroy plan that `apply FILE` runs,
and `destroy --target ADDR` removes one resource only; all through the real CLI on the seed lab."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.apply.helpers import Scenario


@pytest.fixture
def seed(tmp_path: Path) -> Scenario:
    return Scenario(tmp_path)


def test_apply_summary_counts_resources_and_a_partly_failed_batch_once(tmp_path: Path) -> None:
    """node01's install fails in the batch that installs node01 and node02: one failed action,
    node01 one failed resource, node02 (same batch) added; the site is the one change."""
    seed = Scenario(tmp_path, faults=[{"lpar": "node01", "install": "error"}])
    result = seed.apply()
    assert result.exit_code == 1
    assert ("Apply finished with problems: 6 added, 1 changed, 0 reinstalled, 0 destroyed, "
            "1 failed, 0 not done. Actions: 14 done, 1 failed, 0 skipped") in result.output


def test_destroy_summary_counts_destroyed_resources(seed: Scenario) -> None:
    assert seed.converge().exit_code == 0
    result = seed.xclone("destroy", str(seed.spec_file), "--lab", str(seed.lab_file),
                         "--auto-approve")
    assert result.exit_code == 0, result.output
    # two LPARs, the osimage, the group, the network, the CEC and the HMC nodes
    assert "Destroy complete: 7 destroyed. Actions:" in result.output


def test_destroy_removes_the_nim_definitions_and_leaves_the_image_files(seed: Scenario) -> None:
    """docs/safety.md "Destroy": `nim -o remove` without `rm_image=yes` drops the definition and
    keeps the file (IBM AIX "Using the NIM remove operation": `rm_image=yes` deletes a mksysb's
    file too; the lab's nim -o remove honours it), as xCAT's rmnimimage without -d does
    (xCAT-client/pods/man1/rmnimimage.1.pod at 2.9.2_aix_release: -d deletes "files and
    directories left after nim -o remove")."""
    assert seed.converge().exit_code == 0
    image = "/install/nim/mksysb/610sysb/610sysb_mksysb"
    result = seed.xclone("destroy", str(seed.spec_file), "--lab", str(seed.lab_file),
                         "--auto-approve")
    assert result.exit_code == 0, result.output
    assert "nim -o remove 610sysb_mksysb" in result.output and "rm_image" not in result.output
    assert seed.mn("lsnim -l 610sysb_mksysb")[0] != 0  # the definition is gone
    status, listing, _ = seed.mn("ls /install/nim/mksysb/610sysb")
    assert status == 0 and image.rsplit("/", 1)[1] in listing.split()


def test_a_saved_destroy_plan_applies_with_apply_file(seed: Scenario) -> None:
    assert seed.converge().exit_code == 0
    saved = seed.plan("--destroy", "-o", "remove.plan")
    assert saved.exit_code == 0, saved.output
    assert "lpar.node01 will be destroyed in xCAT and NIM only" in saved.output
    assert "Plan: 0 to add, 0 to change, 0 to reinstall, 7 to destroy." in saved.output
    document = json.loads((seed.dir / "remove.plan").read_text(encoding="utf-8"))
    assert document["options"]["destroy"] is True
    assert seed.mn("lsdef -t node -o node01")[0] == 0  # planning removed nothing
    applied = seed.xclone("apply", "remove.plan")
    assert applied.exit_code == 0, applied.output
    assert "Destroy complete: 7 destroyed." in applied.output
    assert "Apply complete" not in applied.output
    for node in ("node01", "node02"):
        assert seed.mn(f"lsdef -t node -o {node}")[0] != 0
        assert seed.mn(f"lsnim -l {node}")[0] != 0
    assert seed.mn("lsdef -t osimage -o 610sysb")[0] != 0


def test_destroy_target_removes_only_that_lpar(seed: Scenario) -> None:
    assert seed.converge().exit_code == 0
    result = seed.xclone("destroy", str(seed.spec_file), "--lab", str(seed.lab_file),
                         "--target", "lpar.node02", "--auto-approve")
    assert result.exit_code == 0, result.output
    assert "WARNING: destroy removes the targeted objects" in result.output
    assert "on cluster clustersite (1 resource)." in result.output
    assert "Destroy complete: 1 destroyed." in result.output
    assert seed.mn("lsdef -t node -o node02")[0] != 0
    assert seed.mn("lsnim -l node02")[0] != 0
    assert seed.mn("lsdef -t node -o node01")[0] == 0
    assert seed.mn("lsdef -t osimage -o 610sysb")[0] == 0
    # the rest still matches the spec except node02, which apply puts back
    again = seed.plan()
    assert "Plan: 1 to add, 0 to change, 0 to reinstall, 0 to destroy." in again.output


def test_destroy_target_naming_nothing_is_an_error(seed: Scenario) -> None:
    result = seed.xclone("destroy", str(seed.spec_file), "--lab", str(seed.lab_file),
                         "--target", "lpar.node3", "--auto-approve")
    assert result.exit_code == 1
    assert "Error: --target lpar.node3 names nothing" in result.output


def test_plan_destroy_refuses_replace(seed: Scenario) -> None:
    result = seed.plan("--destroy", "--replace", "lpar.node01")
    assert result.exit_code == 1
    assert "--replace" in result.output and "Traceback" not in result.output
