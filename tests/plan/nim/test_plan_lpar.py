"""What the NIM driver plans for an LPAR (docs/nim-driver.md steps 7-12, issue 14): the chain
hostent -> define -> bos_inst -> rmvterm -> lpar_netboot -> one install wait per managed system,
on the hosts and with the words IBM documents (IBM AIX "hostent Command", "nim Command" define
-t standalone with if1/cable_type1, "Using the NIM bos_inst operation", "Using the boot_client
attribute": boot_client=no leaves the boot to lpar_netboot; HMC manual pages RMVTERM and
LPAR_NETBOOT; docs/formats.md "NIM" and "HMC")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.apply.helpers import Scenario
from tests.plan.nim.helpers import (
    CEC,
    HMC,
    MARK,
    MASTER,
    apply,
    changes,
    commands,
    edit_lab,
    ok,
    plan_doc,
    plan_error,
)

NODE01_MAC = "fef9dfa81e02"  # nim-lab.yaml: node01's virtual Ethernet adapter, slot 2
BOS_INST = ("nim -o bos_inst -a source=mksysb -a mksysb=610sysb_mksysb -a spot=610sysb_spot "
            "-a bosinst_data=610sysb_bid -a script=setupntp -a script=confignimsh "
            "-a script=foo -a script=bar -a accept_licenses=yes -a boot_client=no node01")
NETBOOT = (f"lpar_netboot -f -t ent -m {NODE01_MAC} -s auto -d auto -S 9.114.113.225 "
           f"-G 9.114.113.254 -C 9.114.113.230 -K 255.255.255.224 node01 lpar9 {CEC}")


def node01_chain(doc: dict[str, Any]) -> list[str]:
    return [c for c in commands(doc)
            if "node01" in c and "define -t script" not in c]


def test_fresh_lab_plans_the_whole_chain_with_the_mac_from_lshwres(nim: Scenario) -> None:
    """node01 has no `mac:` in the spec: its install MAC is the first virtual Ethernet MAC the
    HMC lists (lshwres); the machine goes on the master's own network (master_net has the
    spec network's address and mask), the boot server is the master's /etc/hosts address."""
    doc = plan_doc(nim)
    assert node01_chain(doc) == [
        f"{MASTER}: LC_ALL=C hostent -a 9.114.113.230 -h node01",
        f"{MASTER}: LC_ALL=C nim -o define -t standalone -a platform=chrp -a netboot_kernel=64 "
        f"-a 'if1=master_net node01 {NODE01_MAC}' -a cable_type1=N/A -a comments={MARK} node01",
        f"{MASTER}: LC_ALL=C {BOS_INST}",
        f"{HMC}: rmvterm -m {CEC} -p node01",
        f"{HMC}: {NETBOOT}",
        f"{MASTER}: LC_ALL=C lsnim -l node01 node02",
    ]
    wait = doc["actions"][-1]
    assert wait["kind"] == "wait-install"
    assert wait["extra"] == {"hmc": HMC, "system": CEC, "nimsh": "yes"}  # both run confignimsh
    assert (wait["timeout"], wait["stall"]) == (5400, 1200)
    netboots = [a for a in doc["actions"] if a["kind"] == "lpar-netboot"]
    assert [a["destructive"] for a in netboots] == [True, True]
    assert all(a["argv"]["env"] == [] for a in doc["actions"] if a["host"] == HMC)
    assert changes(doc)["lpar.node01"] == ["create"]
    assert doc["summary"]["text"] == "Plan: 3 to add, 0 to change, 0 to reinstall, 0 to destroy."


def test_converged_cluster_plans_nothing(nim: Scenario) -> None:
    """After apply, NIM shows each machine ready with Cstate_result success: installed."""
    apply(nim)
    doc = plan_doc(nim)
    assert doc["actions"] == [] and doc["resource_changes"] == []


def test_a_changed_mac_changes_if1_only(nim: Scenario) -> None:
    """An installed LPAR whose install adapter changes in the spec gets `nim -o change -a
    if1=...`, nothing that reinstalls or boots it."""
    apply(nim)
    nim.set_lpar("node02", mac="fe:f9:df:b7:c6:99")
    doc = plan_doc(nim)
    assert commands(doc) == [f"{MASTER}: LC_ALL=C nim -o change -a "
                             "'if1=master_net node02 fef9dfb7c699' node02"]
    assert changes(doc) == {"lpar.node02": ["update"]}


def test_replace_reinstalls_and_protect_refuses(nim: Scenario) -> None:
    """`--replace lpar.node01` resets and reinstalls an installed LPAR (destructive); with
    `protect: true` the same plan is an error naming the power-cycle."""
    apply(nim)
    doc = plan_doc(nim, "--replace", "lpar.node01")
    assert [a["kind"] for a in doc["actions"] if "node01" in a["command"]] == [
        "nim-reset", "nim-deallocate", "nim-bos-inst", "rmvterm", "lpar-netboot",
        "wait-install"]
    assert changes(doc) == {"lpar.node01": ["delete", "create"]}
    nim.set_lpar("node01", protect=True)
    out = plan_error(nim, "--replace", "lpar.node01")
    assert "lpar.node01" in out and "protect: true" in out and "lpar_netboot -f" in out


def test_an_unmarked_machine_is_a_conflict(nim: Scenario) -> None:
    """A NIM machine named like the LPAR that xclone did not make is never redefined or
    installed: a conflict pointing at `xclone import`."""
    ok(nim, "nim -o define -t standalone -a platform=chrp -a netboot_kernel=64 "
            f"-a if1='master_net node01 {NODE01_MAC}' -a cable_type1=N/A node01")
    out = plan_error(nim)
    assert "NIM standalone 'node01' already exists and is not managed by xclone" in out
    assert "xclone import" in out


def test_absent_lpar_is_torn_down_in_reverse(nim: Scenario) -> None:
    """`state: absent` on an installed LPAR: reset, deallocate, remove, then its /etc/hosts
    line (IBM AIX "nim Command"; `hostent -d`); the partition is left as it is."""
    apply(nim)
    nim.set_lpar("node02", state="absent")
    doc = plan_doc(nim)
    assert commands(doc) == [
        f"{MASTER}: LC_ALL=C nim -Fo reset node02",
        f"{MASTER}: LC_ALL=C nim -o deallocate -a subclass=all node02",
        f"{MASTER}: LC_ALL=C nim -o remove node02",
        f"{MASTER}: LC_ALL=C hostent -d 9.114.113.231",
    ]
    assert changes(doc) == {"lpar.node02": ["delete"]}
    apply(nim)
    assert nim.lab.execute(MASTER, "lsnim -l node02").exit_status == 53
    assert "9.114.113.231" not in ok(nim, "cat /etc/hosts")


def test_state_defined_defines_without_installing(nim: Scenario) -> None:
    """`state: defined`: the name and the NIM machine, no bos_inst, boot or wait."""
    nim.set_lpar("node02", state="defined")
    doc = plan_doc(nim)
    kinds = [a["kind"] for a in doc["actions"] if "node02" in a["command"]]
    assert kinds == ["hostent", "nim-define-machine"]
    assert doc["actions"][-1]["command"] == "LC_ALL=C lsnim -l node01"


def test_errors_no_mac_missing_partition_hosts_clash(nim: Scenario) -> None:
    """One message per problem, each naming the LPAR: no virtual Ethernet and no `mac:`, a
    partition the HMC does not have, an /etc/hosts line giving the address to another name."""
    ok(nim, "hostent -a 9.114.113.231 -h other")
    lpars = nim.spec_data["lpars"]
    lpars["node03"] = {"id": 12, "profile": "lpar12", "ip": "9.114.113.232"}
    nim.write_spec()
    out = plan_error(nim)
    assert "partition 'node03' is not on managed system" in out
    assert "/etc/hosts on the NIM master gives 9.114.113.231 to other, not node02" in out


def test_no_virtual_ethernet_and_no_mac_plans_the_mac_read(nim: Scenario) -> None:
    """lshwres lists no virtual Ethernet adapter for node01 and the spec has no `mac:`: the
    plan reads it with `lpar_netboot -M -n` (test_mac_discovery.py); `mac:` avoids that."""
    def no_adapters(lab: dict[str, Any]) -> None:
        lab["hmcs"]["hmc01"]["systems"][CEC]["lpars"]["node01"]["adapters"] = []
    edit_lab(nim, no_adapters)
    assert any("lpar_netboot -M -n" in c for c in commands(plan_doc(nim)))
    nim.set_lpar("node01", mac="fef9dfa81e02")
    doc = plan_doc(nim)
    assert doc["summary"]["add"] == 3
    assert not any("lpar_netboot -M -n" in c for c in commands(doc))


def test_the_example_pair_prints_the_full_plan(nim: Scenario) -> None:
    """`xclone plan specs/examples/nim-cluster.yaml --lab specs/examples/nim-lab.yaml`: the
    text plan with every command and its host, exit 2 with --detailed-exitcode."""
    result = nim.plan("--detailed-exitcode")
    assert result.exit_code == 2, result.output
    assert f"{HMC}: {NETBOOT}" in result.output
    assert "Plan: 3 to add, 0 to change, 0 to reinstall, 0 to destroy." in result.output


def test_an_armed_install_is_booted_and_a_new_mac_rearms_it(nim: Scenario) -> None:
    """An apply whose lpar_netboot failed (a MAC the partition does not have) leaves node02
    armed ("BOS installation has been enabled", this image's mksysb allocated): the next plan
    only boots it. Once the spec has the right MAC the armed install is for the old adapter:
    reset, deallocate, change if1, arm again, boot."""
    nim.set_lpar("node02", mac="fef9dfb7c609")
    failed = nim.xclone("apply", str(nim.spec_file), "--lab", str(nim.lab_file),
                        "--auto-approve")
    assert failed.exit_code == 1, failed.output
    assert "BOS installation has been enabled" in ok(nim, "lsnim -l node02")
    doc = plan_doc(nim)
    assert [a["kind"] for a in doc["actions"]] == ["rmvterm", "lpar-netboot", "wait-install"]
    assert changes(doc) == {"lpar.node02": ["update"]}
    nim.set_lpar("node02", mac="fef9dfb7c602")
    kinds = [a["kind"] for a in plan_doc(nim)["actions"]]
    assert kinds == ["nim-reset", "nim-deallocate", "nim-change-machine", "nim-bos-inst",
                     "rmvterm", "lpar-netboot", "wait-install"]
    apply(nim)
    assert plan_doc(nim)["actions"] == []


def test_a_managed_system_without_connection_is_one_error_on_the_cec(nim: Scenario) -> None:
    def no_connection(lab: dict[str, Any]) -> None:
        lab["hmcs"]["hmc01"]["systems"][CEC]["state"] = "No Connection"
    edit_lab(nim, no_connection)
    out = plan_error(nim)
    assert f"cec.{CEC}: managed system '{CEC}' is 'No Connection' on HMC hmc01" in out
    assert out.count("No Connection") == 1 and "lpar.node01" not in out


def test_an_install_under_way_is_only_waited_for(tmp_path: Path) -> None:
    """Every command of the plan but the wait run by hand on a frozen clock: NIM shows the
    install being performed, so the next plan is the wait alone, also for a protected LPAR
    (waiting powers nothing off)."""
    nim = Scenario(tmp_path, clock={"scale": 0}, lab_name="nim-lab.yaml",
                   spec_name="nim-cluster.yaml")
    for action in plan_doc(nim)["actions"]:
        if action["kind"] != "wait-install":
            result = nim.lab.execute(action["host"], action["command"], action["stdin"])
            assert result.exit_status == 0, (action["command"], result.stderr)
    nim.lab.advance(60)
    assert "being performed" in ok(nim, "lsnim -l node01")
    nim.set_lpar("node01", protect=True)
    doc = plan_doc(nim)
    assert commands(doc) == [f"{MASTER}: LC_ALL=C lsnim -l node01 node02"]
    assert changes(doc) == {"lpar.node01": ["update"], "lpar.node02": ["update"]}


def test_cleanup_keeps_an_etc_hosts_line_that_names_another_host(nim: Scenario) -> None:
    """`hostent -d IP` deletes the whole line: only when it names the LPAR alone (or with its
    domain names); a line shared with another host stays, and the plan says so."""
    apply(nim)
    ok(nim, "hostent -d 9.114.113.231")
    ok(nim, "hostent -a 9.114.113.231 -h 'node02 node02.cluster.com'")
    ok(nim, "hostent -d 9.114.113.230")
    ok(nim, "hostent -a 9.114.113.230 -h 'node01 printer'")
    doc = plan_doc(nim, "--destroy")
    assert f"{MASTER}: LC_ALL=C hostent -d 9.114.113.231" in commands(doc)
    assert not [c for c in commands(doc) if "hostent -d 9.114.113.230" in c]
    node01 = next(c for c in doc["resource_changes"] if c["address"] == "lpar.node01")
    assert "keeps the /etc/hosts line 9.114.113.230 node01 printer: it names others too" in (
        node01["notes"])
