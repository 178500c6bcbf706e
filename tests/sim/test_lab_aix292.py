"""The AIX plugins checked against xCAT 2.9.2's source (tag 2.9.2_aix_release of
xcat2/xcat-core): xCAT-server/lib/xcat/plugins/aixinstall.pm (mknimimage, rmnimimage,
nimnodeset) and xcat2nim.pm. A failing call ends with `Error: Return=1.`; usage texts go to
stdout."""

from __future__ import annotations

from tests.sim.conftest import MKNIMIMAGE, Run, define, prepare

RETURN = "Error: Return=1.\n"


def test_nimnodeset_stops_at_a_node_it_cannot_resolve(run: Run) -> None:
    """prenimnodeset lines 8415-8427: one unresolvable node stops the call before any NIM
    change (the name is looked up with the resolver, /etc/hosts here, not the ip attribute)."""
    define(run)
    run("chdef node01 mac=fef9dfa81e02")
    assert run(MKNIMIMAGE).exit_status == 0
    stopped = run("nimnodeset -i 610sysb node01")
    assert (stopped.stdout, stopped.stderr, stopped.exit_status) == (
        "", "Error: xcataixmn: Could not resolve node node01.\n\n" + RETURN, 1)
    assert run("lsnim -l node01").exit_status == 53


def test_nimnodeset_missing_image_has_no_prefix_and_no_summary(run: Run) -> None:
    """prenimnodeset lines 8312-8323: checked first, without `<mn>:`, then Return=1."""
    prepare(run)
    missing = run("nimnodeset -i nosuch node01")
    assert (missing.stdout, missing.stderr, missing.exit_status) == (
        "", "Error: The xCAT osimage named 'nosuch' is not defined.\n\n" + RETURN, 1)


def test_nimnodeset_reports_gateway_and_spot_and_lists_failed_nodes(run: Run) -> None:
    """nimnodeset lines 833-859: mask, gateway and SPOT are each reported for a machine NIM
    does not know yet, and the node fails; lines 1322-1342: the summary is informational,
    `-V` adds the failed nodes one per line."""
    prepare(run)
    run("xcat2nim -r node02")
    run("chdef -t network -o net1 gateway=")
    run("mkdef -t osimage -o nospot nimtype=standalone nimmethod=mksysb")
    made = run("nimnodeset -V -i nospot node02")
    assert made.stderr == (
        "Error: xcataixmn: Missing network gateway for node 'node02'.\n\n"
        "Error: xcataixmn: Missing spot name for osimage \n'nospot'.\n\n" + RETURN)
    assert made.stdout == (
        "xcataixmn: One or more errors occurred when attempting to initialize AIX NIM "
        "nodes.\n\nxcataixmn: The following node(s) could not be initialized.\n\nnode02\n")
    assert made.exit_status == 1
    assert run("lsnim -l node02").exit_status == 53


def test_nimnodeset_defines_machines_with_the_mp_kernel(run: Run) -> None:
    """nimnodeset line 933: `-a netboot_kernel=mp` on every machine it defines."""
    prepare(run)
    run("xcat2nim -r node02")
    assert run("nimnodeset -i 610sysb node02").exit_status == 0
    assert "   netboot_kernel = mp\n" in run("lsnim -l node02").stdout


def test_nimnodeset_needs_every_nim_resource_of_the_image(run: Run) -> None:
    """prenimnodeset lines 8819-8830: a resource the image names and NIM lacks stops it."""
    prepare(run)
    run("chdef -t osimage -o 610sysb resolv_conf=nosuch_resolv")
    stopped = run("nimnodeset -i 610sysb node01")
    assert (stopped.stderr, stopped.exit_status) == (
        "Error: NIM resource nosuch_resolv is not defined on xcataixmn.\n\n" + RETURN, 1)
    assert "BOS installation" not in run("lsnim -l node01").stdout


def test_usage_texts_and_their_exit_statuses(run: Run) -> None:
    """xcat2nim.pm prexcat2nim lines 199-232 (no arguments or a bad option: usage and
    Return=1; -h: usage), aixinstall.pm mknimimage 2270-2312 (usage, return 0),
    prermnimimage 5706-5745, prenimnodeset 8219-8270."""
    bare = run("xcat2nim")
    assert (bare.stderr, bare.exit_status) == (RETURN, 1)
    assert bare.stdout.startswith(
        "\nUsage: xcat2nim - Use this command to create and manage AIX NIM definitions based "
        "on xCAT object definitions.\n\n  xcat2nim [-h|--help ]\n\n")
    assert run("xcat2nim -h").exit_status == 0
    for cmd in ("mknimimage", "mknimimage -h", "nimnodeset", "nimnodeset --help",
                "rmnimimage -h"):
        shown = run(cmd)
        assert (shown.stderr, shown.exit_status) == ("", 0), cmd
        assert "  Usage: \n" in shown.stdout, cmd
    assert run("rmnimimage").stderr == RETURN
    unnamed = run("rmnimimage -f")
    assert unnamed.stderr == "Error: The xCAT osimage name is required.\n\n" + RETURN


def test_xcat2nim_messages_carry_two_spaces_and_return(run: Run) -> None:
    """xcat2nim.pm line 696 (`$::msgstr = "$::Sname: "`, each message adds its own space),
    840-844 (the closing error) and 166-177 (Return=1); mkclientdef 900-907: the name length
    is checked before the MAC."""
    define(run)
    run("makehosts")
    long_name = "n" * 40
    run(f"mkdef -t node -o {long_name} groups=all")
    failed = run(f"xcat2nim {long_name}")
    assert failed.stderr == (
        f"Error: xcataixmn:  Could not define '{long_name}'. A NIM machine name can be no "
        "longer then 39 characters.\n\n"
        "Error: xcataixmn:  One or more errors occured.\n\n" + RETURN)
    assert failed.exit_status == 1


def test_nim_network_needs_net_addr_and_snm(run: Run) -> None:
    """IBM AIX documentation, "Defining NIM networks": `net_addr` and `snm` are required for
    `nim -o define -t ent`; the wording of the refusal is the lab's (choices.py)."""
    refused = run("nim -o define -t ent -a net_addr=10.1.0.0 net9")
    assert refused.exit_status == 1
    assert refused.stderr == (
        '0042-001 nim: processing error encountered on "master":\n'
        "   the snm attribute(s) are required to define net9\n")
    assert run("lsnim -l net9").exit_status == 53
    assert run("nim -o define -t ent -a net_addr=10.1.0.0 -a snm=255.255.0.0 net9") \
        .exit_status == 0
