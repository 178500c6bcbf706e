"""The bosinst.data xclone generated is compared with the file NIM's resource names (issue 14
leftover): a file changed on the master replaces the resource, never stays silently.

A `bosinst_data` resource only names a file (`location`); BOS install reads that file's
stanzas when it runs (IBM AIX, "Using the bosinst_data resource", "The bosinst.data file"), so
an edited file changes every later install. The NIM driver reads it with `cat LOCATION` in
the second observation round, one command per bosinst_data resource carrying the cluster's
mark (someone else's resources are never read), and plans `nim -o remove`, the file written
again and `nim -o define` when it answers otherwise than xclone's (or lacks PROMPT or
RECOVER_DEVICES), the differing answers shown as the change's diffs. Answers it adds are kept:
the file of a cluster built by hand and adopted (`xclone import`) plans nothing."""

from __future__ import annotations

import json

from tests.apply.helpers import Scenario
from tests.plan.nim.helpers import MASTER, apply, commands, ok, plan_doc

FILE = "/export/nim/bosinst/610sysb.bosinst"
CAT = f"{MASTER} cat {FILE}"


def _cats(nim: Scenario) -> int:
    return nim.lab.command_counts().get(CAT, 0)


def test_a_fresh_master_reads_no_file_and_a_converged_one_reads_xclones_once(
        nim: Scenario) -> None:
    plan_doc(nim)
    assert _cats(nim) == 0  # no bosinst_data resource yet: nothing to read
    apply(nim)
    before = _cats(nim)
    assert plan_doc(nim)["actions"] == []
    assert _cats(nim) == before + 1


def test_an_edited_bosinst_file_replaces_the_resource_with_the_differing_answers(
        nim: Scenario) -> None:
    apply(nim)
    text = ok(nim, f"cat {FILE}")
    edited = text.replace("PROMPT = no", "PROMPT = yes") + "locale:\n    BOSINST_LANG = C\n"
    result = nim.lab.execute(MASTER, f"tee {FILE}", edited)
    assert result.exit_status == 0, result.stderr
    doc = plan_doc(nim)
    change = next(c for c in doc["resource_changes"] if c["address"] == "osimage.610sysb")
    assert change["change"]["actions"] == ["delete", "create"]
    assert "bosinst.data differs" in json.dumps(change)
    shown = json.dumps(doc)
    assert "bosinst_data.control_flow.PROMPT" in shown
    assert "BOSINST_LANG" not in shown  # an added answer is the administrator's
    assert commands(doc) == [
        f"{MASTER}: LC_ALL=C nim -o remove 610sysb_bid",
        f"{MASTER}: LC_ALL=C mkdir -p /export/nim/bosinst",
        f"{MASTER}: LC_ALL=C tee {FILE}",
        f"{MASTER}: LC_ALL=C nim -o define -t bosinst_data -a server=master -a location={FILE} "
        "-a comments=xclone:clustersite 610sysb_bid",
    ]
    apply(nim)
    assert ok(nim, f"cat {FILE}") == text
    assert plan_doc(nim)["actions"] == []


def test_the_text_plan_shows_the_replace_and_the_answer(nim: Scenario) -> None:
    apply(nim)
    edited = ok(nim, f"cat {FILE}").replace("RECOVER_DEVICES = no", "RECOVER_DEVICES = yes")
    assert nim.lab.execute(MASTER, f"tee {FILE}", edited).exit_status == 0
    out = nim.plan().output
    assert "osimage.610sysb" in out and "bosinst_data.control_flow.RECOVER_DEVICES" in out
    assert "Plan: 0 to add, 0 to change, 1 to reinstall, 0 to destroy." in out


def test_a_file_without_the_unattended_answers_is_replaced(nim: Scenario) -> None:
    apply(nim)
    edited = "".join(line for line in ok(nim, f"cat {FILE}").splitlines(keepends=True)
                     if "PROMPT" not in line and "CONSOLE" not in line)
    assert nim.lab.execute(MASTER, f"tee {FILE}", edited).exit_status == 0
    shown = json.dumps(plan_doc(nim))
    assert "bosinst_data.control_flow.PROMPT" in shown and "nim -o remove 610sysb_bid" in shown
    assert "bosinst_data.control_flow.CONSOLE" not in shown  # left to BOS install's default


def test_a_bosinst_data_an_install_holds_is_noted_not_removed(nim: Scenario) -> None:
    """Armed by hand (bos_inst allocates 610sysb_bid: alloc_count 1), the edited resource is
    not removed, which NIM would refuse: the plan says it is replaced once the install ends."""
    apply(nim)
    ok(nim, "nim -Fo reset node02")
    ok(nim, "nim -o bos_inst -a source=mksysb -a mksysb=610sysb_mksysb -a spot=610sysb_spot "
            "-a bosinst_data=610sysb_bid -a accept_licenses=yes -a boot_client=no node02")
    edited = ok(nim, f"cat {FILE}").replace("PROMPT = no", "PROMPT = yes")
    assert nim.lab.execute(MASTER, f"tee {FILE}", edited).exit_status == 0
    doc = plan_doc(nim)
    assert not [c for c in commands(doc) if "remove 610sysb_bid" in c]
    change = next(c for c in doc["resource_changes"] if c["address"] == "osimage.610sysb")
    assert change["change"]["actions"] == ["update"]
    assert "610sysb_bid is allocated to an install under way" in json.dumps(change)
