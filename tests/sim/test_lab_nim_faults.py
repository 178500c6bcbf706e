"""Faults the NIM driver's tests inject, on nim-lab.yaml: a failed install after lpar_netboot,
lpar_netboot itself failing, bos_inst refused, answers lost (`drop`) or late (`hang`).

Sources (docs/formats.md "NIM" and "HMC"): IBM AIX "NIM error and warning messages" (`0042-001`
wraps the real cause, `0042-053` no such object); public `lsnim -Z -a Cstate -a info -a
Cstate_result` pollers (a failed install is back at "ready for a NIM operation" with
`Cstate_result` failure); xCAT 2.9.2 `perl-xCAT/xCAT/LparNetbootExp.pm` (lpar_netboot prints
"Unable to boot network adapter." and "# Finished in an error." on stdout, lines 3220, 3302);
third-party AIX LED lists reproducing IBM's (623: BOS install hit a fatal error).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml

from tests.sim.conftest import CEC
from tests.sim.test_lab_nim_path import (
    HMC,
    NETBOOT,
    NIM_LAB,
    attrs,
    build_image,
    define_node01,
    nim_lab,
    ok,
    refcode,
    sh,
)
from xclone.sim import Lab, netboot
from xclone.sim.errors import ConnectionDropped
from xclone.sim.faults import Fault
from xclone.sim.netboot import lpar_netboot
from xclone.sim.world import Block, World

BOS_INST = ("nim -o bos_inst -a source=mksysb -a mksysb=610sysb_mksysb -a spot=610spot "
            "-a bosinst_data=610sysb_bid -a accept_licenses=yes -a boot_client=no node01")


def lpar_state(lab: Lab) -> str:
    return ok(lab, f"lssyscfg -r lpar -m {CEC} -F state --filter lpar_names=node01",
              HMC).strip()


def test_install_failure_after_lpar_netboot(tmp_path: Path) -> None:
    """`{lpar: node01, install: error}`: the boot is answered, the restore fails part way:
    Cstate "ready for a NIM operation" with Cstate_result failure and a 0042-175 err_info,
    the partition in Error on the BOS install error code 0623; the resources stay allocated
    until the teardown (reset, deallocate) gives them back."""
    lab = nim_lab(tmp_path, faults=[{"lpar": "node01", "install": "error"}])
    build_image(lab)
    define_node01(lab)
    ok(lab, NETBOOT, HMC)
    lab.advance(3 * 3600)
    machine = attrs(lab, "node01")
    assert (machine["Cstate"], machine["Cstate_result"]) == ("ready for a NIM operation",
                                                             "failure")
    assert machine["err_info"].startswith("0042-175")
    assert machine["spot"] == "610spot"
    assert refcode(lab) == "0623"
    assert lpar_state(lab) == "Error"
    ok(lab, "nim -Fo reset node01")
    ok(lab, "nim -o deallocate -a subclass=all node01")
    assert attrs(lab, "610spot")["alloc_count"] == "0"


def test_lpar_netboot_fault_prints_as_the_hmc_does(tmp_path: Path) -> None:
    """A `command: lpar_netboot` fault answers on stdout as lpar_netboot does ("Unable to boot
    network adapter.", "# Finished in an error.", exit 1) and nothing is booted; a fault with
    an HSCL text of its own prints that instead."""
    lab = nim_lab(tmp_path, faults=[{"command": "lpar_netboot", "times": 1}])
    build_image(lab)
    define_node01(lab)
    out, err, status = sh(lab, NETBOOT, HMC)
    assert (err, status) == ("", 1)
    assert out.endswith("Unable to boot network adapter.\n# Finished in an error.\n")
    assert lpar_state(lab) == "Not Activated"
    assert attrs(lab, "node01")["Cstate"] == "BOS installation has been enabled"
    lab.add_fault(Fault(command="lpar_netboot", times=1,
                        stderr="HSCL1402 The partition is in the wrong state.\n"))
    assert sh(lab, NETBOOT, HMC) == ("", "HSCL1402 The partition is in the wrong state.\n", 1)
    assert ok(lab, NETBOOT, HMC).endswith("# Finished.\n")


def test_bos_inst_refused_allocates_nothing(tmp_path: Path) -> None:
    """bos_inst with a resource NIM cannot allocate (missing: 0042-053, exit 53; a SPOT not
    ready for use: the 0042-001 wrapper, exit 1) fails, the machine stays ready and no
    resource is held (alloc_count 0)."""
    data = yaml.safe_load(NIM_LAB.read_text(encoding="utf-8"))
    data["management_node"]["nim"]["resources"] = {
        "badspot": {"type": "spot", "Rstate": "unavailable for use"}}
    lab = nim_lab(tmp_path, management_node=data["management_node"])
    build_image(lab)
    ok(lab, "hostent -a 9.114.113.230 -h node01")
    ok(lab, "nim -o define -t standalone -a if1='master_net node01 fef9dfa81e02' node01")
    missing = sh(lab, BOS_INST.replace("spot=610spot", "spot=nospot"))
    assert missing == ("", '0042-053 nim: there is no NIM object named "nospot"\n', 53)
    out, err, status = sh(lab, BOS_INST.replace("spot=610spot", "spot=badspot"))
    assert (out, status) == ("", 1) and "badspot" in err and err.startswith("0042-001")
    machine = attrs(lab, "node01")
    assert machine["Cstate"] == "ready for a NIM operation" and "mksysb" not in machine
    assert attrs(lab, "610sysb_mksysb")["alloc_count"] == "0"


def test_dropped_answers_of_nim_and_lpar_netboot(tmp_path: Path) -> None:
    """A `drop` fault lets bos_inst and lpar_netboot run, then loses their answers: the
    install is armed and the boot under way, each command ran once, and the HMC session
    ended (the next lpar_netboot peaks at one, not two)."""
    lab = nim_lab(tmp_path, faults=[{"command": "nim", "args": "bos_inst", "drop": True,
                                     "times": 1},
                                    {"command": "lpar_netboot", "drop": True, "times": 1}])
    build_image(lab)
    ok(lab, "hostent -a 9.114.113.230 -h node01")
    ok(lab, "nim -o define -t standalone -a if1='master_net node01 fef9dfa81e02' node01")
    with pytest.raises(ConnectionDropped):
        lab.execute("nimmaster", BOS_INST)
    assert attrs(lab, "node01")["Cstate"] == "BOS installation has been enabled"
    with pytest.raises(ConnectionDropped):
        lab.execute(HMC, NETBOOT)
    lab.advance(60)
    assert attrs(lab, "node01")["Cstate"] == (
        "Base Operating System installation is being performed")
    counts = lab.command_counts()
    assert counts[f"nimmaster {BOS_INST}"] == 1
    assert sum(n for key, n in counts.items() if key.startswith("hmc01 lpar_netboot")) == 1
    assert lab.netboot_peaks() == {HMC: 1}


def test_hang_delays_nim_and_lpar_netboot(tmp_path: Path) -> None:
    """A `hang` fault holds the answer of `nim` and `lpar_netboot` for its real seconds, then
    the command answers normally."""
    lab = nim_lab(tmp_path, faults=[{"command": "nim", "hang": 0.3},
                                    {"command": "lpar_netboot", "hang": 0.3}])
    started = time.monotonic()
    assert sh(lab, "nim -o define -t ent -a net_addr=10.1.0.0 -a snm=255.255.0.0 n2") == (
        "", "", 0)
    assert sh(lab, f"lpar_netboot -M -n -t ent node02 lpar6 {CEC}", HMC)[2] == 0
    assert time.monotonic() - started >= 0.6


def test_a_killed_lpar_netboot_stops_counting(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """An lpar_netboot whose caller died mid-call (SIGKILL: its session never ends) no longer
    counts once its time is over, so a crashed run cannot make the next run's peak look like
    two sessions at once."""
    lab = nim_lab(tmp_path)
    with lab._session() as opened:
        started = lpar_netboot(World(opened.session, HMC, None), NETBOOT.split()[1:])
    assert isinstance(started, Block)  # never finished: its caller was killed
    monkeypatch.setattr(netboot, "SESSION_GRACE", 0.0)
    time.sleep(0.01)
    ok(lab, f"lpar_netboot -M -n -t ent node02 lpar6 {CEC}", HMC)
    assert lab.netboot_peaks() == {HMC: 1}


def test_a_boot_whose_caller_was_killed_still_installs(tmp_path: Path) -> None:
    """lpar_netboot started the partition's network boot, then its caller was killed before
    the command returned: the firmware goes on, NIM answers its bootp and installs it, so the
    world after the crash is what the hardware would show (Cstate_result success, Running)."""
    lab = nim_lab(tmp_path)
    build_image(lab)
    define_node01(lab)
    with lab._session() as opened:
        started = lpar_netboot(World(opened.session, HMC, None), NETBOOT.split()[1:])
    assert isinstance(started, Block)  # its finish never runs
    lab.advance(3 * 3600)
    assert attrs(lab, "node01")["Cstate_result"] == "success"
    assert lpar_state(lab) == "Running"


def test_showres_of_a_resource_whose_file_is_gone(tmp_path: Path) -> None:
    """`nim -o showres` of a file resource whose file was removed answers as NIM does: the
    0042-001 wrapper, then `0042-207 m_showres: Unable to allocate the NAME resource to
    master.` (a real answer quoted in IBM's ansible-power-aix `nim_resource` module)."""
    lab = nim_lab(tmp_path)
    build_image(lab)
    ok(lab, "nim -o define -t script -a server=master -a location=/export/nim/script_res/bar s")
    ok(lab, "rm /export/nim/script_res/bar")
    assert sh(lab, "nim -o showres s") == (
        "", '0042-001 nim: processing error encountered on "master":\n'
        "   0042-207 m_showres: Unable to allocate the s resource to master.\n", 1)


def test_mksysb_from_a_client_that_is_not_running(tmp_path: Path) -> None:
    """A backup (`mk_image=yes`) of a client that is down fails with the master's wrapper and
    the client's own nested one (`0042-001 m_mkbosi: processing error encountered on
    "CLIENT":`, as in a NIM log quoted in a public PowerHA runbook); no resource is made."""
    lab = nim_lab(tmp_path)
    ok(lab, f"chsysstate -m {CEC} -r lpar -o shutdown --immed -n node27", HMC)
    lab.advance(60)
    out, err, status = sh(lab, "nim -o define -t mksysb -a server=master "
                               "-a location=/export/nim/g1 -a source=node27 -a mk_image=yes g1")
    assert (out, status) == ("", 1)
    assert err.splitlines()[:2] == [
        '0042-001 nim: processing error encountered on "master":',
        '   0042-001 m_mkbosi: processing error encountered on "node27":']
    assert sh(lab, "lsnim -l g1")[2] == 53
