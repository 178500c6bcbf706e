"""The lab's management node is a configured NIM master, and `xcat2nim` treats networks as
xCAT 2.9.2 does (xCAT-server/lib/xcat/plugins/xcat2nim.pm at 2.9.2_aix_release: mkclientdef
lines 873-1050, mkNIMnetwork lines 1424-1670; aixinstall.pm lines 2495-2651 for the master's
`master_net`); and xCAT's group-object rule (perl-xCAT/xCAT/DBobjUtils.pm getObjectsOfType
lines 45-124, DBobjectdefs.pm defmk lines 1430-1462)."""

from __future__ import annotations

from pathlib import Path

from tests.sim.conftest import NETWORK, Run, define
from xclone.sim import Lab, SimResult
from xclone.sim.generate import synthetic_lab

MASTER = (
    "master:\n"
    "   class               = machines\n"
    "   type                = master\n"
    "   max_nimesis_threads = 20\n"
    "   comments            = machine which controls the NIM environment\n"
    "   platform            = chrp\n"
    "   netboot_kernel      = 64\n"
    "   if1                 = master_net xcataixmn 0\n"
    "   cable_type1         = N/A\n"
    "   Cstate              = ready for a NIM operation\n"
    "   prev_state          = ready for a NIM operation\n"
    "   Mstate              = currently running\n"
    "   master_port         = 1058\n"
    "   registration_port   = 1059\n"
    "   reserved            = yes\n")


def _networks(run: Run) -> list[str]:
    return [line.split()[0] for line in run("lsnim -c networks").stdout.splitlines()]


def test_the_seed_starts_as_a_configured_master(run: Run) -> None:
    """nim_master_setup/nimconfig leave `master_net` for the master's subnet and `if1` on the
    master naming it; every standalone client has an if1 (`<net> <host> <mac>`)."""
    assert run("lsnim -l master").stdout == MASTER
    assert run("lsnim -l master_net").stdout == (
        "master_net:\n   class      = networks\n   type       = ent\n"
        "   net_addr   = 9.114.113.224\n   snm        = 255.255.255.224\n"
        "   routing1   = default 9.114.113.254\n   Nstate     = ready for use\n"
        "   prev_state = information is missing from this object's definition\n")
    assert "   if1            = master_net node27 fef9df8d4a02 ent\n" in \
        run("lsnim -l node27").stdout
    assert _networks(run) == ["master_net"]


def test_xcat2nim_node_uses_find_net_and_never_defines_a_network(run: Run) -> None:
    """mkclientdef builds `if1='find_net <host> <mac> ent'` (lines 958-990); NIM resolves
    find_net to the network holding the node's address, here master_net."""
    define(run)
    run("makehosts")
    run("chdef node01 mac=fef9dfa81e02")
    done = run("xcat2nim node01")
    assert (done.stdout, done.stderr, done.exit_status) == ("", "", 0)
    assert "   if1            = master_net node01 fef9dfa81e02 ent\n" in \
        run("lsnim -l node01").stdout
    assert _networks(run) == ["master_net"]


def test_find_net_fails_when_no_nim_network_holds_the_address(run: Run) -> None:
    """No network object covers 9.114.114.31: NIM refuses the define, xcat2nim reports the node
    and ends with the summary and `Error: Return=1.` (mkclientdef lines 1030-1042)."""
    define(run)
    run("chdef node02 ip=9.114.114.31 mac=fef9dfb7c602")
    run("makehosts")
    failed = run("xcat2nim node02")
    assert (failed.stderr, failed.exit_status) == (
        "Error: xcataixmn:  Could not create a NIM definition for 'node02'.\n\n"
        "Error: xcataixmn:  One or more errors occured.\n\nError: Return=1.\n", 1)
    assert run("lsnim -l node02").exit_status == 53


def test_xcat2nim_network_with_a_matching_nim_network_does_nothing(run: Run) -> None:
    """net1 has master_net's net_addr and snm: mkNIMnetwork finds the match (lines 1470-1490)
    and defines nothing, under no name, exit 0."""
    define(run)
    done = run("xcat2nim -t network -o net1")
    assert (done.stdout, done.stderr, done.exit_status) == ("", "", 0)
    assert _networks(run) == ["master_net"]
    assert run("lsnim -l master").stdout == MASTER


def test_xcat2nim_network_on_the_masters_subnet_adds_a_master_interface(run: Run) -> None:
    """A new network holding the management node's address: `nim -o define -t ent` under the
    xCAT name, then `if<N>='<net> <mn> 0'` and `cable_type<N>=N/A` on master (lines 1495-1572)."""
    run("mkdef -t network -o wide net=9.114.113.0 mask=255.255.255.0 gateway=9.114.113.1")
    assert run("xcat2nim -t network -o wide").exit_status == 0
    assert run("lsnim -a routing1 -a snm -Z wide").stdout == (
        "#name:routing1:snm:\nwide:default 9.114.113.1:255.255.255.0:\n")
    master = run("lsnim -l master").stdout
    assert "   if2                 = wide xcataixmn 0\n" in master
    assert "   cable_type2         = N/A\n" in master


def test_xcat2nim_network_elsewhere_is_a_route_on_master_net(run: Run) -> None:
    """A network the management node is not on: a route on the master's if1 network through
    its default gateway to the new network's gateway (lines 1576-1650); once one network of
    the call matched, `$foundmatch` stays set and the later ones are skipped (line 1487)."""
    run("mkdef -t network -o far net=10.5.0.0 mask=255.255.0.0 gateway=10.5.255.254")
    run("mkdef -t network -o farther net=10.6.0.0 mask=255.255.0.0 gateway=10.6.255.254")
    run(NETWORK)
    assert run("xcat2nim -t network -o far").exit_status == 0
    assert "   routing2   = far 9.114.113.254 10.5.255.254\n" in run("lsnim -l master_net").stdout
    assert run("lsnim -l master").stdout == MASTER
    assert run("xcat2nim -t network -o net1,farther").exit_status == 0
    assert _networks(run) == ["far", "master_net"]


def test_xcat2nim_network_over_a_nim_object_of_that_name_fails(run: Run) -> None:
    """The define fails (the name is taken): "Could not run '<the nim command>'." and the
    call's summary (lines 1498-1506)."""
    run("mkdef -t network -o far net=10.5.0.0 mask=255.255.0.0 gateway=10.5.255.254")
    run("nim -o define -t ent -a net_addr=10.7.0.0 -a snm=255.255.0.0 far")
    failed = run("xcat2nim -t network -o far")
    assert (failed.stderr, failed.exit_status) == (
        "Error: xcataixmn:  Could not run '/usr/sbin/nim -o define -t ent -a net_addr=10.5.0.0 "
        "-a snm=255.255.0.0 -a routing1='default 10.5.255.254' far 2>/dev/null'.\n\n"
        "Error: xcataixmn:  One or more errors occured.\n\nError: Return=1.\n", 1)


def test_a_group_its_members_name_exists_for_mkdef_and_takes_chdef(run: Run) -> None:
    """Nodes in `aixnodes` make it an existing group object: mkdef refuses it as xCAT does;
    `chdef -t group -o aixnodes` writes its static attributes and keeps the members."""
    define(run)
    refused = run("mkdef -t group -o aixnodes postscripts=setupntp")
    assert refused.exit_status == 1
    assert "A definition for 'aixnodes' already exists." in refused.stderr
    assert run("chdef -t group -o aixnodes postscripts=setupntp").exit_status == 0
    shown = run("lsdef -t group -l aixnodes").stdout
    assert "    postscripts=setupntp\n" in shown and "    members=node01,node02\n" in shown


def test_generated_worlds_are_configured_masters_and_lpar_networks_get_a_route(
        tmp_path: Path) -> None:
    """A benchmark world: master_net is the MN's 10.0.0.0/16; a spec network per HMC
    (10.1.0.0/16) is another subnet, so xcat2nim -t network routes master_net to it, and a
    machine there then finds it (mkNIMnetwork lines 1576-1650)."""
    lab = Lab.from_dict(synthetic_lab(2), tmp_path / "bench")

    def run(command: str) -> SimResult:
        return lab.execute("xcataixmn", command)

    assert "   if1                 = master_net xcataixmn 0\n" in run("lsnim -l master").stdout
    assert run("lsnim -a net_addr -a snm -Z master_net").stdout == (
        "#name:net_addr:snm:\nmaster_net:10.0.0.0:255.255.0.0:\n")
    run("mkdef -t network -o net001 net=10.1.0.0 mask=255.255.0.0 gateway=10.1.255.254")
    assert run("xcat2nim -t network -o net001").exit_status == 0
    assert "   routing2   = net001 10.0.255.254 10.1.255.254\n" in \
        run("lsnim -l master_net").stdout
