"""lsnim, nim -o, mknimimage, rmnimimage, xcat2nim, nimnodeset (FORMATS §2.7-§2.9, §2.11-§2.14)."""

from __future__ import annotations

from tests.sim.conftest import MKNIMIMAGE, Run, define, prepare

REPORT = (
    "Creating a NIM mksysb resource called '610sysb_mksysb'.  This could take a while.\n\n"
    "The following xCAT osimage definition was created. Use the xCAT lsdef command \n"
    "to view the xCAT definition and the AIX lsnim command to view the individual \n"
    "NIM resources that are included in this definition.\n\n"
    "Object name: 610sysb\n\tbosinst_data=610sysb_bosinst_data\n\timagetype=NIM\n"
    "\tmksysb=610sysb_mksysb\n\tnimmethod=mksysb\n\tnimtype=standalone\n\tosname=AIX\n"
    "\tresolv_conf=my_resolv_conf\n\tspot=610spot\n")
MKSYSB = (
    "610sysb_mksysb:\n   class         = resources\n   type          = mksysb\n"
    "   creation_date = Wed Nov 25 10:00:00 2026\n   source_image  = node27\n"
    "   arch          = power\n   Rstate        = ready for use\n"
    "   prev_state    = unavailable for use\n"
    "   location      = /install/nim/mksysb/610sysb/610sysb_mksysb\n   version       = 6\n"
    "   release       = 1\n   mod           = 0\n   oslevel_r     = 6100-09\n"
    "   oslevel_s     = 6100-09-05-1524\n   alloc_count   = 0\n   server        = master\n")


def test_lsnim_listing_and_missing(run: Run) -> None:
    listing = run("lsnim").stdout.splitlines()
    assert "610spot          resources        spot" in listing
    assert listing[0] == "master           machines         master"
    assert run("lsnim -t mksysb").stdout == ""
    assert run("lsnim -c machines").stdout == (
        "master           machines         master\nnode27           machines         standalone\n")
    missing = run("lsnim -l node99")
    assert (missing.stderr, missing.exit_status) == (
        '0042-053 lsnim: there is no NIM object named "node99"\n', 53)
    assert run("lsnim -l my_resolv_conf").stdout == (
        "my_resolv_conf:\n   class       = resources\n   type        = resolv_conf\n"
        "   Rstate      = ready for use\n   prev_state  = unavailable for use\n"
        "   location    = /install/nim/resolv_conf/my_resolv_conf/resolv.conf\n"
        "   alloc_count = 0\n   server      = master\n")


def test_mknimimage_report_resources_and_refusal(run: Run) -> None:
    made = run(MKNIMIMAGE)
    assert (made.stdout, made.stderr, made.exit_status) == (REPORT, "", 0)
    assert run("lsnim -l 610sysb_mksysb").stdout == MKSYSB
    assert run("lsdef -t osimage -l 610sysb").stdout == (
        "Object name: 610sysb\n    bosinst_data=610sysb_bosinst_data\n    imagetype=NIM\n"
        "    mksysb=610sysb_mksysb\n    nimmethod=mksysb\n    nimtype=standalone\n"
        "    osname=AIX\n    resolv_conf=my_resolv_conf\n    spot=610spot\n")
    assert run("ls /install/nim/mksysb/610sysb").stdout == "610sysb_mksysb\n"


def test_mknimimage_needs_a_running_nim_client(run: Run) -> None:
    run("rpower node27 stat")
    run("nim -o change -a Mstate='not running' node27")
    failed = run("mknimimage -m mksysb -n node27 620sysb spot=610spot")
    assert (failed.stderr, failed.exit_status) == (
        "Error: Could not define mksysb resource named '620sysb_mksysb' on xcataixmn.\n\n"
        "Error: Could not create mksysb definition.\n\nError: Return=1.\n", 1)
    assert run("lsnim -l 620sysb_mksysb").exit_status == 53


def test_nim_define_change_allocate_remove(run: Run) -> None:
    define(run)
    run("chdef node02 ip=9.114.114.31")  # outside master_net: no NIM network holds it yet
    run("makehosts")
    unknown_net = run("nim -o define -t standalone -a if1='find_net node02 fef9dfb7c602 ent' "
                      "-a cable_type1=N/A node02")
    assert unknown_net.exit_status == 1
    assert unknown_net.stderr.startswith('0042-001 nim: processing error encountered on "master":')
    run("nim -o define -t ent -a net_addr=9.114.114.0 -a snm=255.255.255.0 "
        "-a routing1='default 9.114.114.254' net2")
    assert run("nim -o define -t standalone -a if1='find_net node02 fef9dfb7c602 ent' "
               "-a cable_type1=N/A -a comments=xclone:clustersite node02").stdout == ""
    assert run("lsnim -l node02").stdout == (
        "node02:\n   class          = machines\n   type           = standalone\n"
        "   comments       = xclone:clustersite\n   connect        = shell\n"
        "   platform       = chrp\n   netboot_kernel = 64\n"
        "   if1            = net2 node02 fef9dfb7c602 ent\n   cable_type1    = N/A\n"
        "   Cstate         = ready for a NIM operation\n"
        "   prev_state     = ready for a NIM operation\n   Mstate         = not running\n")
    again = run("nim -o define -t standalone -a if1='find_net node02 0 ent' node02")
    assert again.exit_status == 32 and again.stderr.startswith("0042-032")
    assert run("nim -o allocate -a spot=610spot node02").exit_status == 0
    assert "   alloc_count   = 1\n" in run("lsnim -l 610spot").stdout
    busy = run("nim -o remove 610spot")
    assert busy.exit_status == 1
    assert run("nim -Fo deallocate -a subclass=all node02").exit_status == 0
    assert "   alloc_count   = 0\n" in run("lsnim -l 610spot").stdout
    assert run("nim -o showres my_resolv_conf").stdout == (
        "nameserver 9.114.113.225\ndomain cluster.com\n")
    assert run("nim -o remove node02").stdout == ""
    gone = run("nim -o remove node02")
    assert (gone.stderr, gone.exit_status) == (
        '0042-053 nim: there is no NIM object named "node02"\n', 53)


def test_nim_bos_inst_and_reset(run: Run) -> None:
    prepare(run)
    enable = ("nim -o bos_inst -a source=mksysb -a spot=610spot -a mksysb=610sysb_mksysb "
              "-a boot_client=no -a accept_licenses=yes node02")
    assert run(enable).exit_status == 0
    status = run("lsnim -Z -a Cstate -a Mstate -a Cstate_result node02").stdout
    assert status == ("#name:Cstate:Mstate:Cstate_result:\n"
                      "node02:BOS installation has been enabled:not running:\n")
    assert run(enable).exit_status == 1
    assert run("nim -Fo reset -a force=yes node02").exit_status == 0
    assert "   Cstate         = ready for a NIM operation\n" in run("lsnim -l node02").stdout
    assert "   spot           = 610spot\n" in run("lsnim -l node02").stdout


def test_xcat2nim_errors_list_and_remove(run: Run) -> None:
    define(run)
    run("makehosts")
    no_mac = run("xcat2nim node01")
    assert no_mac.stderr == ("Error: xcataixmn:  Missing the MAC for node 'node01'.\n\n"
                             "Error: xcataixmn:  One or more errors occured.\n\n"
                             "Error: Return=1.\n")
    run("chdef node01 mac=fef9dfa81e02")
    assert run("xcat2nim -t network -o net1").exit_status == 0
    assert run("xcat2nim node01").stdout == ""
    assert run("xcat2nim -l node01").stdout == run("lsnim -l node01").stdout
    refused = run("xcat2nim -r -t network -o net1")
    assert (refused.stderr, refused.exit_status) == (
        "Error: The -f, -r and -u options are not supported for network objects.\n\n", 1)
    assert refused.stdout.startswith("\nUsage: xcat2nim - Use this command")
    assert run("xcat2nim -r node01").exit_status == 0
    missing = run("xcat2nim -r node01")
    assert missing.stderr == ("Error: xcataixmn:  Could not remove the NIM definition for "
                              "'node01'.\n\nError: xcataixmn:  One or more errors occured.\n\n"
                              "Error: Return=1.\n")


def test_nimnodeset_defines_a_missing_client_and_needs_an_image(run: Run) -> None:
    prepare(run)
    no_image = run("nimnodeset node27")
    assert no_image.stderr == (
        "Error: Could not determine an OS image name for node 'node27'.\n\n"
        "Error: xcataixmn: Could not determine an OS image name for node 'node27'.\n\n"
        "Error: Return=1.\n")
    run("xcat2nim -r node02")
    made = run("nimnodeset -i 610sysb node02")
    assert made.stdout == ("xcataixmn: Creating NIM client definition 'node02.'\n\n"
                           "xcataixmn: AIX/NIM nodes were initialized.\n\n")
    machine = run("lsnim -l node02").stdout
    for line in ("Cstate         = BOS installation has been enabled", "spot           = 610spot",
                 "mksysb         = 610sysb_mksysb", "resolv_conf    = my_resolv_conf",
                 "script         = xcataixscript", "control        = master"):
        assert f"   {line}\n" in machine
    assert run("nimnodeset -f -i 610sysb node02").exit_status == 0


def test_rmnimimage_skips_allocated_resources(run: Run) -> None:
    prepare(run)
    run("nimnodeset -i 610sysb node01")
    removed = run("rmnimimage 610sysb")
    assert removed.exit_status == 0
    assert removed.stdout == (
        "xcataixmn: The resource named '610sysb_bosinst_data' is currently allocated. It will "
        "not be removed.\n\n"
        "xcataixmn: The resource named '610sysb_mksysb' is currently allocated. It will not be "
        "removed.\n\n"
        "xcataixmn: The resource named 'my_resolv_conf' is currently allocated. It will not be "
        "removed.\n\n"
        "xcataixmn: The resource named '610spot' is currently allocated. It will not be "
        "removed.\n\n")
    run("nim -Fo reset node01")
    run("nim -Fo deallocate -a subclass=all node01")
    cleaned = run("rmnimimage -x 610sysb")
    assert "xcataixmn: Removed the NIM resource named '610sysb_mksysb'.\n\n" in cleaned.stdout
    assert cleaned.stdout.endswith("Removed the xCAT osimage definition '610sysb'.\n\n")
    missing = run("rmnimimage 610sysb")
    assert (missing.stderr, missing.exit_status) == (
        "Error: '610sysb' is not a valid xCAT image name.\n\nError: Return=1.\n", 1)
