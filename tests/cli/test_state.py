"""`xclone state list SPEC` and `xclone state show SPEC ADDR` (issue 18) on the seed lab: the
objects carrying the cluster's mark (CONTRACT §5), where each lives, and their attributes with
the HMC password masked (xCAT's lsdef prints it in clear: docs/formats.md "Secrets in output")."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.apply.helpers import EXAMPLES, PASSWORD, Scenario, dump, example, invoke_in


def _state(seed: Scenario, *args: str) -> tuple[int, str]:
    """The exit code and the output; JSON (`-f json`) is read from stdout alone, without the
    lab's state folder line on stderr."""
    result = seed.xclone("state", *args[:1], str(seed.spec_file), *args[1:], "--lab",
                         str(seed.lab_file))
    return result.exit_code, result.stdout if "json" in args else result.output


def test_state_list_before_and_after_apply(seed: Scenario) -> None:
    code, out = _state(seed, "list")
    assert code == 0, out
    assert "No object on the cluster carries the xclone:clustersite mark." in out
    assert seed.apply().exit_code == 0
    assert seed.mn("mkdef -t network -o net9 net=10.0.0.0 mask=255.0.0.0 "
                   "usercomment=xclone:clustersite")[0] == 0
    code, out = _state(seed, "list")
    assert code == 0, out
    lines = out.splitlines()
    assert any(line.startswith("lpar.node01 ") and "xcataixmn" in line
               and "xCAT node node01; NIM machines/standalone node01" in line for line in lines)
    assert any(line.startswith("hmc.hmc01 ") and "xCAT node hmc01" in line for line in lines)
    assert any(line.startswith("osimage.610sysb ") and "xCAT osimage 610sysb" in line
               for line in lines)
    assert any(line.startswith("network.net9 ") and line.endswith("(not in the spec)")
               for line in lines)
    # node27 is the golden NIM client, never xclone's
    assert "node27" not in out
    assert "8 resources carry the xclone:clustersite mark." in out
    code, out = _state(seed, "list", "-f", "json")
    rows = {row["address"]: row for row in json.loads(out)["managed"]}
    assert rows["network.net9"]["in_spec"] is False
    assert rows["lpar.node02"]["pieces"] == [
        {"host": "xcataixmn", "where": "xCAT node", "name": "node02"},
        {"host": "xcataixmn", "where": "NIM machines/standalone", "name": "node02"}]


def test_state_show_masks_the_hmc_password(seed: Scenario) -> None:
    assert seed.converge().exit_code == 0
    code, out = _state(seed, "show", "hmc.hmc01")
    assert code == 0, out
    assert "xCAT node hmc01 on xcataixmn:" in out
    assert "    password = ***" in out and PASSWORD not in out
    code, out = _state(seed, "show", "lpar.node01", "-f", "json")
    assert code == 0, out
    pieces = json.loads(out)["pieces"]
    assert pieces[0]["attributes"]["pprofile"] == "lpar9"
    assert pieces[1]["attributes"]["Cstate"] == "ready for a NIM operation"


def test_state_show_of_an_unmanaged_or_unknown_address_is_an_error(seed: Scenario) -> None:
    code, out = _state(seed, "show", "lpar.node27")
    assert code == 1
    assert ("Error: lpar.node27: an object named node27 exists but does not carry the "
            "xclone:clustersite mark") in out and "xclone import SPEC lpar.node27" in out
    code, out = _state(seed, "show", "lpar.nosuch")
    assert code == 1 and "no object on the cluster carries the xclone:clustersite mark" in out
    code, out = _state(seed, "show", "node01")
    assert code == 1 and "is not of the form TYPE.NAME" in out


def test_state_list_with_the_nim_driver_groups_nim_objects_by_address(tmp_path: Path) -> None:
    """With `driver: nim` every piece is a NIM object on the master: machines are LPARs, the
    osimage's mksysb, SPOT and bosinst_data are its own (`<image>_...`), and the postscript
    `script` resources, which belong to no one address, are listed as (other)."""
    shutil.copy(EXAMPLES / "nim-cluster.yaml", tmp_path / "nim-cluster.yaml")
    lab_data = example("nim-lab.yaml")  # on an instant clock: the apply takes no real time
    lab_data["clock"] = {**lab_data["clock"], "instant": True}
    (tmp_path / "nim-lab.yaml").write_text(dump(lab_data), encoding="utf-8")
    env = {"HMC01_PASSWORD": PASSWORD, "XCLONE_LAB_STATE": str(tmp_path / "state"),
           "NO_COLOR": "1"}
    lab = ("--lab", "nim-lab.yaml")
    assert invoke_in(tmp_path, env, ("apply", "nim-cluster.yaml", *lab, "--auto-approve")) \
        .exit_code == 0
    listed = invoke_in(tmp_path, env, ("state", "list", "nim-cluster.yaml", *lab))
    assert listed.exit_code == 0, listed.output
    rows = {line.split()[0]: line for line in listed.output.splitlines() if line.strip()}
    assert "NIM machines/standalone node01" in rows["lpar.node01"]
    assert "NIM resources/mksysb 610sysb_mksysb" in rows["osimage.610sysb"]
    assert "NIM resources/script setupntp" in rows["(other)"]
    assert "3 resources carry the xclone:clustersite mark." in listed.output
