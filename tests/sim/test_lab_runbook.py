"""The whole seed runbook (CONTRACT §1), typed as an administrator would, against the seed lab."""

from __future__ import annotations

from tests.sim.conftest import CEC, HMC_NODE, MKNIMIMAGE, NETWORK, Run, prepare, runner
from xclone.sim import Lab

NODE01_INSTALLED = """\
node01:
   class          = machines
   type           = standalone
   connect        = shell
   platform       = chrp
   netboot_kernel = 64
   if1            = master_net node01 fef9dfa81e02 ent
   cable_type1    = N/A
   Cstate         = ready for a NIM operation
   prev_state     = customization is being performed
   Mstate         = currently running
   Cstate_result  = success
   cpuid          = 000F6F3D094C
"""


def test_seed_runbook_installs_node01_and_node02(run: Run) -> None:
    assert run(HMC_NODE).stdout == "1 object definitions have been created or modified.\n"
    stanzas = run("rscan -z hmc01")
    assert stanzas.exit_status == 0
    piped = run("mkdef -z", stanzas.stdout)
    # node27 was defined long ago: xCAT 2.9 refuses it, writes the others, exits 1
    assert piped.exit_status == 1
    assert "A definition for 'node27' already exists." in piped.stderr
    assert run("lsdef -t node -s").stdout == (
        f"{CEC}  (node)\nhmc01  (node)\nnode01  (node)\nnode02  (node)\nnode27  (node)\n")
    assert run(NETWORK).exit_status == 0
    assert run("chdef node01 ip=9.114.113.230 groups=lpar,all,aixnodes").exit_status == 0
    assert run("chdef node02 ip=9.114.113.231 groups=lpar,all,aixnodes").exit_status == 0
    # the members already name aixnodes, so xCAT counts it as defined (DBobjUtils.pm
    # getObjectsOfType lines 45-124): mkdef refuses it, chdef -t group sets its attributes
    assert run("mkdef -t group -o aixnodes postscripts=setupntp,confignimsh").exit_status == 1
    assert run("chdef -t group -o aixnodes postscripts=setupntp,confignimsh").exit_status == 0
    made = run(MKNIMIMAGE)
    assert made.exit_status == 0, made.stderr
    assert run("makehosts").exit_status == 0
    assert run("makeconservercf").exit_status == 0
    assert run("getmacs node01 -D").exit_status == 0
    assert run("getmacs node02 -D").exit_status == 0
    assert run("chdef -p node01 postscripts=foo,bar").exit_status == 0
    # net1 is master_net's subnet: xcat2nim defines no NIM network (xcat2nim.pm lines 1470-1490)
    assert run("xcat2nim -t network -o net1").exit_status == 0
    assert run("xcat2nim -t node node01,node02").exit_status == 0
    assert run("nimnodeset -i 610sysb node01,node02").stdout == (
        "xcataixmn: AIX/NIM nodes were initialized.\n\n")
    assert run("rnetboot node01,node02").stdout == "node01: Success\nnode02: Success\n"

    assert run("lsnim -l node01").stdout == NODE01_INSTALLED
    node01 = run("lsdef node01").stdout
    for line in ("    profile=610sysb", "    provmethod=610sysb", "    status=booted",
                 "    os=AIX", "    postscripts=syslog,remoteshell,syncfiles,foo,bar"):
        assert line + "\n" in node01
    node02 = run("lsdef node02").stdout
    assert "    status=booted\n" in node02 and "    mac=fef9dfb7c602\n" in node02
    # group values are inherited when the node has none of its own
    assert "    postscripts=syslog,remoteshell,syncfiles,setupntp,confignimsh\n" in node02
    lpars = run(f"lssyscfg -r lpar -m {CEC} -F name,state,os_version", host="hmc01").stdout
    assert lpars == ("node27,Running,AIX 6.1 6100-09-05-1524\n"
                     "node02,Running,AIX 6.1 6100-09-05-1524\n"
                     "node01,Running,AIX 6.1 6100-09-05-1524\n")
    spot = run("lsnim -a alloc_count 610spot").stdout
    assert spot == "610spot:\n   alloc_count = 0\n"


def test_steps_run_twice_give_the_real_errors(run: Run) -> None:
    prepare(run)
    again = run(HMC_NODE)
    assert (again.exit_status, again.stdout) == (1, "")
    assert again.stderr.startswith("Error: \nA definition for 'hmc01' already exists.\n")
    net = run(NETWORK)
    assert net.exit_status == 1
    image = run(MKNIMIMAGE)
    assert (image.exit_status, image.stderr) == (
        1, "Error: The osimage definition '610sysb' already exists.\n\nError: Return=1.\n")
    nim = run("xcat2nim -t node node01")
    assert nim.exit_status == 1
    assert nim.stdout == (
        "xcataixmn:  The NIM client machine 'node01' already exists.  Use the '-f' option to "
        "remove and recreate or the '-u' option to update an existing definition.\n\n")
    assert nim.stderr == "Error: xcataixmn:  One or more errors occured.\n\nError: Return=1.\n"
    assert run("nimnodeset -i 610sysb node01").exit_status == 0
    second = run("nimnodeset -i 610sysb node01")
    assert second.exit_status == 1
    assert second.stderr == (
        "Error: xcataixmn: The NIM machine named node01 is not in the ready state and cannot be "
        "initialized. Use -f flag to forcely initialize it.\n\nError: Return=1.\n")
    assert second.stdout == ("xcataixmn: One or more errors occurred when attempting to "
                             "initialize AIX NIM nodes.\n\n")


def test_install_phases_follow_the_lab_clock(frozen: Lab) -> None:
    run = runner(frozen)
    prepare(run)
    assert run("nimnodeset -i 610sysb node01").exit_status == 0
    assert run("rnetboot node01").stdout == "node01: Success\n"
    state = run("lsnim -Z -a Cstate -a Mstate node01").stdout
    assert state == ("#name:Cstate:Mstate:\n"
                     "node01:Base Operating System installation is being performed:"
                     "in the process of booting:\n")
    assert "    status=installing\n" in run("lsdef node01").stdout
    frozen.advance(2 * 60 + 15 * 60)
    info = run("lsnim -a info node01").stdout
    assert info.startswith("node01:\n   info = BOS install ") and "% complete" in info
    frozen.advance(15 * 60 + 60)
    assert "customization is being performed" in run("lsnim -a Cstate node01").stdout
    frozen.advance(3 * 60)
    done = run("lsnim -a Cstate -a Cstate_result node01").stdout
    assert done == ("node01:\n   Cstate        = ready for a NIM operation\n"
                    "   Cstate_result = success\n")
    assert "    status=installing\n" in run("lsdef node01").stdout
    frozen.advance(3 * 60)
    assert "    status=booted\n" in run("lsdef node01").stdout


def test_power_transitions_are_visible_while_they_last(frozen: Lab) -> None:
    run = runner(frozen)
    prepare(run)
    assert run("rpower node01 on").stdout == "node01: Success\n"
    assert run("rpower node01 stat").stdout == "node01: Starting\n"
    frozen.advance(30)
    assert run("rpower node01 stat").stdout == "node01: Running\n"
    refused = run("rpower node01 on")
    assert refused.exit_status == 1 and refused.stdout.startswith("node01: ")
    assert run("rpower node01 off").stdout == "node01: Success\n"
    assert run("rpower node01 stat").stdout == "node01: Shutting Down\n"
    frozen.advance(10)
    assert run("rpower node01 stat").stdout == "node01: Not Activated\n"
