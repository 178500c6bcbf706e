"""The lab cannot finish an install whose partition was rebooted (issue 14's crash-resume bug).

A NIM BOS install runs in the network-booted client's own memory: powering the partition off,
or cycling it with a second `lpar_netboot`, ends that install, and only a new network boot
starts it again, from its beginning, while NIM keeps the machine's Cstate (IBM AIX "NIM BOS
installation data": the client issues the BOOTP request and installs from the SPOT it booted;
the restart is inferred, docs/formats.md "NIM"). Frozen clock: `advance` decides what is due.
Install timing from the lab's table (xclone/sim/choices.py): 180 s of firmware, then 2 + 30 +
3 minutes to "ready for a NIM operation" with success."""

from __future__ import annotations

import re
from pathlib import Path

from tests.apply.nim.world import HMC, SYSTEM, armed, booted, build_image, netboot, nim_lab, ok
from xclone.sim import Lab

INSTALLED = re.compile(r"Cstate +\= ready for a NIM operation\n(.*\n)*? *Cstate_result += success")
INSTALL = 180.0 + 120.0 + 1800.0 + 180.0  # the boot's firmware to the end of customization


def _installing(tmp_path: Path) -> Lab:
    lab = nim_lab(tmp_path)
    build_image(lab)
    armed(lab, "node01")
    booted(lab, "node01")  # lpar_netboot's 180 s pass with it: bootp answered
    lab.advance(600.0)
    assert "being performed" in ok(lab, "lsnim -l node01")
    return lab


def test_a_partition_powered_off_mid_install_never_completes_it(tmp_path: Path) -> None:
    lab = _installing(tmp_path)
    ok(lab, f"chsysstate -m {SYSTEM} -r lpar -o shutdown --immed -n node01", HMC)
    lab.advance(2 * INSTALL)
    machine = ok(lab, "lsnim -l node01")
    assert not INSTALLED.search(machine) and "being performed" in machine, machine
    assert "node01,Not Activated" in ok(lab, f"lssyscfg -r lpar -m {SYSTEM} -F name,state", HMC)


def test_a_second_netboot_restarts_the_install_from_its_boot(tmp_path: Path) -> None:
    """The first install would have ended at INSTALL after its boot; booted again 780 s in,
    the install ends only INSTALL after the second boot, and the partition runs."""
    lab = _installing(tmp_path)
    ok(lab, netboot("node01"), HMC)  # 780 s after the first boot; 180 s more pass with it
    lab.advance(INSTALL - 960.0 + 60.0)  # past the first install's end
    assert not INSTALLED.search(ok(lab, "lsnim -l node01"))
    lab.advance(960.0)  # past the second one's end
    assert INSTALLED.search(ok(lab, "lsnim -l node01"))
    lab.advance(600.0)
    assert "node01,Running" in ok(lab, f"lssyscfg -r lpar -m {SYSTEM} -F name,state", HMC)
    counts = lab.command_counts()
    assert sum(n for k, n in counts.items() if k.startswith("hmc01 lpar_netboot")) == 2
