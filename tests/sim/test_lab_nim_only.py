"""The lab's NIM-only path (issue 14): lshwres Ethernet fields, lsrefcode timelines and stalls,
rmvterm, lpar_netboot sessions per HMC, AIX hostent; a bos_inst driven by lpar_netboot.

Sources (docs/formats.md "HMC" and "NIM"): HMC manual pages LSREFCODE and LSHWRES (`-F`,
`--filter lpar_names`, attributes lpar_name, lpar_id, time_stamp, refcode), IBM "(CAxx)
Partition firmware progress codes" (a hang at a code is a stall), AIX 7.2 "lpar_netboot
Command" (`-f -t ent -m MAC -s -d -S -G -C -K partition profile system`), AIX 7.2 "hostent
Command" (`-a IPAddress -h "HostName..."`, `-d IPAddress`), NIM bos_inst Cstate values.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from tests.sim.conftest import CEC, MN, seed_data, write_lab
from xclone.sim import Lab, LabError
from xclone.sim.faults import Fault

HMC = "hmc01"
NODE02_IP = "9.114.113.231"
BOS_INST = ("nim -o bos_inst -a source=mksysb -a mksysb=g1 -a spot=610spot "
            "-a accept_licenses=yes -a boot_client=no node02")
NETBOOT = (f"lpar_netboot -f -t ent -m fef9dfb7c602 -s auto -d auto -S 9.114.113.225 "
           f"-G 9.114.113.254 -C {NODE02_IP} -K 255.255.255.224 node02 lpar6 {CEC}")


def frozen_lab(tmp_path: Path) -> Lab:
    return Lab.init(write_lab(tmp_path, seed_data(clock={"scale": 0})), tmp_path / "state")


def sh(lab: Lab, command: str, host: str = MN) -> tuple[str, str, int]:
    result = lab.execute(host, command)
    return result.stdout, result.stderr, result.exit_status


def refcode(lab: Lab, lpar: str = "node02") -> str:
    out = sh(lab, f"lsrefcode -r lpar -m {CEC} -F lpar_name,refcode "
                  f"--filter lpar_names={lpar}", HMC)[0]
    return out.strip().split(",", 1)[1]


def cstate(lab: Lab, master: str = MN) -> tuple[str, str]:
    """node02's Cstate and Cstate_result ("" when not set) from `lsnim -l`."""
    listing = sh(lab, "lsnim -l node02", master)[0]
    pairs = (line.split(" = ", 1) for line in listing.splitlines()[1:])
    attrs = {key.strip(): value for key, value in pairs}
    return attrs["Cstate"], attrs.get("Cstate_result", "")


def enable_node02(lab: Lab) -> None:
    """The NIM-only runbook up to bos_inst: host entry, machine, mksysb from node27."""
    assert sh(lab, f'hostent -a {NODE02_IP} -h "node02 node02.cluster.com"') == ("", "", 0)
    assert sh(lab, "nim -o define -t standalone -a platform=chrp -a netboot_kernel=64 "
                   "-a if1='find_net node02 fef9dfb7c602' -a cable_type1=N/A node02")[2] == 0
    assert sh(lab, "nim -o define -t mksysb -a server=master -a location=/export/nim/g1 "
                   "-a source=node27 -a mk_image=yes g1")[2] == 0
    assert sh(lab, BOS_INST)[2] == 0


def test_lshwres_eth_fields_and_filter(tmp_path: Path) -> None:
    """`-F lpar_name,slot_num,mac_addr`: MACs as 12 upper-case hex digits, in LPAR id order;
    `--filter lpar_names=` narrows the listing, an unknown name is HSCL8012."""
    lab = frozen_lab(tmp_path)
    base = f"lshwres -r virtualio --rsubtype eth --level lpar -m {CEC}"
    assert sh(lab, f"{base} -F lpar_name,slot_num,mac_addr", HMC) == (
        "node27,2,FEF9DF8D4A02\nnode02,2,FEF9DFB7C602\nnode01,2,FEF9DFA81E02\n", "", 0)
    assert sh(lab, f"{base} -F mac_addr --filter lpar_names=node01", HMC)[0] == "FEF9DFA81E02\n"
    missing = sh(lab, f"{base} --filter lpar_names=node99", HMC)
    assert missing == ("", "HSCL8012 The partition named node99 was not found.\n", 1)
    assert sh(lab, "lshwres -r virtualio --rsubtype eth --level lpar", HMC)[2] == 1


def test_install_timeline_from_bos_inst_and_lpar_netboot(tmp_path: Path) -> None:
    """bos_inst enables the install; lpar_netboot boots node02: its reference code goes
    through firmware (CA...) and AIX codes to blank, NIM's Cstate from "BOS installation has
    been enabled" through "Base Operating System installation is being performed" to "ready
    for a NIM operation" with Cstate_result success."""
    lab = frozen_lab(tmp_path)
    assert refcode(lab) == "00000000"
    enable_node02(lab)
    assert cstate(lab) == ("BOS installation has been enabled", "")
    assert sh(lab, f"rmvterm -m {CEC} -p node02", HMC) == ("", "", 0)
    out, _, status = sh(lab, NETBOOT, HMC)
    assert status == 0 and out.endswith("# Finished.\n")
    assert refcode(lab) == "CA00E176"
    lab.advance(40)
    assert refcode(lab) == "0610"
    assert cstate(lab)[0] == "Base Operating System installation is being performed"
    lab.advance(100)
    assert refcode(lab) == "0C46"
    lab.advance(50)
    assert refcode(lab) == "0C54"
    lab.advance(3600)
    assert refcode(lab) == ""
    assert cstate(lab) == ("ready for a NIM operation", "success")
    stamp = sh(lab, f"lsrefcode -r lpar -m {CEC} -F time_stamp --filter lpar_names=node02",
               HMC)[0]
    assert stamp[2] == "/" and stamp[5] == "/" and len(stamp.strip()) == 19
    assert lab.netboot_peaks() == {HMC: 1}


def test_stalled_reference_code_stays(tmp_path: Path) -> None:
    """A `refcode` fault holds the LPAR on its code (firmware stuck on a bootp request, or BOS
    install waiting at a console prompt): the code stays and NIM never reports success."""
    lab = frozen_lab(tmp_path)
    lab.add_fault(Fault(lpar="node02", refcode="CA00E175"))
    enable_node02(lab)
    sh(lab, NETBOOT, HMC)
    for _ in range(3):
        lab.advance(1800)
        assert refcode(lab) == "CA00E175"
    assert cstate(lab) == ("BOS installation has been enabled", "")

    (tmp_path / "prompt").mkdir()
    prompt = frozen_lab(tmp_path / "prompt")
    prompt.add_fault(Fault(lpar="node02", refcode="0C48"))
    enable_node02(prompt)
    sh(prompt, NETBOOT, HMC)
    prompt.advance(4000)
    assert refcode(prompt) == "0C48"
    assert cstate(prompt)[0] == "Base Operating System installation is being performed"


def test_rmvterm_and_lsrefcode_errors(tmp_path: Path) -> None:
    lab = frozen_lab(tmp_path)
    assert sh(lab, f"rmvterm -m {CEC} --id 9", HMC) == ("", "", 0)
    assert sh(lab, f"rmvterm -m {CEC} -p node99", HMC) == (
        "", "HSCL8012 The partition named node99 was not found.\n", 1)
    assert sh(lab, "rmvterm -m Server-X -p node01", HMC)[1] == (
        "HSCL8018 The managed system was not found.\n")
    assert sh(lab, "lsrefcode -r lpar", HMC)[2] == 1
    assert sh(lab, f"lsrefcode -r lpar -m {CEC} -F lpar_name,refcode", HMC)[0] == (
        "node27,\nnode02,00000000\nnode01,00000000\n")


def test_hostent_adds_and_deletes_host_entries(tmp_path: Path) -> None:
    lab = frozen_lab(tmp_path)
    assert sh(lab, f"hostent -a {NODE02_IP} -h node02") == ("", "", 0)
    assert f"{NODE02_IP} node02\n" in sh(lab, "cat /etc/hosts")[0]
    again = sh(lab, f"hostent -a {NODE02_IP} -h node02")
    assert again[2] == 1 and NODE02_IP in again[1]
    assert sh(lab, f"hostent -d {NODE02_IP}") == ("", "", 0)
    assert NODE02_IP not in sh(lab, "cat /etc/hosts")[0]
    assert sh(lab, f"hostent -d {NODE02_IP}")[2] == 1
    assert sh(lab, "hostent -a 9.114.113.999 -h bad")[2] == 1
    assert sh(lab, "hostent")[2] == 1


def test_netboot_peaks_count_concurrent_sessions_per_hmc(tmp_path: Path) -> None:
    """Two lpar_netboot commands that overlap in time count as two sessions at once on hmc01
    (the lab's proof that a per-HMC limit such as issue 14's max_sessions held); run one
    after the other they peak at one."""
    lab = Lab.init(write_lab(tmp_path, seed_data(clock={"scale": 60})), tmp_path / "state")
    discover = "lpar_netboot -M -n -t ent {name} {profile} " + CEC
    commands = [discover.format(name="node01", profile="lpar9"),
                discover.format(name="node02", profile="lpar6")]
    sh(lab, commands[0], HMC)
    assert lab.netboot_peaks() == {HMC: 1}
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda c: sh(lab, c, HMC), commands))
    assert [status for _, _, status in results] == [0, 0]
    assert lab.netboot_peaks() == {HMC: 2}



def test_define_spot_from_mksysb_takes_lab_time(tmp_path: Path) -> None:
    """`nim -o define -t spot -a source=MKSYSB` builds the SPOT from the mksysb, a long
    operation on the lab clock (the LPARs' power transitions go on meanwhile), and gives it
    the mksysb's oslevel."""
    lab = frozen_lab(tmp_path)
    sh(lab, "nim -o define -t mksysb -a server=master -a location=/export/nim/g1 "
            "-a source=node27 -a mk_image=yes g1")
    sh(lab, f"chsysstate -m {CEC} -r lpar -o on -n node01 -f lpar9", HMC)
    assert sh(lab, "nim -o define -t spot -a server=master -a location=/export/nim/s1 "
                   "-a source=g1 s1") == ("", "", 0)
    state = sh(lab, f"lssyscfg -r lpar -m {CEC} -F state --filter lpar_names=node01", HMC)
    assert state[0] == "Running\n"  # 30 s of Starting are long over
    listing = sh(lab, "lsnim -l s1")[0]
    assert "type" in listing and "= spot\n" in listing
    assert "= 6100-09\n" in listing


NIM_LAB = Path(__file__).resolve().parents[2] / "specs" / "examples" / "nim-lab.yaml"


def test_nim_lab_runbook_without_xcat(tmp_path: Path) -> None:
    """specs/examples/nim-lab.yaml: a NIM master with no xCAT (its xCAT commands are "not
    found") on which the by-hand NIM clone runbook converges node02: hostent, define the
    machine, mksysb from the golden client node27, a SPOT from it, bos_inst with
    boot_client=no, rmvterm + lpar_netboot on the HMC; node02 ends Running the image."""
    data = yaml.safe_load(NIM_LAB.read_text(encoding="utf-8"))
    data["clock"] = {"scale": 0}
    lab = Lab.init(write_lab(tmp_path, data), tmp_path / "state")
    assert sh(lab, "lsdef -t node", "nimmaster") == ("", "ksh: lsdef:  not found.\n", 127)
    assert sh(lab, "lsnim -l node02", "nimmaster")[2] == 53
    runbook = [
        f'hostent -a {NODE02_IP} -h "node02 node02.cluster.com"',
        "nim -o define -t standalone -a platform=chrp -a netboot_kernel=64 "
        "-a if1='find_net node02 fef9dfb7c602' -a cable_type1=N/A -a comments=xclone:c node02",
        "nim -o define -t mksysb -a server=master -a location=/export/nim/mksysb/g1 "
        "-a source=node27 -a mk_image=yes g1",
        "nim -o define -t spot -a server=master -a location=/export/nim/spot -a source=g1 s1",
        "mkdir -p /export/nim",
        "tee /export/nim/clone.bid",
        "nim -o define -t bosinst_data -a server=master -a location=/export/nim/clone.bid bid",
        "nim -o bos_inst -a source=mksysb -a mksysb=g1 -a spot=s1 -a bosinst_data=bid "
        "-a accept_licenses=yes -a boot_client=no node02",
    ]
    for command in runbook:
        result = lab.execute("nimmaster", command, "control_flow:\n    PROMPT = no\n")
        assert (result.stderr, result.exit_status) == ("", 0), command
    assert sh(lab, f"rmvterm -m {CEC} -p node02", HMC) == ("", "", 0)
    assert sh(lab, NETBOOT, HMC)[2] == 0
    lab.advance(3 * 3600)
    assert cstate(lab, "nimmaster") == ("ready for a NIM operation", "success")
    assert sh(lab, f"lssyscfg -r lpar -m {CEC} -F state,os_version "
                   "--filter lpar_names=node02", HMC)[0] == "Running,AIX 6.1 6100-09-05-1524\n"
    assert refcode(lab) == ""
    assert "   alloc_count   = 0\n" in sh(lab, "lsnim -l g1", "nimmaster")[0]


def test_a_stall_fault_in_the_lab_file(tmp_path: Path) -> None:
    """`faults: [{lpar: NAME, refcode: CODE}]` in a lab file is the same stall; without an
    LPAR it is a file:line error naming the form."""
    data = seed_data(clock={"scale": 0}, faults=[{"lpar": "node02", "refcode": "CA00E175"}])
    lab = Lab.init(write_lab(tmp_path, data), tmp_path / "state")
    enable_node02(lab)
    sh(lab, NETBOOT, HMC)
    lab.advance(3600)
    assert refcode(lab) == "CA00E175"
    bad = write_lab(tmp_path, seed_data(faults=[{"refcode": "CA00E175"}]), "bad.yaml")
    with pytest.raises(LabError) as refused:
        Lab.init(bad, tmp_path / "bad")
    [problem] = refused.value.diagnostics
    assert problem.message == "a stall fault reads `lpar: NAME, refcode: CODE`"
    assert problem.location is not None and problem.location.file == str(bad)
