"""The NIM driver's import tests: the example pair (specs/examples/nim-cluster.yaml on
nim-lab.yaml) in a temporary directory, the cluster built by hand with the NIM procedure
(docs/nim-driver.md, steps 2-12) typed on the master and the HMC, then `xclone import` through
the real CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.apply.helpers import Scenario

CEC = "Server-9117-MMA-SN10F6F3D"
HMC = "hmc01.cluster.com"
BOSINST = "control_flow:\n    PROMPT = no\n    RECOVER_DEVICES = no\n    ACCEPT_LICENSES = yes\n"
SCRIPTS = ("setupntp", "confignimsh", "foo", "bar")
# The by-hand procedure for the example cluster, with no xclone mark anywhere (docs/nim-driver.md;
# the command forms are docs/formats.md "NIM" and "HMC").
MASTER_STEPS = (
    "hostent -a 9.114.113.230 -h node01",
    "hostent -a 9.114.113.231 -h node02",
    "nim -o define -t mksysb -a server=master -a location=/export/nim/mksysb/610sysb_mksysb "
    "-a source=node27 -a mk_image=yes 610sysb_mksysb",
    "nim -o define -t spot -a server=master -a location=/export/nim/spot "
    "-a source=610sysb_mksysb 610sysb_spot",
    "mkdir -p /export/nim/bosinst",
    *(f"nim -o define -t script -a server=master -a location=/export/nim/script_res/{s} {s}"
      for s in SCRIPTS),
)
MACHINES = (("node01", "fef9dfa81e02", "9.114.113.230", "lpar9", "-a script=foo -a script=bar"),
            ("node02", "fef9dfb7c602", "9.114.113.231", "lpar6", ""))


@pytest.fixture
def nim(tmp_path: Path) -> Scenario:
    return Scenario(tmp_path, lab_name="nim-lab.yaml", spec_name="nim-cluster.yaml")


def run(seed: Scenario, host: str, command: str, stdin: str | None = None) -> str:
    result = seed.lab.execute(host, command, stdin)
    assert result.exit_status == 0, f"{command}: {result.stderr}"
    return result.stdout


def build_by_hand(seed: Scenario) -> None:
    """The example cluster installed by hand: nothing carries xclone's mark."""
    for command in MASTER_STEPS:
        run(seed, seed.master, command)
    run(seed, seed.master, "tee /export/nim/bosinst/610sysb.bosinst", BOSINST)
    run(seed, seed.master, "nim -o define -t bosinst_data -a server=master "
        "-a location=/export/nim/bosinst/610sysb.bosinst 610sysb_bid")
    for name, mac, ip, profile, scripts in MACHINES:
        run(seed, seed.master, "nim -o define -t standalone -a platform=chrp -a netboot_kernel=64 "
            f"-a if1='master_net {name} {mac}' -a cable_type1=N/A {name}")
        run(seed, seed.master, "nim -o bos_inst -a source=mksysb -a mksysb=610sysb_mksysb "
            "-a spot=610sysb_spot -a bosinst_data=610sysb_bid -a script=setupntp "
            f"-a script=confignimsh {scripts} -a accept_licenses=yes -a boot_client=no {name}")
        run(seed, HMC, f"rmvterm -m {CEC} -p {name}")
        run(seed, HMC, f"lpar_netboot -f -t ent -m {mac} -s auto -d auto -S 9.114.113.225 "
            f"-G 9.114.113.254 -C {ip} -K 255.255.255.224 {name} {profile} {CEC}")


def nim_attr(seed: Scenario, name: str, attr: str) -> str:
    out = run(seed, seed.master, f"lsnim -l {name}")
    found = [line.split("=", 1)[1].strip() for line in out.splitlines()
             if line.strip().startswith(f"{attr} ") or line.strip().startswith(f"{attr}=")]
    return found[0] if found else ""
