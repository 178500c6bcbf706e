"""lsdef / mkdef / chdef / rmdef against FORMATS.md §2.1-§2.2, byte for byte."""

from __future__ import annotations

from tests.sim.conftest import CEC, Run, define

EXISTS = (
    "Error: \nA definition for 'node01' already exists.\n"
    "Error: To remove the old definition and replace it with \n"
    "a new definition use the force '-f' option.\n"
    "Error: To change the existing definition use the 'chdef' command.\n"
    "Error: One or more errors occured when attempting to create or modify xCAT \n"
    "object definitions.\n")


def test_lsdef_stanza_form_after_rscan_and_chdef(run: Run) -> None:
    define(run)
    run("chdef node01 postscripts=foo,bar prescripts-begin=standalone:foo,bar "
        "usercomment=xclone:clustersite")
    assert run("lsdef -z node01").stdout == (
        "# <xCAT data object stanza file>\n\nnode01:\n    objtype=node\n    cons=hmc\n"
        "    groups=lpar,all,aixnodes\n    hcp=hmc01\n    hwtype=lpar\n    id=9\n"
        "    ip=9.114.113.230\n    mgt=hmc\n    nodetype=ppc,osi\n"
        f"    parent={CEC}\n    postscripts=foo,bar\n    pprofile=lpar9\n"
        "    prescripts-begin=standalone:foo,bar\n    usercomment=xclone:clustersite\n")


def test_lsdef_forms_and_empty_answers(run: Run) -> None:
    define(run)
    assert run("lsdef -t network").stdout == "net1  (network)\n"
    assert run("lsdef -t network -l net1").stdout == (
        "Object name: net1\n    gateway=9.114.113.254\n    mask=255.255.255.224\n"
        "    net=9.114.113.224\n")
    assert run("lsdef -i mac,status node02").stdout == (
        "Object name: node02\n    mac=\n    status=\n")
    run("chdef node02 mac=fef9dfb7c602")
    assert run("lsdef -i mac -c node02").stdout == "node02: mac=fef9dfb7c602\n"
    empty = run("lsdef -t osimage")
    assert (empty.stdout, empty.exit_status) == (
        "Could not find any objects of type 'osimage'.\n", 0)
    two = run("lsdef -t node,network -l net1")
    assert two.stdout.startswith("Object name: net1  (network)\n")


def test_lsdef_errors(run: Run) -> None:
    define(run)
    missing = run("lsdef node99")
    assert (missing.stdout, missing.stderr, missing.exit_status) == (
        "", "Error: Could not find an object named 'node99' of type 'node'.\n", 1)
    some = run("lsdef -s node01,node99")
    assert some.stdout == "node01  (node)\n" and some.exit_status == 1
    bad_attr = run("lsdef -i foo node01")
    assert bad_attr.stderr == (
        "Error: 'foo' is not a valid attribute name for an object type of 'node'.\n")
    bad_type = run("lsdef -t foo")
    assert (bad_type.stderr, bad_type.exit_status) == (
        "Error: \nType 'foo' is not a valid xCAT object type.\n", 1)


def test_lsdef_hides_ppc_attributes_without_mgt_and_lists_groups(run: Run) -> None:
    run("mkdef -t node -o node05 groups=all,aixnodes id=5")
    run("chdef node05 pprofile=lpar5")
    assert "pprofile" not in run("lsdef node05").stdout
    assert run("lsdef -t group -l aixnodes").stdout == (
        "Object name: aixnodes\n    members=node05\n")
    # node05 names it, so it is an existing group for mkdef (DBobjUtils.pm lines 45-124)
    assert run("mkdef -t group -o aixnodes postscripts=setupntp,confignimsh").exit_status == 1
    run("chdef -t group -o aixnodes grouptype=static postscripts=setupntp,confignimsh")
    assert run("lsdef -t group -l aixnodes").stdout == (
        "Object name: aixnodes\n    grouptype=static\n    members=node05\n"
        "    postscripts=setupntp,confignimsh\n")


def test_mkdef_existing_object_writes_the_others(run: Run) -> None:
    define(run)
    both = run("mkdef -t node -o node01,node03 groups=all")
    assert (both.stdout, both.stderr, both.exit_status) == ("", EXISTS, 1)
    assert run("lsdef -s node03").stdout == "node03  (node)\n"


def test_mkdef_checks(run: Run) -> None:
    no_groups = run("mkdef -t node -o node04 id=4")
    assert no_groups.stderr == (
        "Error: Attribute 'groups' is not specified for node 'node04', skipping to the next "
        "node.\nError: One or more errors occured when attempting to create or modify xCAT \n"
        "object definitions.\n")
    only_if = run("mkdef -t node -o node04 groups=all mgt=ipmi pprofile=lpar4")
    assert only_if.exit_status == 1
    assert "Error: Cannot set the attr='pprofile' attribute unless 'mgt=fsp'.\n" in only_if.stderr
    assert "mgt=ipmi" in run("lsdef -z node04").stdout
    dup = run("mkdef -t node -o node06 groups=all postscripts=syslog,foo")
    assert dup.stderr == (
        "Error: node06: postscripts 'syslog' is already included in the 'xcatdefaults'.\n")
    assert "    postscripts=foo\n" in run("lsdef -z node06").stdout
    run("mkdef -t network -o net1 net=9.114.113.224 mask=255.255.255.224")
    same = run("mkdef -t network -o net2 net=9.114.113.224 mask=255.255.255.224")
    assert same.stderr == (
        "Error: A network definition called 'net1' already exists that contains the same net "
        "and mask values. Cannot create a definition for 'net2'.\n"
        "Error: One or more errors occured when attempting to create or modify xCAT \n"
        "object definitions.\n")
    assert run("mkdef -p -t node -o node07 groups=all").exit_status == 1


def test_chdef_creates_appends_and_removes(run: Run) -> None:
    created = run("chdef -t node -o node03 ip=9.114.113.232")
    assert created.stdout == ("1 object definitions have been created or modified.\n"
                              "New object definitions 'node03' have been created.\n")
    assert "    groups=all\n" in run("lsdef -z node03").stdout
    run("chdef -p node03 postscripts=foo,bar")
    run("chdef -p node03 postscripts=bar,baz")
    assert "    postscripts=foo,bar,baz\n" in run("lsdef -z node03").stdout
    run("chdef -m node03 postscripts=bar")
    assert "    postscripts=foo,baz\n" in run("lsdef -z node03").stdout
    missing = run("chdef -m node09 postscripts=foo")
    assert missing.stderr == (
        "Error: The '-m' option is not valid since the 'node09' definition does not exist.\n"
        "Error: One or more errors occured when attempting to create or modify xCAT \n"
        "object definitions.\n")
    run("chdef -t group -o aixnodes -p members=node03")
    assert "    groups=all,aixnodes\n" in run("lsdef -z node03").stdout
    run("chdef -t group -o aixnodes -m members=node03")
    assert "    groups=all\n" in run("lsdef -z node03").stdout


def test_stanzas_round_trip_through_mkdef(run: Run) -> None:
    stanza = ('# comment\n\ndefault-node:\n  objtype=node\n  groups=all\n'
              'node10:\n\tobjtype=node\n\tid=10\n  ip = "9.114.113.240"\n')
    assert run("mkdef -z", stanza).stdout == (
        "1 object definitions have been created or modified.\n")
    text = run("lsdef -z node10").stdout
    assert "    groups=all\n    id=10\n    ip=9.114.113.240\n" in text
    run("rmdef node10")
    assert run("mkdef -z", text).exit_status == 0


def test_rmdef(run: Run) -> None:
    define(run)
    assert run("rmdef node02").stdout == "1 object definitions have been removed.\n"
    missing = run("rmdef node99")
    assert (missing.stdout, missing.stderr, missing.exit_status) == (
        "No objects have been removed from the xCAT database.\n",
        "Error: Could not find an object named 'node99' of type 'node'.\n", 1)
    cec = run(f"rmdef {CEC}")
    assert cec.stdout == "1 object definitions have been removed.\n"
    assert cec.stderr == ("Warning: You have removed a cec node, please remove these nodes "
                          "belongs to it manually: node01,node27 .\n")
