"""`xclone lab init --from-spec` for a `driver: nim` spec: a NIM-only world (no xCAT on the
master), and the benchmark generator's NIM-only world of N LPARs.

What the world must hold is what the NIM procedure needs (docs/nim-driver.md, docs/formats.md
"NIM" and "HMC"): a configured NIM master (`master_net` on its subnet, as `nim_master_setup`
makes it; xCAT 2.9.2 aixinstall.pm), each golden client a running NIM machine (IBM AIX "Using a
mksysb image to install the base operating system on a NIM client": the source of a mksysb is a
running NIM client), the partitions with their virtual Ethernet MACs (HMC manual page LSHWRES),
the postscript files NIM defines `script` resources from (a resource's file must exist), and
each HMC's name resolvable on the master (`find_net` in `-t hmc` definitions).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click
import pytest
import yaml

from tests.sim.conftest import lab_from_spec
from xclone.sim import Lab
from xclone.sim.from_spec import (
    ClusterOutline,
    HmcOutline,
    LparOutline,
    NetworkOutline,
    OsimageOutline,
    lab_document,
)
from xclone.sim.generate import synthetic_lab

CEC = "Server-9117-MMA-SN10F6F3D"
SCRIPTS = ("setupntp", "confignimsh", "foo", "bar")
NIM_SPEC = """\
version: 1
cluster: clustersite
driver: nim
management_node: {host: nimmaster, user: root}
hmcs:
  hmc01: {host: hmc01.cluster.com, username: hscroot, password: {env: HMC01_PASSWORD}}
networks:
  net1: {net: 9.114.113.224, mask: 255.255.255.224, gateway: 9.114.113.254}
osimages:
  610sysb: {source_node: node27, spot: {create: true}}
groups:
  aixnodes: {postscripts: [setupntp, confignimsh]}
lpar_defaults: {hmc: hmc01, cec: Server-9117-MMA-SN10F6F3D, osimage: 610sysb, groups: [aixnodes]}
lpars:
  node01: {id: 9, profile: lpar9, ip: 9.114.113.230, postscripts: [foo, bar]}
  node02: {id: 7, profile: lpar6, ip: 9.114.113.231, mac: fef9dfb7c602}
"""


def outline(**changes: object) -> ClusterOutline:
    base = ClusterOutline(
        "nimmaster", "nimmaster", "cluster.com",
        (HmcOutline("hmc01", "hmc01.cluster.com", "hscroot", {"env": "HMC01_PASSWORD"}),),
        (NetworkOutline("net1", "9.114.113.224", "255.255.255.224", "9.114.113.254"),),
        (OsimageOutline("610sysb", "node27", None, ()),
         OsimageOutline("filed", None, None, (), "/export/mksysb/filed.mksysb")),
        (LparOutline("node01", "hmc01", CEC, 9, "lpar9", "9.114.113.230", None, "610sysb"),
         LparOutline("node02", "hmc01", CEC, 7, "lpar6", "9.114.113.231", "fef9dfb7c602",
                     "610sysb")),
        driver="nim", scripts=SCRIPTS)
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def run(lab: Lab, command: str, host: str = "nimmaster") -> tuple[str, str, int]:
    result = lab.execute(host, command)
    return result.stdout, result.stderr, result.exit_status


def test_nim_outline_makes_a_nim_only_world(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """No xCAT on the master; master_net on the spec network's subnet; node27 a running NIM
    client (a mksysb source); the partitions never activated with their MACs in lshwres; the
    spec's postscripts and existing mksysb files present, so NIM defines them; hmc01 resolves
    for find_net."""
    monkeypatch.setenv("HMC01_PASSWORD", "abc123")
    document = lab_document(outline(), instant=True)  # the mk_image mksysb takes no real time
    assert document["management_node"]["xcat"] is False
    lab = Lab.from_dict(document, tmp_path / "state")
    assert run(lab, "lsdef -t node") == ("", "ksh: lsdef:  not found.\n", 127)
    assert "9.114.113.224" in run(lab, "lsnim -l master_net")[0]
    assert " = currently running\n" in run(lab, "lsnim -l node27")[0]
    macs = run(lab, f"lshwres -r virtualio --rsubtype eth --level lpar -m {CEC} "
                    "-F lpar_name,mac_addr", "hmc01")[0]
    assert "node02,FEF9DFB7C602\n" in macs and "node01," in macs
    assert run(lab, f"lssyscfg -r lpar -m {CEC} -F name,state --filter lpar_names=node01",
               "hmc01")[0] == "node01,Not Activated\n"
    for script in SCRIPTS:
        assert run(lab, f"nim -o define -t script -a server=master "
                        f"-a location=/export/nim/script_res/{script} {script}")[2] == 0
    assert run(lab, "nim -o define -t mksysb -a server=master "
                    "-a location=/export/mksysb/filed.mksysb filed")[2] == 0
    assert run(lab, "nim -o define -t mksysb -a server=master -a location=/export/nim/g1 "
                    "-a source=node27 -a mk_image=yes g1")[2] == 0
    assert run(lab, "dpasswd -f hmc01 -U hscroot -P abc123")[2] == 0
    assert run(lab, "nim -o define -t hmc -a passwd_file=/etc/ibm/sysmgt/dsm/config/hmc01 "
                    "-a if1='find_net hmc01.cluster.com 0' hmc01")[2] == 0


def test_xcat_outline_is_unchanged_by_the_nim_fields() -> None:
    """The same outline under driver xcat keeps xCAT and writes no script files."""
    document = lab_document(outline(driver="xcat"))
    assert document["management_node"]["xcat"]["node"]["node27"]["status"] == "booted"
    assert list(document["management_node"]["files"]) == ["/etc/hosts"]


def test_lab_init_from_a_nim_spec(tmp_path: Path,
                                  xclone_cli: click.Group) -> None:
    """`xclone lab init --from-spec SPEC` on a driver: nim spec writes the NIM-only lab file
    (xcat: false, the scripts under management_node.scripts_dir) and seeds it."""
    spec = tmp_path / "nim-cluster.yaml"
    spec.write_text(NIM_SPEC, encoding="utf-8")
    lab_from_spec(xclone_cli, spec)
    written = yaml.safe_load((tmp_path / "nim-cluster-lab.yaml").read_text(encoding="utf-8"))
    mn = written["management_node"]
    assert mn["xcat"] is False
    assert sorted(p for p in mn["files"] if p.startswith("/export/nim/script_res/")) == sorted(
        f"/export/nim/script_res/{s}" for s in SCRIPTS)
    assert "abc123" not in (tmp_path / "nim-cluster-lab.yaml").read_text(encoding="utf-8")


def test_synthetic_nim_only_world(tmp_path: Path) -> None:
    """`synthetic_lab(N, nim_only=True)`: the benchmark world of N LPARs on a master without
    xCAT, whose postscripts' files are present."""
    lab = Lab.from_dict(synthetic_lab(50, nim_only=True), tmp_path / "state")
    master = "xcataixmn"
    assert run(lab, "lsdef -t node", master)[2] == 127
    assert "node27" in run(lab, "lsnim -t standalone", master)[0]
    assert run(lab, "nim -o define -t script -a server=master "
                    "-a location=/export/nim/script_res/setupntp setupntp", master)[2] == 0
    assert "10.0.255.1 hmc001 hmc001.cluster.com\n" in run(lab, "cat /etc/hosts", master)[0]
    with_xcat = Lab.from_dict(synthetic_lab(5), tmp_path / "xcat")
    assert run(with_xcat, "lsdef -t site", master)[2] == 0
