"""xCAT's fan-out of hardware commands over a noderange, on the lab clock (costs `fanout`).

Source: xCAT 2.9.2 xCAT-server/lib/perl/xCAT/PPC.pm `process_command`: site `ppcmaxp`
(default 64) and `maxssh` (default 8) (lines 187-203); getmacs -D and rnetboot fork one process
per LPAR, at most maxssh/2 per HMC (line 304), 0.1 s sleep before each fork (line 365); rpower
forks one process per managed system (lines 946-957), which takes its LPARs one by one. The
durations asserted are lab-clock times on a frozen clock, so exact.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.sim.conftest import CEC, HMC_NODE, NETWORK, prepare, runner, seed_data, write_lab
from xclone.sim import Lab, choices

NODES = [f"node{i:02d}" for i in range(3, 13)]  # ten partitions on the seed's one HMC
NODERANGE = ",".join(NODES)


def _lab(tmp_path: Path, costs: dict[str, Any] | None) -> Lab:
    data = seed_data(clock={"scale": 0}, **({} if costs is None else {"costs": costs}))
    lpars = data["hmcs"]["hmc01"]["systems"][CEC]["lpars"]
    for index, name in enumerate(NODES):
        lpar_id = 11 + index
        lpars[name] = {"id": lpar_id, "profiles": [f"lpar{lpar_id}"],
                       "adapters": [{"slot": 2, "mac": f"fef9df{lpar_id:04x}02"}]}
    lab = Lab.init(write_lab(tmp_path, data), tmp_path / "state")
    for command in (HMC_NODE, NETWORK):
        _ok(lab, command)
    # the golden node27 is defined already: mkdef -z says so and defines the others
    lab.execute("xcataixmn", "mkdef -z", lab.execute("xcataixmn", "rscan -z hmc01").stdout)
    for index, name in enumerate(NODES):
        _ok(lab, f"chdef {name} ip=9.114.113.{232 + index}")
    for command in ("makehosts", "makeconservercf"):
        _ok(lab, command)
    return lab


def _ok(lab: Lab, command: str, stdin: str | None = None) -> str:
    result = lab.execute("xcataixmn", command, stdin)
    assert result.exit_status == 0, (command, result.stdout, result.stderr)
    return result.stdout


def _lasts(lab: Lab, command: str) -> float:
    before = lab.now()
    _ok(lab, command)
    return round(lab.now() - before, 6)


FANOUT = {"fanout": True, "fork_interval": 0.1}


@pytest.mark.parametrize(("maxssh", "lasts"), [
    (None, 540.4),  # default 8: 4 boots at once, forks 0.1 s apart: three waves of 180 s
    (16, 360.3),  # 8 at once: two waves
    (2, 1801.0),  # 1 at once: ten boots one after another, each fork 0.1 s after the last end
])
def test_rnetboot_of_ten_lpars_on_one_hmc(tmp_path: Path, maxssh: int | None,
                                          lasts: float) -> None:
    lab = _lab(tmp_path, FANOUT)
    if maxssh is not None:
        _ok(lab, f"chdef -t site clustersite maxssh={maxssh}")
    _ok(lab, f"getmacs {NODERANGE} -D")
    assert _lasts(lab, f"rnetboot {NODERANGE}") == lasts


def test_getmacs_discovery_fans_out_the_same_way(tmp_path: Path) -> None:
    """Each discovery cycle (on, Open Firmware, off) takes 80 s: three waves of four."""
    lab = _lab(tmp_path, FANOUT)
    cycle = choices.STARTING_SECONDS + choices.GETMACS_OPEN_FIRMWARE_SECONDS + \
        choices.SHUTDOWN_SECONDS
    assert _lasts(lab, f"getmacs {NODERANGE} -D") == round(3 * cycle + 0.4, 6)


def test_ppcmaxp_caps_all_processes(tmp_path: Path) -> None:
    """ppcmaxp 2 below maxssh's 4 per HMC: two boots at once."""
    lab = _lab(tmp_path, FANOUT)
    _ok(lab, "chdef -t site clustersite ppcmaxp=2")
    _ok(lab, f"getmacs {NODERANGE} -D")
    assert _lasts(lab, f"rnetboot {NODERANGE}") == 900.6


def test_without_fanout_every_lpar_boots_at_once(tmp_path: Path) -> None:
    lab = _lab(tmp_path, None)
    _ok(lab, f"getmacs {NODERANGE} -D")
    assert _lasts(lab, f"rnetboot {NODERANGE}") == choices.RNETBOOT_SECONDS


def test_rpower_takes_a_managed_systems_lpars_one_by_one(tmp_path: Path) -> None:
    """One process for the seed's one managed system: ten power-ons of 2 s each in a row."""
    lab = _lab(tmp_path, {**FANOUT, "rpower_seconds": 2})
    assert _lasts(lab, f"rpower {NODERANGE} on") == 20.0
    states = lab.execute("hmc01", f"lssyscfg -r lpar -m {CEC} -F name,state").stdout
    assert "node03,Starting" in states and "node12,Starting" in states


def test_a_fanned_out_rnetboot_installs_each_lpar_from_its_own_boot(tmp_path: Path) -> None:
    """The seed runbook with maxssh 2 (one boot at a time on hmc01): node01 boots first, so
    its install (2 min to the restore, 30 min restore) ends one boot (180.1 s) before node02's;
    without the fan-out both would begin when rnetboot returns."""
    data = seed_data(clock={"scale": 0}, costs={**FANOUT, "nim": {}})
    lab = Lab.init(write_lab(tmp_path, data), tmp_path / "state")
    run = runner(lab)
    prepare(run)
    _ok(lab, "chdef -t site clustersite maxssh=2")
    _ok(lab, "nimnodeset -i 610sysb node01,node02")
    called = lab.now()
    _ok(lab, "rnetboot node01,node02")
    assert round(lab.now() - called, 6) == 360.2
    restored = choices.BOOTP_TO_5_PERCENT_SECONDS + choices.INSTALL_SECONDS
    lab.advance(called + 180.1 + restored + 1 - lab.now())
    state = _ok(lab, "lsnim -Z -a Cstate node01 node02")
    assert "node01:customization is being performed:" in state
    assert f"node02:{choices.CSTATE_INSTALLING}:" in state
    lab.advance(180.1)
    assert "node02:customization is being performed:" in _ok(lab, "lsnim -Z -a Cstate node02")
