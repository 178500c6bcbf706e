"""The NIM-only clone, command by command as docs/nim-driver.md steps 2-13 list them, on
specs/examples/nim-lab.yaml (a NIM master without xCAT and one HMC).

Sources (docs/formats.md "NIM" and "HMC"): IBM AIX "nim Command" (operations define, bos_inst,
reset, deallocate, remove; `-F`), "Defining NIM networks" (`-t ent`, net_addr, snm, routing1),
"Using a mksysb image to install the base operating system on a NIM client" (mksysb from a
running client), "Using the NIM bos_inst operation" and "Using the boot_client attribute"
(`boot_client=no`: someone else boots), "Using the bosinst_data resource", "lsnim Command"
(`lsnim -l NAME...`), "hostent Command"; HMC manual pages RMVTERM, LPAR_NETBOOT, LSREFCODE.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.sim.conftest import CEC, write_lab
from xclone.sim import Lab

ROOT = Path(__file__).resolve().parents[2]
NIM_LAB = ROOT / "specs" / "examples" / "nim-lab.yaml"
MASTER = "nimmaster"
HMC = "hmc01"
NODE01_IP = "9.114.113.230"
MAC = "fef9dfa81e02"
BOSINST_DIR = "/export/nim/bosinst"
BOSINST_FILE = f"{BOSINST_DIR}/610sysb_bid"
BOSINST_TEXT = ("control_flow:\n    PROMPT = no\n    RECOVER_DEVICES = no\n"
                "    ACCEPT_LICENSES = yes\n    EXISTING_SYSTEM_OVERWRITE = yes\n")
NETBOOT = (f"lpar_netboot -f -t ent -m {MAC} -s auto -d auto -S 9.114.113.225 "
           f"-G 9.114.113.254 -C {NODE01_IP} -K 255.255.255.224 node01 lpar9 {CEC}")


def nim_lab(tmp_path: Path, **changes: object) -> Lab:
    """nim-lab.yaml on a frozen clock (time moves with `advance` and blocking commands)."""
    data = yaml.safe_load(NIM_LAB.read_text(encoding="utf-8"))
    data["clock"] = {"scale": 0}
    data.update(changes)
    return Lab.init(write_lab(tmp_path, data), tmp_path / "state")


def sh(lab: Lab, command: str, host: str = MASTER, stdin: str | None = None) \
        -> tuple[str, str, int]:
    result = lab.execute(host, command, stdin)
    return result.stdout, result.stderr, result.exit_status


def ok(lab: Lab, command: str, host: str = MASTER, stdin: str | None = None) -> str:
    out, err, status = sh(lab, command, host, stdin)
    assert (err, status) == ("", 0), command
    return out


def attrs(lab: Lab, name: str) -> dict[str, str]:
    """One object's `lsnim -l` stanza as a map (repeated attributes joined by commas)."""
    found: dict[str, str] = {}
    for line in ok(lab, f"lsnim -l {name}").splitlines()[1:]:
        key, value = (part.strip() for part in line.split(" = ", 1))
        found[key] = f"{found[key]},{value}" if key in found else value
    return found


def refcode(lab: Lab, lpar: str = "node01") -> str:
    out = ok(lab, f"lsrefcode -r lpar -m {CEC} -F lpar_name,refcode "
                  f"--filter lpar_names={lpar}", HMC)
    return out.strip().split(",", 1)[1]


def build_image(lab: Lab) -> None:
    """Steps 2-6: a network, the mksysb from node27, a SPOT from it, the bosinst_data file and
    resource, the script resources whose files the lab file holds."""
    ok(lab, "nim -o define -t ent -a net_addr=9.114.114.0 -a snm=255.255.255.0 "
            "-a routing1='default 9.114.114.254' net2")
    ok(lab, "nim -o define -t mksysb -a server=master -a location=/export/mksysb/610sysb "
            "-a source=node27 -a mk_image=yes 610sysb_mksysb")
    ok(lab, "nim -o define -t spot -a server=master -a location=/export/spot "
            "-a source=610sysb_mksysb 610spot")
    ok(lab, f"mkdir -p {BOSINST_DIR}")
    assert ok(lab, f"tee {BOSINST_FILE}", stdin=BOSINST_TEXT) == BOSINST_TEXT
    ok(lab, f"nim -o define -t bosinst_data -a server=master -a location={BOSINST_FILE} "
            "610sysb_bid")
    for script in ("setupntp", "confignimsh"):
        ok(lab, f"nim -o define -t script -a server=master "
                f"-a location=/export/nim/script_res/{script} {script}")


def define_node01(lab: Lab) -> None:
    """Steps 7-9: host entry, machine, bos_inst with boot_client=no."""
    ok(lab, f"hostent -a {NODE01_IP} -h node01")
    ok(lab, "nim -o define -t standalone -a platform=chrp -a netboot_kernel=64 "
            f"-a if1='master_net node01 {MAC}' -a cable_type1=N/A "
            "-a comments=xclone:clustersite node01")
    ok(lab, "nim -o bos_inst -a source=mksysb -a mksysb=610sysb_mksysb -a spot=610spot "
            "-a bosinst_data=610sysb_bid -a script=setupntp -a script=confignimsh "
            "-a accept_licenses=yes -a boot_client=no node01")


def test_nim_only_clone_end_to_end(tmp_path: Path) -> None:
    """Steps 2-13 of docs/nim-driver.md on nim-lab.yaml: node01 goes from nothing to Running
    the image (Cstate "ready for a NIM operation", Cstate_result success, blank reference
    code), then is torn down with reset, deallocate, remove, hostent -d and the resources
    removed."""
    lab = nim_lab(tmp_path)
    build_image(lab)
    network = attrs(lab, "net2")
    assert (network["class"], network["net_addr"], network["routing1"]) == (
        "networks", "9.114.114.0", "default 9.114.114.254")
    assert attrs(lab, "610spot")["oslevel_r"] == "6100-09"
    assert ok(lab, f"cat {BOSINST_FILE}") == BOSINST_TEXT
    define_node01(lab)
    hosts = ok(lab, "cat /etc/hosts")
    assert f"{NODE01_IP} node01\n" in hosts and hosts.startswith("127.0.0.1 loopback")
    machine = attrs(lab, "node01")
    assert machine["Cstate"] == "BOS installation has been enabled"
    assert machine["comments"] == "xclone:clustersite"
    assert machine["if1"] == f"master_net node01 {MAC}"
    assert machine["script"] == "setupntp,confignimsh"
    assert (machine["mksysb"], machine["spot"], machine["bosinst_data"]) == (
        "610sysb_mksysb", "610spot", "610sysb_bid")
    assert attrs(lab, "setupntp")["alloc_count"] == "1"
    assert ok(lab, "lsnim -Z -a Cstate -a script node01") == (
        "#name:Cstate:script:script:\n"
        "node01:BOS installation has been enabled:setupntp:confignimsh:\n")

    ok(lab, f"rmvterm -m {CEC} -p node01", HMC)
    assert ok(lab, NETBOOT, HMC).endswith("# Finished.\n")
    lab.advance(60)
    assert attrs(lab, "node01")["Cstate"] == (
        "Base Operating System installation is being performed")
    lab.advance(3 * 3600)
    machine = attrs(lab, "node01")
    assert (machine["Cstate"], machine["Cstate_result"]) == ("ready for a NIM operation",
                                                             "success")
    assert "script" not in machine and "mksysb" not in machine
    assert refcode(lab) == ""
    assert ok(lab, f"lssyscfg -r lpar -m {CEC} -F state,os_version "
                   "--filter lpar_names=node01", HMC) == "Running,AIX 6.1 6100-09-05-1524\n"

    several = ok(lab, "lsnim -l node01 610spot setupntp")
    assert [line for line in several.splitlines() if not line.startswith(" ")] == [
        "node01:", "610spot:", "setupntp:"]

    ok(lab, "nim -Fo reset node01")
    ok(lab, "nim -o deallocate -a subclass=all node01")
    ok(lab, "nim -o remove node01")
    ok(lab, f"hostent -d {NODE01_IP}")
    for resource in ("610sysb_bid", "setupntp", "confignimsh", "610spot", "610sysb_mksysb"):
        ok(lab, f"nim -o remove {resource}")
    assert sh(lab, "lsnim -l node01")[2] == 53
    assert NODE01_IP not in ok(lab, "cat /etc/hosts")
    assert sh(lab, "lsnim -l 610spot")[1] == (
        '0042-053 lsnim: there is no NIM object named "610spot"\n')


def test_teardown_of_an_armed_machine(tmp_path: Path) -> None:
    """A machine whose install was armed but never booted: `remove` refuses while resources
    are allocated, `nim -Fo reset` + `deallocate -a subclass=all` free them (alloc_count back
    to 0), then remove works (IBM AIX "nim Command": reset, deallocate, remove)."""
    lab = nim_lab(tmp_path)
    build_image(lab)
    define_node01(lab)
    refused = sh(lab, "nim -o remove 610spot")
    assert refused[2] != 0 and "610spot" in refused[1]
    assert sh(lab, "nim -o remove node01")[2] != 0
    ok(lab, "nim -Fo reset node01")
    assert attrs(lab, "node01")["Cstate"] == "ready for a NIM operation"
    ok(lab, "nim -o deallocate -a subclass=all node01")
    assert attrs(lab, "610spot")["alloc_count"] == "0"
    assert "spot" not in attrs(lab, "node01")
    ok(lab, "nim -o remove node01")


def test_resource_whose_file_is_missing_is_refused(tmp_path: Path) -> None:
    """Defining a bosinst_data or script resource whose location file does not exist fails
    (NIM checks the location on its server before defining the object): NIM's 0042-001
    wrapper, then the missing path; nothing is defined."""
    lab = nim_lab(tmp_path)
    out, err, status = sh(lab, "nim -o define -t script -a server=master "
                               "-a location=/export/nim/script_res/nothere nothere")
    assert (out, status) == ("", 1)
    assert err.startswith('0042-001 nim: processing error encountered on "master":\n')
    assert '"/export/nim/script_res/nothere" does not exist' in err
    assert sh(lab, "lsnim -l nothere")[2] == 53
    assert sh(lab, "nim -o define -t bosinst_data -a server=master "
                   f"-a location={BOSINST_FILE} bid")[2] == 1


def test_lab_show_of_a_nim_only_master(tmp_path: Path) -> None:
    """The world summary says the master has no xCAT instead of listing empty xCAT tables."""
    summary = nim_lab(tmp_path).world_summary()
    assert "  no xCAT: a NIM master only\n" in summary
    assert "xCAT node" not in summary


def test_define_refuses_names_nim_does_not_take(tmp_path: Path) -> None:
    """A NIM object name has at most 39 characters and no shell, file-system or
    regular-expression metacharacters (IBM's SMIT help for NIM, "Network Name"): `nim -o
    define` refuses others with its 0042-001 wrapper and defines nothing."""
    lab = nim_lab(tmp_path)
    for bad in ("a" * 40, "node.01", "x;rm", "we*rd"):
        out, err, status = sh(lab, "nim -o define -t ent -a net_addr=10.9.0.0 "
                                   f"-a snm=255.255.0.0 '{bad}'")
        assert (out, status) == ("", 1) and "not a valid NIM object name" in err, bad
    ok(lab, "nim -o define -t ent -a net_addr=10.9.0.0 -a snm=255.255.0.0 " + "n" * 39)


def test_bos_inst_on_a_machine_group(tmp_path: Path) -> None:
    """`nim -o define -t mac_group -a add_member=...` and one `bos_inst` for the group
    (IBM AIX "Using the NIM bos_inst operation": the target may be a group of standalone
    machines): every member is armed; a member that is not ready fails alone, the others are
    armed, and the exit status says that one failed."""
    lab = nim_lab(tmp_path)
    build_image(lab)
    for name, ip, mac in (("node01", NODE01_IP, MAC), ("node02", "9.114.113.231",
                                                       "fef9dfb7c602")):
        ok(lab, f"hostent -a {ip} -h {name}")
        ok(lab, f"nim -o define -t standalone -a if1='master_net {name} {mac}' {name}")
    ok(lab, "nim -o define -t mac_group -a add_member=node01 -a add_member=node02 clones")
    group = attrs(lab, "clones")
    assert (group["class"], group["type"], group["member1"], group["member2"]) == (
        "groups", "mac_group", "node01", "node02")
    bos_inst = ("nim -o bos_inst -a source=mksysb -a mksysb=610sysb_mksysb -a spot=610spot "
                "-a accept_licenses=yes -a boot_client=no {}")
    ok(lab, bos_inst.format("node02"))
    out, err, status = sh(lab, bos_inst.format("clones"))
    assert status == 1 and "node02" in err and "node01" not in err
    assert attrs(lab, "node01")["Cstate"] == "BOS installation has been enabled"
    assert attrs(lab, "610spot")["alloc_count"] == "2"
    assert sh(lab, "nim -o define -t mac_group -a add_member=610spot bad")[2] == 1
