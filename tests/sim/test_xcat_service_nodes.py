"""An xCAT hierarchical cluster in the lab (issue 17, specs/examples/xcat-sn-lab.yaml): the
service node sn1 is an xCAT node in group `service` and the NIM master of net2; the management
node's xcat2nim, nimnodeset and rnetboot dispatch each node to its `servicenode`.

Sources (xCAT 2.9.2, docs/formats.md "xCAT service nodes"): aixinstall.pm preprocess_request
(lines 290-320) and xcat2nim.pm preprocess_request (lines 97-130) group the nodes with
ServiceNodeUtils.pm getSNformattedhash by `noderes.servicenode`; aixinstall.pm doSNcopy2
(lines 9610-9780) and copyres2 (lines 9409-9600) copy the image's resources to each SN that
lacks them; make_SN_resource (lines 12959-13650) defines them there; PPC.pm (lines 1033-1046)
boots from the node's `xcatmaster`; xcatd (lines 1905-1960) reports an SN it cannot reach with
"Unable to dispatch hierarchical sub-command to HOST:3001." and goes on with the others.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import pytest

from tests.apply.helpers import load
from tests.sim.conftest import lab_from_spec
from xclone.sim import Fault, Lab, LabError, SimResult

EXAMPLES = Path(__file__).resolve().parents[2] / "specs" / "examples"
LAB = EXAMPLES / "xcat-sn-lab.yaml"
MN = "xcataixmn"
IMAGE = "mknimimage -m mksysb -n node27 610sysb spot=610spot resolv_conf=my_resolv_conf"
SN_NODES = "servicenode=sn1 xcatmaster=9.114.114.5"


def world(tmp_path: Path, **changes: Any) -> Lab:
    data: dict[str, Any] = load(LAB)
    data.update(changes)
    return Lab.from_dict(data, tmp_path / "state")


def run(lab: Lab, command: str, host: str = MN, stdin: str | None = None) -> SimResult:
    return lab.execute(host, command, stdin)


def prepare(lab: Lab) -> None:
    """The runbook up to xcat2nim: node01 on the MN's network, node03 and node04 on net2
    served by sn1 (their xcatmaster its address there)."""
    commands = [
        "mkdef -t node -o hmc01 groups=hmc,all nodetype=ppc hwtype=hmc mgt=hmc "
        "username=hscroot password=abc123",
        "mkdef -t network -o net1 net=9.114.113.224 mask=255.255.255.224 gateway=9.114.113.254",
        "mkdef -t network -o net2 net=9.114.114.0 mask=255.255.255.224 gateway=9.114.114.30",
    ]
    for command in commands:
        assert run(lab, command).exit_status == 0, command
    run(lab, "mkdef -z", stdin=run(lab, "rscan -z hmc01").stdout)  # node27, sn1 exist: exit 1
    for command in ("chdef node01 ip=9.114.113.230 groups=lpar,all",
                    f"chdef node03 ip=9.114.114.10 groups=lpar,all {SN_NODES}",
                    f"chdef node04 ip=9.114.114.11 groups=lpar,all {SN_NODES}",
                    IMAGE, "makehosts", "makeconservercf", "getmacs node01,node03,node04 -D"):
        assert run(lab, command).exit_status == 0, command


def machines(lab: Lab, host: str) -> list[str]:
    return [line.split()[0] for line in run(lab, "lsnim -c machines", host).stdout.splitlines()]


@pytest.fixture
def lab(tmp_path: Path) -> Lab:
    made = world(tmp_path, clock={"instant": True})
    prepare(made)
    return made


def test_the_service_node_is_an_xcat_node_and_its_own_nim_master(tmp_path: Path) -> None:
    """Schema.pm: a service node is a node of group `service` with servicenode-table
    attributes (setupnfs, setupconserver); it answers NIM commands from its own database."""
    lab = world(tmp_path)
    shown = run(lab, "lsdef sn1").stdout
    for line in ("groups=service,all", "setupnfs=1", "ip=9.114.114.5"):
        assert f"    {line}\n" in shown
    master = " ".join(run(lab, "lsnim -l master", "sn1").stdout.split())
    assert "if1 = master_net sn1 0" in master
    assert "net_addr = 9.114.114.0" in " ".join(run(lab, "lsnim -l master_net", "sn1").stdout
                                                 .split())
    assert run(lab, "lsdef -t node", "sn1").exit_status == 127  # xCAT's commands: on the MN


def test_xcat2nim_defines_each_machine_on_its_service_node(lab: Lab) -> None:
    """xcat2nim.pm lines 97-130: one request per servicenode; sn1 resolves node03 through the
    management node's name server (site nameservers)."""
    made = run(lab, "xcat2nim -t node node01,node03,node04")
    assert (made.exit_status, made.stdout, made.stderr) == (0, "", "")
    assert machines(lab, MN) == ["master", "node01", "node27"]
    assert machines(lab, "sn1") == ["master", "node03", "node04"]
    again = run(lab, "xcat2nim -t node node03")
    assert again.exit_status == 1  # sn1's own x2n: its name in the messages
    assert "sn1:  The NIM client machine 'node03' already exists." in again.stdout
    assert "Error: sn1:  One or more errors occured." in again.stderr


def test_nimnodeset_copies_the_image_to_the_service_node_once(lab: Lab) -> None:
    """doSNcopy2: the resources sn1 lacks (mksysb, SPOT, bosinst_data, resolv_conf and
    xcataixscript) are copied and defined there (make_SN_resource), and the SN allocates
    and enables bos_inst in its own database; the next call finds them."""
    assert run(lab, "xcat2nim -t node node01,node03,node04").exit_status == 0
    done = run(lab, "nimnodeset -i 610sysb node01,node03,node04")
    assert done.exit_status == 0, done.stderr
    assert done.stdout == ("xcataixmn: AIX/NIM nodes were initialized.\n\n"
                           "Checking NIM resources on sn1.\n\n"
                           "sn1: AIX/NIM nodes were initialized.\n\n")
    resources = run(lab, "lsnim -c resources", "sn1").stdout
    for name in ("610sysb_mksysb", "610spot", "610sysb_bosinst_data", "my_resolv_conf",
                 "xcataixscript"):
        assert f"{name} " in resources
    node03 = " ".join(run(lab, "lsnim -l node03", "sn1").stdout.split())
    assert "Cstate = BOS installation has been enabled" in node03
    assert "mksysb = 610sysb_mksysb" in node03
    assert "mksysb image of node27" in run(
        lab, "cat /install/nim/mksysb/610sysb/610sysb_mksysb", "sn1").stdout
    assert run(lab, "lsnim -l node03").exit_status != 0  # not on the MN
    second = run(lab, "nimnodeset -f -i 610sysb node03")
    assert "Using existing resource called '610sysb_mksysb'.\n" in second.stdout


def test_an_install_boots_from_its_xcatmaster_and_reports_to_the_mn(lab: Lab) -> None:
    """rnetboot's -S is the node's xcatmaster (PPC.pm, GetMasterNodeName): sn1 answers its
    bootp, installs it from its own database, and the MN's status follows."""
    assert run(lab, "xcat2nim -t node node01,node03").exit_status == 0
    assert run(lab, "nimnodeset -i 610sysb node01,node03").exit_status == 0
    assert run(lab, "rnetboot node01,node03").stdout == "node01: Success\nnode03: Success\n"
    assert "    status=booted\n" in run(lab, "lsdef node03 -i status").stdout
    node03 = " ".join(run(lab, "lsnim -l node03", "sn1").stdout.split())
    assert "Cstate_result = success" in node03
    assert "Cstate_result = success" in " ".join(run(lab, "lsnim -l node01").stdout.split())


def test_a_node_whose_xcatmaster_is_not_its_service_node_gets_no_bootp_answer(
        lab: Lab) -> None:
    """xcatmaster left at the MN: the directed bootp goes to the MN, which has no machine for
    node03, so the boot stalls in firmware and no install begins."""
    assert run(lab, "xcat2nim -t node node03").exit_status == 0
    assert run(lab, "nimnodeset -i 610sysb node03").exit_status == 0
    assert run(lab, "chdef node03 xcatmaster=9.114.113.225").exit_status == 0
    run(lab, "rnetboot node03")
    node03 = " ".join(run(lab, "lsnim -l node03", "sn1").stdout.split())
    assert "Cstate = BOS installation has been enabled" in node03
    assert "status=booted" not in run(lab, "lsdef node03 -i status").stdout


DOWN = Fault(host="sn1", down=True)
DISPATCH_ERROR = (
    "Error: Unable to dispatch hierarchical sub-command to sn1:3001.  Error: Connection "
    "failure: IO::Socket::INET: connect: timeout at /opt/xcat/lib/perl/xCAT/Client.pm line "
    "236.\n. \n")


def test_a_down_service_node_refuses_ssh(lab: Lab) -> None:
    """A host that does not answer: OpenSSH's connect timeout, the command never runs."""
    lab.add_fault(DOWN)
    with pytest.raises(LabError) as caught:
        run(lab, "lsnim -l", "sn1.cluster.com")
    assert caught.value.message == (
        "sn1.cluster.com: ssh: connect to host sn1.cluster.com port 22: Connection timed out")
    assert caught.value.transient
    assert "lsnim" not in " ".join(lab.command_counts())


def test_xcat2nim_with_a_down_service_node_still_defines_the_others(lab: Lab) -> None:
    """xcatd lines 1905-1960: the unreachable destination's part fails with the dispatch
    error (exit 1), the management node's part is done."""
    lab.add_fault(DOWN)
    made = run(lab, "xcat2nim -t node node01,node03")
    assert (made.exit_status, made.stdout, made.stderr) == (1, "", DISPATCH_ERROR)
    assert machines(lab, MN) == ["master", "node01", "node27"]
    lab.clear_faults()
    assert machines(lab, "sn1") == ["master"]


def test_nimnodeset_with_a_down_service_node_does_nothing(lab: Lab) -> None:
    """doSNcopy2 asks every SN for its resources in preprocessing; one that cannot be asked
    stops the whole command before any node of any server is initialized."""
    assert run(lab, "xcat2nim -t node node01,node03").exit_status == 0
    lab.add_fault(DOWN)
    stopped = run(lab, "nimnodeset -i 610sysb node01,node03")
    assert (stopped.exit_status, stopped.stdout) == (1, "")
    assert stopped.stderr == (
        "Error: Could not copy /etc/hosts to service nodes.\n\n"
        "Error: Could not copy /install/postscripts to service nodes.\n\n"
        "Error: Could not get NIM resource definitions from sn1.\n"
        "Error: Could not copy NIM resources to the xCAT service nodes.\n\n"
        "Error: Return=1.\n")
    assert "Cstate = ready for a NIM operation" in " ".join(
        run(lab, "lsnim -l node01").stdout.split())


def test_rnetboot_of_a_down_service_nodes_node_succeeds_and_stalls(lab: Lab) -> None:
    """rnetboot runs where hmc01 is served (the MN) and succeeds; the bootp request goes to
    the node's xcatmaster, which does not answer, so no install begins."""
    assert run(lab, "xcat2nim -t node node03").exit_status == 0
    assert run(lab, "nimnodeset -i 610sysb node03").exit_status == 0
    lab.add_fault(DOWN)
    assert run(lab, "rnetboot node03").stdout == "node03: Success\n"
    lab.clear_faults()
    assert "status=booted" not in run(lab, "lsdef node03 -i status").stdout
    node03 = " ".join(run(lab, "lsnim -l node03", "sn1").stdout.split())
    assert "Cstate = BOS installation has been enabled" in node03


def test_a_down_fault_needs_a_known_host(tmp_path: Path) -> None:
    data: dict[str, Any] = load(LAB)
    data["faults"] = [{"host": "sn9", "down": True}]
    with pytest.raises(LabError) as caught:
        Lab.from_dict(data, tmp_path / "state")
    assert any("a down fault reads `host: NAME, down: true`" in d.message
               for d in caught.value.diagnostics)


def test_the_copy_takes_the_images_size_over_the_service_nodes_network(tmp_path: Path) -> None:
    """costs `servers`: sn1 at 80 Mbit/s (10 MB/s) gets the 2048 MB mksysb and the 1024 MB SPOT
    in 307.2 s of lab time before its nimnodeset (5 s + 2 s a node); the next call copies
    nothing (doSNcopy2 copies only what the SN lacks)."""
    lab = world(tmp_path, clock={"scale": 0, "start": "2026-11-25 10:00:00"},
                costs={"servers": {"sn1": {"bandwidth_mbit": 80}}})
    prepare(lab)
    assert run(lab, "xcat2nim -t node node03").exit_status == 0
    began = lab.now()
    assert run(lab, "nimnodeset -i 610sysb node03").exit_status == 0
    assert lab.now() - began == pytest.approx(307.2 + 5 + 2)
    began = lab.now()
    assert run(lab, "nimnodeset -f -i 610sysb node03").exit_status == 0
    assert lab.now() - began == pytest.approx(5 + 2)


def test_an_install_shares_its_service_nodes_network_not_the_mns(tmp_path: Path) -> None:
    """costs `nim` at 8 Mbit/s for the MN and `servers` sn1 at 800 Mbit/s: node03's 100 MB
    restore from sn1 runs at its client's pace (10 s), node01's from the MN at 1 MB/s (100 s),
    so node03 is booted first, and node01 about 90 s later."""
    lab = world(tmp_path, clock={"scale": 0, "start": "2026-11-25 10:00:00"},
                costs={"nim": {"bandwidth_mbit": 8, "mksysb_mb": 100, "restore_seconds": 10},
                       "servers": {"sn1": {"bandwidth_mbit": 800}}})
    prepare(lab)
    for command in ("xcat2nim -t node node01,node03", "nimnodeset -i 610sysb node01,node03",
                    "rnetboot node01,node03"):
        assert run(lab, command).exit_status == 0, command

    def booted(node: str) -> bool:
        return "status=booted" in run(lab, f"lsdef {node} -i status").stdout

    waited = 0
    while not booted("node03") and waited < 3600:
        lab.advance(5)
        waited += 5
    assert booted("node03") and not booted("node01")
    lab.advance(80)
    assert not booted("node01")
    lab.advance(20)
    assert booted("node01")


def test_lab_from_a_spec_with_service_nodes(tmp_path: Path, xclone_cli: click.Group) -> None:
    """`lab init --from-spec` of specs/examples/xcat-sn.yaml: sn1 is a NIM master on net2 at
    its spec address and an xCAT node of group service that the MN resolves."""
    spec = tmp_path / "xcat-sn.yaml"
    spec.write_text((EXAMPLES / "xcat-sn.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    lab_from_spec(xclone_cli, spec)
    lab = Lab.for_file(tmp_path / "xcat-sn-lab.yaml", tmp_path / "state")
    assert "    groups=service,all\n" in run(lab, "lsdef sn1").stdout
    assert "9.114.114.5 sn1" in run(lab, "cat /etc/hosts").stdout
    network = " ".join(run(lab, "lsnim -l master_net", "sn1").stdout.split())
    assert "net_addr = 9.114.114.0 snm = 255.255.255.224" in network


def test_xcat2nim_remove_runs_on_the_service_node(lab: Lab) -> None:
    """xcat2nim.pm preprocess_request dispatches every node operation, `-r` too: the cleanup of
    node03's machine happens in sn1's database."""
    assert run(lab, "xcat2nim -t node node03").exit_status == 0
    removed = run(lab, "xcat2nim -t node -r node03")
    assert (removed.exit_status, removed.stderr) == (0, "")
    assert machines(lab, "sn1") == ["master"]


@pytest.mark.parametrize(("change", "why"), [
    ("chdef node03 servicenode=sn9", "Bad hostname 'sn9'"),
    ("chdef sn1 groups=all", "connect: Connection refused"),
])
def test_a_service_node_xcatd_cannot_reach(lab: Lab, change: str, why: str) -> None:
    """Client.pm lines 219-237: a name nobody resolves is IO::Socket::INET's bad hostname; a
    host running no xcatd (not a service node) refuses port 3001. node01 is still defined."""
    assert run(lab, change).exit_status == 0
    dest = "sn9" if "sn9" in change else "sn1"
    made = run(lab, "xcat2nim -t node node01,node03")
    assert made.exit_status == 1
    assert made.stderr == (
        f"Error: Unable to dispatch hierarchical sub-command to {dest}:3001.  Error: Connection "
        f"failure: IO::Socket::INET: {why} at /opt/xcat/lib/perl/xCAT/Client.pm line 236.\n"
        ". \n")
    assert machines(lab, MN) == ["master", "node01", "node27"]


def test_lab_from_a_nim_spec_with_install_servers(tmp_path: Path,
                                                  xclone_cli: click.Group) -> None:
    """Under driver: nim an install server is a plain NIM master (no xCAT node for it): its
    own master_net on the network it serves, the spec's postscript files."""
    spec = tmp_path / "nim-multi.yaml"
    spec.write_text((EXAMPLES / "nim-multi.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    lab_from_spec(xclone_cli, spec)
    written = load(tmp_path / "nim-multi-lab.yaml")
    nim2 = written["nim_masters"]["nim2"]
    assert nim2["nim"]["networks"]["master_net"]["net_addr"] == "9.114.114.0"
    assert any(path.endswith("/setupntp") for path in nim2["files"])
    assert "node" not in (written["management_node"]["xcat"] or {})


def test_a_servicenode_given_by_address_reaches_the_same_xcatd(lab: Lab) -> None:
    """xcatd connects to the servicenode value itself (HOST:3001): sn1's address reaches sn1."""
    assert run(lab, "chdef node03 servicenode=9.114.114.5").exit_status == 0
    assert run(lab, "xcat2nim -t node node03").exit_status == 0
    assert machines(lab, "sn1") == ["master", "node03"]
