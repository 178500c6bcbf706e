"""The lab's cost model (docs/lab.md "Costs"): per-command latency on the lab clock, and NIM
installs sharing the master's bandwidth.

Sources: IBM AIX "Using concurrency control" (NIM installs of many clients at once are slowed
by the network's bandwidth and the NIM server's load: `concurrent` exists for that); the
mksysb restore is the install's transfer (IBM "Using a mksysb image to install the base
operating system on a NIM client"). All times asserted are lab-clock times on a frozen clock.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from tests.sim.conftest import seed_data, write_lab
from xclone.sim import Lab, LabError, choices
from xclone.sim.generate import synthetic_lab

MASTER = "xcataixmn"
HMC = "hmc001"
SYSTEM = "Server-9117-MMA-SN1000001"
BOOT = choices.RNETBOOT_SECONDS + choices.BOOTP_TO_5_PERCENT_SECONDS  # netboot call -> restore
RESTORE = 1800.0  # one install alone (the restore_seconds below)


def _lab(tmp_path: Path, n: int, costs: Any) -> Lab:
    data = synthetic_lab(n, nim_only=True, instant=False, scale=0, costs=costs)
    data["management_node"]["nim"]["resources"]["img_mksysb"] = {
        "type": "mksysb", "location": "/install/nim/mksysb/img_mksysb"}
    return Lab.from_dict(data, tmp_path / "state")


def _ok(lab: Lab, command: str, host: str = MASTER) -> str:
    result = lab.execute(host, command)
    assert (result.stderr, result.exit_status) == ("", 0), command
    return result.stdout


def _netboot(lab: Lab, index: int) -> float:
    """Arm and network-boot lpar<index> (NIM driver steps 7-11); the lab time its restore
    begins."""
    name, lpar_id = f"lpar{index:05d}", index + 1
    mac, ip = f"5a0000{lpar_id:03d}002", f"10.0.1.{index}"
    _ok(lab, f"hostent -a {ip} -h {name}")
    _ok(lab, f"nim -o define -t standalone -a if1='master_net {name} {mac}' {name}")
    _ok(lab, "nim -o bos_inst -a source=mksysb -a mksysb=img_mksysb -a spot=610spot "
             f"-a accept_licenses=yes -a boot_client=no {name}")
    called = lab.now()
    _ok(lab, f"lpar_netboot -f -t ent -m {mac} -S 10.0.0.1 -G 10.0.255.254 -C {ip} "
             f"-K 255.255.0.0 {name} lpar{lpar_id} {SYSTEM}", HMC)
    return called + BOOT


def _cstate(lab: Lab, index: int) -> str:
    out = _ok(lab, f"lsnim -Z -a Cstate lpar{index:05d}")
    return out.splitlines()[1].split(":")[1]


def _restore_ends(lab: Lab, index: int, at: float) -> None:
    """lpar<index>'s restore ends exactly at lab time `at`: still restoring a second before,
    customizing from then on."""
    lab.advance(at - 1 - lab.now())
    assert _cstate(lab, index) == choices.CSTATE_INSTALLING
    lab.advance(1)
    assert _cstate(lab, index) == "customization is being performed"


# the master moves 1 MB/s, exactly one client's pace: two installs at once each go at half speed
SATURATED = {"nim": {"bandwidth_mbit": 8, "mksysb_mb": 1800, "restore_seconds": RESTORE}}


def test_one_install_alone_restores_at_its_own_pace(tmp_path: Path) -> None:
    lab = _lab(tmp_path, 1, SATURATED)
    start = _netboot(lab, 1)
    _restore_ends(lab, 1, start + RESTORE)
    lab.advance(choices.CUSTOMIZATION_SECONDS)
    assert _cstate(lab, 1) == "ready for a NIM operation"


def test_two_installs_share_the_master(tmp_path: Path) -> None:
    """The first restores alone until the second starts (180 MB), then both at 0.5 MB/s: the
    first ends at 180 + 1620 * 2 = 3420 s, the second 180 s later at full speed again."""
    lab = _lab(tmp_path, 2, SATURATED)
    first = _netboot(lab, 1)
    second = _netboot(lab, 2)
    head = second - first
    assert head == pytest.approx(choices.RNETBOOT_SECONDS)  # the first call blocked that long
    _restore_ends(lab, 1, first + head + (1800 - head) * 2)
    _restore_ends(lab, 2, first + 2 * RESTORE)


def test_ten_installs_take_ten_times_as_long_as_one(tmp_path: Path) -> None:
    """Ten installs on a master that one install saturates: the master never idles, so the last
    restore ends 10 x 1800 s after the first began; the first ends far later than alone."""
    lab = _lab(tmp_path, 10, SATURATED)
    starts = [_netboot(lab, i) for i in range(1, 11)]
    lab.advance(starts[0] + RESTORE + 1 - lab.now())
    assert _cstate(lab, 1) == choices.CSTATE_INSTALLING
    _restore_ends(lab, 10, starts[0] + 10 * RESTORE)
    assert _cstate(lab, 1) != choices.CSTATE_INSTALLING


def test_ten_installs_below_the_masters_bandwidth_each_take_as_long_as_one(
        tmp_path: Path) -> None:
    """The defaults: 1 GbE and a 2 GB mksysb restored in 30 minutes (about 1.1 MB/s a client):
    ten clients together use a tenth of the master, so none is slowed."""
    lab = _lab(tmp_path, 10, {"nim": {}})
    starts = [_netboot(lab, i) for i in range(1, 11)]
    _restore_ends(lab, 10, starts[-1] + RESTORE)


def test_a_shared_install_ends_with_the_reboot_codes(tmp_path: Path) -> None:
    """The reference codes after the restore (0581 rebooting, then blank with AIX up) follow
    the install's own end, which only the sharing decides."""
    lab = _lab(tmp_path, 2, SATURATED)
    first = _netboot(lab, 1)
    _netboot(lab, 2)
    end = first + choices.RNETBOOT_SECONDS + (1800 - choices.RNETBOOT_SECONDS) * 2
    codes = "lsrefcode -r lpar -m " + SYSTEM + " -F lpar_name,refcode --filter lpar_names=lpar00001"
    lab.advance(end + choices.CUSTOMIZATION_SECONDS - lab.now())
    assert _ok(lab, codes, HMC) == f"lpar00001,{choices.REFCODE_REBOOT}\n"
    lab.advance(choices.REBOOT_SECONDS)
    assert _ok(lab, codes, HMC) == "lpar00001,\n"


def test_a_failing_shared_install_stops_at_its_failure_point(tmp_path: Path) -> None:
    """An `install: error` fault stops the restore at 40 % (4 of 10 steps): 720 MB alone."""
    data = synthetic_lab(1, nim_only=True, instant=False, scale=0, costs=SATURATED)
    data["management_node"]["nim"]["resources"]["img_mksysb"] = {
        "type": "mksysb", "location": "/install/nim/mksysb/img_mksysb"}
    data["faults"] = [{"lpar": "lpar00001", "install": "error"}]
    lab = Lab.from_dict(data, tmp_path / "state")
    start = _netboot(lab, 1)
    lab.advance(start + 720 - 1 - lab.now())
    assert "Cstate_result" not in _ok(lab, "lsnim -l lpar00001")
    lab.advance(1)
    assert _ok(lab, "lsnim -Z -a Cstate_result lpar00001").splitlines()[1] == (
        "lpar00001:failure:")


def test_latency_passes_on_a_frozen_lab_clock(tmp_path: Path) -> None:
    """A command's cost is lab time: on a frozen clock it moves the clock by exactly that."""
    data = seed_data(clock={"scale": 0}, costs={"latency": {"*": 0.5, "lsdef": 2.0}})
    lab = Lab.init(write_lab(tmp_path, data), tmp_path / "state")
    before = lab.now()
    _ok(lab, "lsdef -t node -z")
    assert lab.now() - before == pytest.approx(2.0)
    _ok(lab, "lsnim -l master")
    assert lab.now() - before == pytest.approx(2.5)


def test_latency_scales_with_a_running_clock(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """On a lab running 600x a 60 s command waits 0.1 real seconds; the old real-seconds
    `latency:` table stays as it was (what it waits is real time whatever the clock)."""
    slept: list[float] = []
    monkeypatch.setattr(time, "sleep", slept.append)
    data = seed_data(clock={"scale": 600}, costs={"latency": {"lsdef": 60.0}},
                     latency={"lsnim": 0.25})
    lab = Lab.init(write_lab(tmp_path, data), tmp_path / "state")
    _ok(lab, "lsdef -t node -z")
    _ok(lab, "lsnim -l master")
    assert slept == [pytest.approx(0.1), 0.25]


def test_an_instant_clock_has_no_latency(tmp_path: Path) -> None:
    data = seed_data(clock={"instant": True}, costs="realistic")
    lab = Lab.init(write_lab(tmp_path, data), tmp_path / "state")
    before = lab.now()
    _ok(lab, "lsdef -t node -z")
    assert lab.now() == before


def test_mksysb_and_spot_times_are_settings(tmp_path: Path) -> None:
    data = seed_data(clock={"scale": 0}, costs={"mksysb_seconds": 600, "spot_seconds": 300})
    lab = Lab.init(write_lab(tmp_path, data), tmp_path / "state")
    before = lab.now()
    _ok(lab, "mknimimage -m mksysb -n node27 610sysb")
    assert lab.now() - before == pytest.approx(900)


@pytest.mark.parametrize(("costs", "message"), [
    ("cheap", "costs must be 'realistic' or a mapping"),
    ({"preset": "fast"}, "the only cost preset is 'realistic'"),
    ({"latency": {"frobnicate": 1}}, "latency names an unknown command 'frobnicate'"),
    ({"nim": {"bandwidth_mbit": 0}}, "bandwidth_mbit must be a number > 0"),
    ({"fanout": "yes"}, "fanout must be true or false"),
    ({"speed": 1}, "unknown key 'speed'"),
])
def test_bad_cost_settings_are_named(tmp_path: Path, costs: Any, message: str) -> None:
    path = write_lab(tmp_path, seed_data(costs=costs))
    with pytest.raises(LabError) as caught:
        Lab.init(path, tmp_path / "state")
    assert message in str(caught.value.diagnostics)
