"""The lab's NIM master answers fb_script resources as IBM documents them ("Defining an
fb_script resource": `nim -o define -t fb_script -a server=master -a location=FILE NAME`, then
`nim -o bos_inst ... -a fb_script=NAME`): the install allocates it and its end releases it, as
every resource bos_inst allocates (NIM deallocates them when the install completes)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.apply.nim.world import BOSINST_TEXT, booted, build_image, nim_lab, ok

FILE = "/export/nim/script_res/motd"


def test_an_fb_script_is_allocated_by_bos_inst_and_released_by_the_install(
        tmp_path: Path) -> None:
    lab = nim_lab(tmp_path)
    build_image(lab)
    ok(lab, "mkdir -p /export/nim/script_res")
    ok(lab, f"tee {FILE}", stdin=BOSINST_TEXT)
    ok(lab, f"nim -o define -t fb_script -a server=master -a location={FILE} motd")
    assert re.search(r"type += fb_script", ok(lab, "lsnim -l motd"))
    ok(lab, "hostent -a 9.114.113.230 -h node01")
    ok(lab, "nim -o define -t standalone -a platform=chrp -a netboot_kernel=64 "
            "-a if1='master_net node01 fef9dfa81e02' -a cable_type1=N/A node01")
    ok(lab, "nim -o bos_inst -a source=mksysb -a mksysb=610sysb_mksysb -a spot=610spot "
            "-a bosinst_data=610sysb_bid -a fb_script=motd -a accept_licenses=yes "
            "-a boot_client=no node01")
    assert re.search(r"fb_script += motd", ok(lab, "lsnim -l node01"))
    assert re.search(r"alloc_count += 1", ok(lab, "lsnim -l motd"))
    booted(lab, "node01")
    lab.advance(3000.0)  # the whole install on the frozen clock
    assert re.search(r"Cstate_result += success", ok(lab, "lsnim -l node01"))
    assert not re.search(r"fb_script += motd", ok(lab, "lsnim -l node01"))
    assert re.search(r"alloc_count += 0", ok(lab, "lsnim -l motd"))
