"""NIM managed clients (`netboot: nim`) on nim-lab.yaml: `dpasswd`, `hmc` and `cec` objects, a
machine's management profile, and `bos_inst -a boot_client=yes` booting the partition through
the HMC on the same timeline as lpar_netboot.

Sources (docs/formats.md "NIM", Managed clients): IBM AIX "Defining NIM clients" (managed
clients need dsm.core and `mgmt_profile`, set from `mgmt_source` and `identity` = the LPAR id;
`nim -o bos_inst -a boot_client=yes` network-boots and installs them); `dpasswd -f FILE -U
USER [-P PASSWORD]` writing `/etc/ibm/sysmgt/dsm/config/FILE` (its usage text and a session
quoted on powercampus.de, "Das Kommando dpasswd", third-party). The hmc/cec attribute names
and the refusal texts are inferred.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.sim.conftest import CEC
from tests.sim.test_lab_nim_path import (
    HMC,
    NIM_LAB,
    attrs,
    build_image,
    nim_lab,
    ok,
    refcode,
    sh,
)
from xclone.sim import Lab

SECRET = "s3cret-Hmc-pw"
PASSWD_FILE = "/etc/ibm/sysmgt/dsm/config/hmc01"
BOS_INST = ("nim -o bos_inst -a source=mksysb -a mksysb=610sysb_mksysb -a spot=610spot "
            "-a bosinst_data=610sysb_bid -a accept_licenses=yes -a boot_client=yes node01")


def managed_lab(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Lab:
    """nim-lab.yaml whose HMC password is a reference ({env: HMC01_PASSWORD}), so the secret
    is nowhere in the world unless the lab writes it; hmc and cec objects defined."""
    monkeypatch.setenv("HMC01_PASSWORD", SECRET)
    data = yaml.safe_load(NIM_LAB.read_text(encoding="utf-8"))
    data["hmcs"]["hmc01"]["password"] = {"env": "HMC01_PASSWORD"}
    lab = nim_lab(tmp_path, hmcs=data["hmcs"])
    assert sh(lab, f"dpasswd -f hmc01 -U hscroot -P {SECRET}") == (
        f"Password file is {PASSWD_FILE}\nPassword file created.\n", "", 0)
    ok(lab, f"nim -o define -t hmc -a passwd_file={PASSWD_FILE} "
            "-a if1='find_net hmc01 0' hmc01")
    ok(lab, "nim -o define -t cec -a hw_type=9117 -a hw_model=MMA -a hw_serial=10F6F3D "
            "-a mgmt_source=hmc01 cec1")
    build_image(lab)
    ok(lab, "hostent -a 9.114.113.230 -h node01")
    return lab


def define_managed(lab: Lab, how: str = "-a mgmt_source=cec1 -a identity=9") -> None:
    ok(lab, "nim -o define -t standalone -a platform=chrp -a netboot_kernel=64 "
            f"-a if1='master_net node01 fef9dfa81e02' -a cable_type1=N/A {how} node01")


def test_managed_client_installs_through_the_hmc(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """dpasswd, hmc and cec objects (class management), a machine with mgmt_source=cec1 and
    identity=9 (its mgmt_profile1), then bos_inst boot_client=yes: NIM boots partition id 9
    through hmc01 (one HMC session), the install runs to Cstate_result success and a blank
    reference code with the partition Running; the password is stored nowhere in clear."""
    lab = managed_lab(tmp_path, monkeypatch)
    listing = ok(lab, "lsnim -c management")
    assert sorted(line.split()[:3] for line in listing.splitlines()) == [
        ["cec1", "management", "cec"], ["hmc01", "management", "hmc"]]
    assert attrs(lab, "hmc01")["if1"] == "master_net hmc01 0"
    define_managed(lab)
    assert attrs(lab, "node01")["mgmt_profile1"] == "hmc01 9 cec1"
    assert sh(lab, BOS_INST) == ("", "", 0)
    assert ok(lab, f"lssyscfg -r lpar -m {CEC} -F state --filter lpar_names=node01",
              HMC) != "Not Activated\n"
    lab.advance(3 * 3600)
    machine = attrs(lab, "node01")
    assert (machine["Cstate"], machine["Cstate_result"]) == ("ready for a NIM operation",
                                                             "success")
    assert refcode(lab) == ""
    assert ok(lab, f"lssyscfg -r lpar -m {CEC} -F state --filter lpar_names=node01",
              HMC) == "Running\n"
    assert lab.netboot_peaks() == {HMC: 1}
    assert SECRET not in ok(lab, f"cat {PASSWD_FILE}")
    assert ok(lab, f"cat {PASSWD_FILE}").startswith("hscroot ")
    stored = b"".join(p.read_bytes() for p in (tmp_path / "state").iterdir() if p.is_file())
    assert SECRET.encode() not in stored
    assert any("dpasswd -f hmc01 -U hscroot -P '***'" in key for key in lab.command_counts())


def test_management_profile_set_directly(tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """`mgmt_profile1='hmc01 9 cec1'` is the same profile; naming objects that do not exist,
    or mgmt_source without a numeric identity, is refused and defines nothing."""
    lab = managed_lab(tmp_path, monkeypatch)
    assert sh(lab, "nim -o define -t standalone -a if1='master_net node01 fef9dfa81e02' "
                   "-a mgmt_profile1='hmc09 9 cec1' node01")[2] == 1
    assert sh(lab, "nim -o define -t standalone -a if1='master_net node01 fef9dfa81e02' "
                   "-a mgmt_source=cec1 node01")[2] == 1
    assert sh(lab, "lsnim -l node01")[2] == 53
    define_managed(lab, "-a mgmt_profile1='hmc01 9 cec1'")
    assert sh(lab, BOS_INST) == ("", "", 0)
    lab.advance(3 * 3600)
    assert attrs(lab, "node01")["Cstate_result"] == "success"


def test_boot_client_yes_refusals(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """boot_client=yes fails with NIM's 0042-001 wrapper and leaves the machine ready with
    nothing allocated when the machine has no management profile, when the HMC password file
    holds a wrong password, or when no partition has the profile's identity."""
    lab = managed_lab(tmp_path, monkeypatch)
    ok(lab, "nim -o define -t standalone -a if1='master_net node01 fef9dfa81e02' node01")
    unmanaged = sh(lab, BOS_INST)
    assert unmanaged[2] == 1 and "mgmt_profile1" in unmanaged[1]
    assert "spot" not in attrs(lab, "node01")
    ok(lab, "nim -o remove node01")
    define_managed(lab)
    ok(lab, "dpasswd -f hmc01 -o -U hscroot -P wrong")
    refused = sh(lab, BOS_INST)
    assert refused[2] == 1 and PASSWD_FILE in refused[1]
    assert attrs(lab, "node01")["Cstate"] == "ready for a NIM operation"
    assert ok(lab, f"lssyscfg -r lpar -m {CEC} -F state --filter lpar_names=node01",
              HMC) == "Not Activated\n"
    ok(lab, "dpasswd -f hmc01 -o -U hscroot", stdin=SECRET + "\n")
    ok(lab, "nim -o remove node01")
    define_managed(lab, "-a mgmt_source=cec1 -a identity=42")
    assert "no partition" in sh(lab, BOS_INST)[1]
    assert attrs(lab, "610spot")["alloc_count"] == "0"


def test_dpasswd_usage_and_overwrite(tmp_path: Path) -> None:
    """dpasswd needs -f and -U; an existing file is kept unless -o; a file in a directory
    that does not exist is refused; a bare name lands in /etc/ibm/sysmgt/dsm/config."""
    lab = nim_lab(tmp_path)
    assert sh(lab, "dpasswd -f x")[2] == 1
    assert sh(lab, "dpasswd -U hscroot -P p")[2] == 1
    ok(lab, "dpasswd -f h1 -U hscroot -P p")
    again = sh(lab, "dpasswd -f h1 -U hscroot -P q")
    assert again[2] == 1 and "-o" in again[1]
    assert sh(lab, "dpasswd -f /no/such/dir/h2 -U hscroot -P p")[2] == 1
    assert "h1" in ok(lab, "ls /etc/ibm/sysmgt/dsm/config")
