"""The HMC face: lssyscfg, chsysstate, lpar_netboot, logins (FORMATS §2.15-§2.20)."""

from __future__ import annotations

import pytest

from tests.sim.conftest import CEC, Run
from xclone.sim import Lab, LabError


def hmc(run: Run, command: str) -> tuple[str, str, int]:
    result = run(command, host="hmc01.cluster.com")
    return result.stdout, result.stderr, result.exit_status


def test_lssyscfg_sys_and_lpar(run: Run) -> None:
    assert hmc(run, "lssyscfg -r sys -F name,type_model,serial_num,state") == (
        f"{CEC},9117-MMA,10F6F3D,Operating\n", "", 0)
    fields = "name,lpar_id,state,curr_profile,lpar_env,os_version"
    assert hmc(run, f"lssyscfg -r lpar -m {CEC} -F {fields}")[0] == (
        "node27,3,Running,lpar3,aixlinux,AIX 6.1 6100-09-05-1524\n"
        "node02,7,Not Activated,lpar6,aixlinux,AIX 6.1 6100-09-05-1524\n"
        "node01,9,Not Activated,,aixlinux,Unknown\n")
    assert hmc(run, "lssyscfg -r lpar -m 9117-MMA*10F6F3D --filter lpar_names=node01")[0] == (
        "name=node01,lpar_id=9,lpar_env=aixlinux,state=Not Activated,resource_config=1,"
        "os_version=Unknown,logical_serial_num=10F6F3D9,default_profile=lpar9,curr_profile=,"
        "work_group_id=none,shared_proc_pool_util_auth=0,allow_perf_collection=0,"
        "power_ctrl_lpar_ids=none,boot_mode=norm,lpar_keylock=norm,auto_start=0,"
        "redundant_err_path_reporting=0,rmc_state=inactive,rmc_ipaddr=,sync_curr_profile=0\n")
    assert hmc(run, f"lssyscfg -r lpar -m {CEC} -F name:state --filter lpar_ids=9,7")[0] == (
        "node02:Not Activated\nnode01:Not Activated\n")


def test_lssyscfg_profiles_quote_fields_with_commas(run: Run) -> None:
    out = hmc(run, f'lssyscfg -r prof -m {CEC} --filter "lpar_names=node01"')[0]
    assert out.startswith("name=lpar9,lpar_name=node01,lpar_id=9,lpar_env=aixlinux,")
    assert ",virtual_eth_adapters=2/0/1//0/1," in out


def test_lssyscfg_errors(run: Run) -> None:
    assert hmc(run, "lssyscfg -r lpar -m Server-X -F name") == (
        "", "HSCL8018 The managed system was not found.\n", 1)
    assert hmc(run, f"lssyscfg -r lpar -m {CEC} --filter lpar_names=node99") == (
        "", "HSCL8012 The partition named node99 was not found.\n", 1)
    out, err, status = hmc(run, f"lssyscfg -r lpar -m {CEC} -F name,bogus")
    assert (out, status) == ("", 1) and "-F" in err
    assert hmc(run, "lssyscfg -r frame") == ("No results were found.\n", "", 0)
    missing = hmc(run, "lssyscfg")
    assert missing[2] == 1 and "-r" in missing[1]
    assert hmc(run, "lsdef") == ("", "rbash: lsdef: command not found\n", 127)


def test_chsysstate(frozen: Lab) -> None:
    def run(command: str) -> tuple[str, str, int]:
        result = frozen.execute("hmc01", command)
        return result.stdout, result.stderr, result.exit_status

    assert run(f"chsysstate -m {CEC} -r lpar -o on --id 9 -f lpar9 -b of") == ("", "", 0)
    assert run(f"lssyscfg -r lpar -m {CEC} -F state --filter lpar_ids=9")[0] == "Starting\n"
    frozen.advance(30)
    assert run(f"lssyscfg -r lpar -m {CEC} -F state --filter lpar_ids=9")[0] == "Open Firmware\n"
    refused = run(f"chsysstate -m {CEC} -r lpar -o on -n node01 -f lpar9")
    assert refused[2] == 1 and "node01" in refused[1]
    assert run(f"chsysstate -m {CEC} -r lpar -o on -n node99 -f x")[1] == (
        "HSCL8012 The partition named node99 was not found.\n")
    assert run(f"chsysstate -m {CEC} -r lpar -o shutdown --immed -n node01") == ("", "", 0)
    frozen.advance(10)
    shut = run(f"chsysstate -m {CEC} -r lpar -o shutdown --immed -n node01")
    assert shut[2] == 1
    assert run(f"chsysstate -m {CEC} -r lpar -o on -n node02 -f nosuch")[2] == 1


def test_lpar_netboot_discovery(run: Run) -> None:
    out, _, status = hmc(run, f"lpar_netboot -M -n -t ent node02 lpar6 {CEC}")
    assert status == 0
    assert out == (
        "# Connecting to node02.\n# Connected\n# Checking for power off.\n"
        "# Power off complete.\n# Power on node02 to Open Firmware.\n# Power on complete.\n"
        "# Getting adapter location codes.\n"
        "# Type\t Location Code\t MAC Address\t Full Path Name\t Ping Result\t Device Type\n"
        "ent U9117.MMA.10F6F3D-V7-C2-T1 fef9dfb7c602 /vdevice/l-lan@30000002 n/a virtual\n")
    running = hmc(run, f"lpar_netboot -M -n -t ent node27 lpar3 {CEC}")[0]
    assert "# Checking for power off.\n# Power off the node.\n# Power off complete.\n" in running


def test_lpar_netboot_install_form(run: Run) -> None:
    command = ("lpar_netboot -f -t ent -s auto -d auto -D -S 9.114.113.225 -G 9.114.113.254 "
               f"-C 9.114.113.231 -K 255.255.255.224 -m fef9dfb7c602 node02 lpar6 {CEC}")
    out = hmc(run, command)[0]
    assert out.endswith(
        "# Client IP address is 9.114.113.231.\n# Server IP address is 9.114.113.225.\n"
        "# Gateway IP address is 9.114.113.254.\n# Subnetmask IP address is 255.255.255.224.\n"
        "# Getting adapter location codes.\n# /vdevice/l-lan@30000002 ping successful.\n"
        "# Network booting install adapter.\n# bootp sent over network.\n"
        "# Network boot proceeding, lpar_netboot is exiting.\n# Finished.\n")
    bad = hmc(run, command.replace("fef9dfb7c602", "fef9dfb7c609"))
    assert (bad[0], bad[2]) == ("lpar_netboot: can not find mac address fef9dfb7c609.\n", 1)


def test_hmc_logins(lab: Lab) -> None:
    ok = lab.execute("hmc01", "lssyscfg -r sys -F name", user="hscroot", password="abc123")
    assert ok.exit_status == 0
    assert lab.execute("hmc01", "lssyscfg -r sys -F name").exit_status == 0  # key auth
    with pytest.raises(LabError) as denied:
        lab.execute("hmc01", "lssyscfg -r sys", user="hscroot", password="nope")
    assert "Permission denied (publickey,password)." in denied.value.message
    assert denied.value.transient is False
    with pytest.raises(LabError, match="no such host in the lab"):
        lab.execute("hmc99", "lssyscfg -r sys")
    assert lab.hostnames() == {"hmc01": "hmc", "hmc01.cluster.com": "hmc", "xcataixmn": "mn",
                               "xcataixmn.cluster.com": "mn"}


def test_other_hmc_listings(run: Run) -> None:
    assert hmc(run, f"lshwres -r virtualio --rsubtype eth --level lpar -m {CEC}")[0].startswith(
        "lpar_name=node27,lpar_id=3,slot_num=2,state=1,")
    assert hmc(run, "lshmc -v")[0] == "*TM 7042-CR7\n*SE 10A3B5C\n*RM V9R1\n"
    assert hmc(run, "lssysconn -r all")[0].startswith(
        "resource_type=sys,type_model_serial_num=9117-MMA*10F6F3D,")
