"""Script resources xclone made and no LPAR of the spec runs any more are removed (issue 14
leftover): a postscript dropped from every list goes with `nim -o remove NAME`, listed under
the cluster's `site` (no osimage or LPAR names it any more), and the plan says so.

`nim -o remove` of a script resource removes the NIM object, not its file (IBM AIX, "Using
the NIM remove operation"; docs/formats.md "NIM"); NIM refuses to remove a resource allocated
to a machine, so one an install under way holds stays until a later apply. A script resource
without the cluster's mark is never touched."""

from __future__ import annotations

import json

from tests.apply.helpers import Scenario
from tests.plan.nim.helpers import MASTER, apply, commands, ok, plan_doc


def test_a_postscript_dropped_from_every_list_is_removed_under_the_site(nim: Scenario) -> None:
    apply(nim)
    ok(nim, "nim -o define -t script -a server=master -a location=/export/nim/script_res/foo "
            "handmade")  # someone's own, unmarked
    nim.set_lpar("node01", postscripts=["foo"])  # bar: no LPAR runs it now
    doc = plan_doc(nim)
    assert commands(doc) == [f"{MASTER}: LC_ALL=C nim -o remove bar"]
    change = next(c for c in doc["resource_changes"] if c["address"] == "site.clustersite")
    assert change["change"]["actions"] == ["update"]
    assert "removes NIM script resources bar" in json.dumps(change)
    apply(nim)
    assert nim.lab.execute(MASTER, "lsnim -l bar").exit_status != 0
    assert "handmade" in ok(nim, "lsnim -t script")
    assert plan_doc(nim)["actions"] == []


def test_a_script_an_install_holds_is_kept_with_a_note(nim: Scenario) -> None:
    """Armed by hand for node02 with the script allocated (alloc_count 1), the dropped
    postscript is not removed: NIM would refuse it. The plan says why."""
    apply(nim)
    nim.set_lpar("node01", postscripts=["foo"])
    ok(nim, "nim -o allocate -a script=bar node02")
    doc = plan_doc(nim)
    assert not [c for c in commands(doc) if "remove bar" in c]
    change = next(c for c in doc["resource_changes"] if c["address"] == "site.clustersite")
    assert "keeps NIM script resources bar while an install holds them" in json.dumps(change)
