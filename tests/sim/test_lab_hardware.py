"""rscan, makehosts, makeconservercf, rpower, getmacs, rnetboot (FORMATS §2.3-§2.6, §2.10)."""

from __future__ import annotations

from tests.sim.conftest import CEC, HMC_NODE, NETWORK, Run, define

RSCAN = (
    "type    name                       id      type-model  serial-number  side  \n"
    f"cec     {CEC}          9117-MMA    10F6F3D              \n"
    "hmc     hmc01                              7042-CR7    10A3B5C              \n"
    "lpar    node01                     9       9117-MMA    10F6F3D              \n"
    "lpar    node02                     7       9117-MMA    10F6F3D              \n"
    "lpar    node27                     3       9117-MMA    10F6F3D              \n"
    "\n")
GETMACS_NODE02 = (
    "node02: \n# Type \tLocation Code \tMAC Address\t Full Path Name\t Ping Result\n"
    "ent U9117.MMA.10F6F3D-V7-C2-T1 fef9dfb7c602 /vdevice/l-lan@30000002 successful virtual\n"
    "\n")


def test_rscan_table_and_stanzas(run: Run) -> None:
    run(HMC_NODE)
    assert run("rscan hmc01").stdout == RSCAN
    stanzas = run("rscan -z hmc01").stdout
    assert stanzas.startswith(
        f"{CEC}:\n\tobjtype=node\n\tnodetype=ppc\n\tid=\n\tmtm=9117-MMA\n\tserial=10F6F3D\n"
        "\thcp=hmc01\n\tpprofile=\n\tparent=\n\tmgt=hmc\n\tcons=\n\thwtype=cec\n"
        "\tgroups=cec,all\nnode01:\n")
    assert ("node01:\n\tobjtype=node\n\tnodetype=ppc,osi\n\tid=9\n\tmtm=\n\tserial=\n"
            f"\thcp=hmc01\n\tpprofile=lpar9\n\tparent={CEC}\n\tmgt=hmc\n\tcons=hmc\n"
            "\thwtype=lpar\n\tgroups=lpar,all\nnode02:\n") in stanzas
    assert run("rscan -u -w hmc01").exit_status == 1
    unknown = run("rscan hmc09")
    assert (unknown.stderr, unknown.exit_status) == (
        "Error: Invalid nodes and/or groups in noderange: hmc09\n", 1)


def test_rscan_with_a_wrong_hmc_password(run: Run) -> None:
    run(HMC_NODE.replace("abc123", "wrong"))
    failed = run("rscan hmc01")
    assert (failed.stdout, failed.exit_status) == ("hmc01: Invalid userid/password\n", 1)


def test_makehosts_writes_etc_hosts(run: Run) -> None:
    define(run)
    assert run("makehosts").stdout == ""
    hosts = run("cat /etc/hosts").stdout
    assert "9.114.113.230 node01 node01.cluster.com \n" in hosts
    assert hosts.count("node27") == 2  # its line was replaced in place, not duplicated
    run("chdef node01 ip=9.114.113")
    bad = run("makehosts node01")
    assert (bad.stderr, bad.exit_status) == (
        "Error: Invalid IP Addr '9.114.113' for node 'node01'.\n", 1)


def test_rpower(run: Run) -> None:
    define(run)
    assert run("rpower node01,node27 stat").stdout == "node01: Not Activated\nnode27: Running\n"
    assert run("rpower node01 on").stdout == "node01: Success\n"
    assert "    status=booting\n" in run("lsdef node01").stdout
    assert run("rpower node01 state").stdout == "node01: Running\n"
    unknown = run("rpower node98,node99 on")
    assert (unknown.stderr, unknown.exit_status) == (
        "Error: Invalid nodes and/or groups in noderange: node98,node99\n", 1)
    run("chdef -t node -o node05 groups=all mgt=hmc")
    assert run("rpower node05 stat").stdout == "node05: Node not defined in 'ppc' database\n"


def test_getmacs_preconditions_then_discovery(run: Run) -> None:
    define(run)
    no_net = run("getmacs node02 -D")
    assert (no_net.stdout, no_net.exit_status) == (
        "Cannot get network information for node02, check networks table and IP address for "
        "this node to make sure there is correct network in networks table\n", 1)
    run("makehosts")
    no_console = run("getmacs node02 -D")
    assert (no_console.stdout, no_console.exit_status) == (
        "Please make sure rcons node02 works.\n\nnode02: \n", 1)
    run("makeconservercf")
    assert run("getmacs node02 -D").stdout == GETMACS_NODE02
    assert "    mac=fef9dfb7c602\n" in run("lsdef node02").stdout
    assert run("getmacs hmc01 -D").stdout == "hmc01: Node must be LPAR\n"
    run("rpower node27 stat")
    running = run("getmacs node27 -D")  # a running LPAR is power-cycled: destructive
    assert running.exit_status == 0
    assert run("rpower node27 stat").stdout == "node27: Not Activated\n"
    assert run("getmacs node01 -D -S 1.2.3.4").exit_status == 0
    assert run("getmacs node01 -S 1.2.3.4").stdout == "Option '-D' is required for ping test\n"


def test_getmacs_without_ping_reads_the_hmc(run: Run) -> None:
    define(run)
    never = run("getmacs node01")
    assert never.stdout == (
        "node01: \nThese nodes have no active profiles.  Please active the nodes to enable the "
        "default profiles\n")
    assert never.exit_status == 1
    assert "FEF9DFB7C602\n" in run("getmacs node02").stdout
    assert "    mac=FEF9DFB7C602\n" in run("lsdef node02").stdout


def test_rnetboot_preconditions(run: Run) -> None:
    run(HMC_NODE)
    run("mkdef -z", run("rscan -z hmc01").stdout)
    assert run("rnetboot node01").stdout == "node01: Node not defined in 'networks' database\n"
    run("mkdef -t network -o net1 net=9.114.113.224 mask=255.255.255.224")
    run("chdef node01 ip=9.114.113.230")
    assert run("rnetboot node01").stdout.startswith("node01: No gateway defined for this node")
    run("rmdef -t network net1")
    run(NETWORK)
    assert run("rnetboot node01").stdout == "node01: Cannot resolve 'node01'\n"
    run("makehosts")
    assert run("rnetboot node01").stdout == "node01: 'mac' not defined in 'mac' database\n"
    run("chdef node01 mac=fef9dfa81e09")
    run("makeconservercf")
    failed = run("rnetboot node01")
    assert (failed.stdout, failed.exit_status) == (
        "node01: can not find mac address fef9dfa81e09.\n", 1)


def test_rnetboot_without_nim_leaves_the_lpar_in_open_firmware(run: Run) -> None:
    define(run)
    run("makehosts")
    run("makeconservercf")
    run("getmacs node01 -D")
    assert run("rnetboot node01").stdout == "node01: Success\n"
    assert run("rpower node01 stat").stdout == "node01: Open Firmware\n"
