"""`xclone import SPEC ADDR|--all` under `driver: nim`: a cluster built by hand with the NIM
procedure is adopted with `nim -o change -a comments=...` marks only, and then plans nothing.

Facts: NIM keeps an object's free text in `comments`, changed with `nim -o change -a attr=value
NAME` (IBM AIX "nim Command", the change operation); the planner's rule that a marked machine
whose last install ended with `Cstate_result = success` is installed is docs/nim-driver.md
("When an LPAR counts as installed") and docs/formats.md "NIM" (Progress during bos_inst)."""

from __future__ import annotations

import pytest

from tests.apply.helpers import Scenario
from tests.importing.nim.conftest import CEC, build_by_hand, nim_attr, run

MARK = "xclone:clustersite"
MARKED = ("610sysb_mksysb", "610sysb_spot", "610sysb_bid", "node01", "node02")


def _import(seed: Scenario, *args: str) -> str:
    result = seed.xclone("import", str(seed.spec_file), "--lab", str(seed.lab_file), *args)
    assert result.exit_code == 0, result.output
    return result.output


def test_a_cluster_built_by_hand_is_adopted_with_marks_only_and_plans_nothing(
        nim: Scenario) -> None:
    build_by_hand(nim)
    before = nim.plan()
    assert before.exit_code == 1
    assert "NIM standalone 'node01' already exists and is not managed by xclone" in before.output
    out = _import(nim, "--all", "--auto-approve")
    assert "xclone will mark 5 objects as managed by cluster clustersite" in out
    for name in MARKED:
        assert f"LC_ALL=C nim -o change -a comments={MARK} {name}\n" in out
        assert nim_attr(nim, name, "comments") == MARK
    # NIM's own objects and the scripts the spec names are used as they are, never marked
    assert "network.net1: uses NIM network master_net as it is" in out
    for name in ("master", "master_net", "node27", "setupntp", "foo"):
        assert MARK not in nim_attr(nim, name, "comments")
    after = nim.plan("--detailed-exitcode")
    assert after.exit_code == 0, after.output
    assert "No changes." in after.output
    again = _import(nim, "--all", "--auto-approve")
    assert "lpar.node01: already marked" in again and "Nothing to adopt" in again


def test_the_administrators_comment_is_kept_before_the_mark(nim: Scenario) -> None:
    build_by_hand(nim)
    run(nim, nim.master, "nim -o change -a 'comments=golden clone, do not touch' node01")
    out = _import(nim, "lpar.node01", "--auto-approve")
    assert "xclone will mark 1 objects" in out
    assert nim_attr(nim, "node01", "comments") == f"golden clone, do not touch {MARK}"
    assert nim_attr(nim, "node02", "comments") == ""


def test_a_spot_the_spec_names_stays_the_administrators(nim: Scenario) -> None:
    """`spot: NAME` is used as it is and never removed by xclone, so it is not marked."""
    build_by_hand(nim)
    nim.spec_data["osimages"]["610sysb"]["spot"] = "610sysb_spot"
    nim.write_spec()
    out = _import(nim, "osimage.610sysb", "--auto-approve")
    assert "xclone will mark 2 objects" in out
    assert nim_attr(nim, "610sysb_mksysb", "comments") == MARK
    assert nim_attr(nim, "610sysb_bid", "comments") == MARK
    assert nim_attr(nim, "610sysb_spot", "comments") == ""


def test_a_machine_never_installed_is_marked_and_said_to_be_installed_next(
        nim: Scenario) -> None:
    run(nim, nim.master, "hostent -a 9.114.113.231 -h node02")
    run(nim, nim.master, "nim -o define -t standalone -a platform=chrp -a netboot_kernel=64 "
        "-a if1='master_net node02 fef9dfb7c602' -a cable_type1=N/A node02")
    out = _import(nim, "lpar.node02", "--auto-approve")
    assert ("lpar.node02: NIM shows no successful install (Cstate_result: none): the next plan "
            "installs it") in out
    assert nim_attr(nim, "node02", "comments") == MARK


def test_nothing_there_yet_is_said_and_nothing_is_marked(nim: Scenario) -> None:
    out = _import(nim, "--all", "--auto-approve")
    assert "lpar.node01: does not exist yet" in out
    assert "osimage.610sysb: does not exist yet" in out
    assert "Nothing to adopt" in out


@pytest.mark.parametrize("address", ["lpar.node99", "group.aixnodes"])
def test_an_address_with_nothing_to_mark_in_nim_is_one_clear_error(
        nim: Scenario, address: str) -> None:
    result = nim.xclone("import", str(nim.spec_file), "--lab", str(nim.lab_file), address,
                        "--auto-approve")
    assert result.exit_code == 1
    assert f"Error: {address}: not a resource of the spec that NIM holds" in result.output
    assert "Traceback" not in result.output


def test_with_netboot_nim_the_hmc_and_cec_objects_are_adopted(nim: Scenario) -> None:
    """`netboot: nim` boots through NIM's `management` objects, which the planner makes under
    the spec's HMC and CEC names (IBM AIX "Defining NIM clients"; docs/formats.md "NIM",
    Managed clients): ones made by hand under those names are marked like the rest."""
    nim.write_spec(netboot="nim")
    passwd = "/etc/ibm/sysmgt/dsm/config/hmc01"
    run(nim, nim.master, f"dpasswd -f {passwd} -U hscroot -o", "abc123\n")
    run(nim, nim.master, f"nim -o define -t hmc -a passwd_file={passwd} "
        "-a if1='find_net hmc01.cluster.com 0' hmc01")
    run(nim, nim.master, "nim -o define -t cec -a hw_type=9117 -a hw_model=MMA "
        f"-a hw_serial=10F6F3D -a mgmt_source=hmc01 {CEC}")
    out = _import(nim, "--all", "--auto-approve")
    assert "xclone will mark 2 objects" in out
    assert f"cec.{CEC}: NIM management {CEC}: comments '' -> '{MARK}'" in out
    assert nim_attr(nim, "hmc01", "comments") == MARK
    assert nim_attr(nim, CEC, "comments") == MARK
