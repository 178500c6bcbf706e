"""First-boot scripts under the NIM driver (issue 14 leftover: "postscripts as NIM `script` /
`fb_script` resources allocated at install"): `firstboot_scripts:` on a group or an LPAR.

IBM AIX, "Using the fb_script resource": BOS install appends an fb_script's content to the
client's /etc/firstboot, run at the client's first boot after the install, whereas a `script`
runs at the end of the install ("Using a script resource"); it is defined with `nim -o define
-t fb_script -a server=master -a location=FILE NAME` and allocated with `nim -o bos_inst ... -a
fb_script=NAME` ("Defining an fb_script resource"), one per install (only `script` is
documented as allocatable several times). xCAT 2.9 has no such hook: the field is nim only."""

from __future__ import annotations

import re
from pathlib import Path

from tests.apply.helpers import Scenario
from tests.plan.nim.helpers import MARK, MASTER, apply, commands, ok, plan_doc, plan_error

FILE = "/export/nim/script_res/motd"


def _with_motd(nim: Scenario) -> None:
    assert nim.lab.execute(MASTER, f"tee {FILE}", "echo cloned >> /etc/motd\n").exit_status == 0
    groups = nim.spec_data["groups"]
    nim.write_spec(groups={**groups, "aixnodes": {**groups["aixnodes"],
                                                  "firstboot_scripts": ["motd"]}})


def test_a_group_first_boot_script_is_an_fb_script_allocated_with_bos_inst(
        nim: Scenario) -> None:
    _with_motd(nim)
    shown = commands(plan_doc(nim))
    assert (f"{MASTER}: LC_ALL=C nim -o define -t fb_script -a server=master -a location={FILE} "
            f"-a comments={MARK} motd") in shown
    installs = [c for c in shown if "bos_inst" in c]
    assert len(installs) == 2 and all("-a fb_script=motd" in c for c in installs), installs
    assert all(c.count("fb_script=") == 1 for c in installs)
    apply(nim)
    assert re.search(r"type += fb_script", ok(nim, "lsnim -l motd"))
    assert plan_doc(nim)["actions"] == []


def test_dropped_first_boot_script_is_removed_by_cleanup(nim: Scenario) -> None:
    _with_motd(nim)
    apply(nim)
    groups = nim.spec_data["groups"]
    nim.write_spec(groups={**groups, "aixnodes": {
        k: v for k, v in groups["aixnodes"].items() if k != "firstboot_scripts"}})
    assert commands(plan_doc(nim)) == [f"{MASTER}: LC_ALL=C nim -o remove motd"]


def test_two_first_boot_scripts_for_one_lpar_are_refused(nim: Scenario) -> None:
    _with_motd(nim)
    nim.set_lpar("node01", firstboot_scripts=["tune"])
    out = plan_error(nim)
    assert "node01: 2 first-boot scripts (motd, tune)" in out
    assert "NIM allocates one fb_script per install" in out and "node02" not in out


def test_a_name_both_postscript_and_first_boot_script_is_refused(nim: Scenario) -> None:
    nim.set_lpar("node01", firstboot_scripts=["foo"])
    out = plan_error(nim)
    assert "node01: foo is both a postscript and a first-boot script" in out


def test_the_xcat_driver_refuses_first_boot_scripts(tmp_path: Path) -> None:
    seed = Scenario(tmp_path)
    seed.set_lpar("node01", firstboot_scripts=["motd"])
    out = plan_error(seed)
    assert "firstboot_scripts: only the nim driver reads it (this spec's driver is xcat)" in out
