"""The table commands against xCAT 2.9.2's tabutils.pm (tag 2.9.2_aix_release,
xCAT-server/lib/xcat/plugins/tabutils.pm), on the same world as mkdef/lsdef."""

from __future__ import annotations

from tests.sim.conftest import Run, define


def test_tabdump_quotes_values_and_shows_mkdef_objects(run: Run) -> None:
    """tabdump lines 557-770 and output_table 1247-1280: the header is `#` and the schema's
    columns, a set value is double-quoted (inner quotes doubled), an unset one empty, the
    trailing comma dropped; an empty table is its header; no table is the table list."""
    define(run)
    networks = run("tabdump networks")
    assert networks.stdout == (
        "#netname,net,mask,mgtifname,gateway,dhcpserver,tftpserver,nameservers,ntpservers,"
        "logservers,dynamicrange,staticrange,staticrangeincrement,nodehostname,ddnsdomain,"
        "vlanid,domain,comments,disable\n"
        '"net1","9.114.113.224","255.255.255.224",,"9.114.113.254",,,,,,,,,,,,,,\n')
    run("chdef node01 usercomment='say\"hi\"'")
    nodelist = run("tabdump nodelist").stdout.splitlines()
    assert nodelist[0].startswith("#node,groups,status,")
    assert '"node01","lpar,all,aixnodes",,,,,,,,,,"say""hi""",' in nodelist
    assert run("tabdump passwd").stdout == (
        "#key,username,password,cryptmethod,authdomain,comments,disable\n")
    listing = run("tabdump").stdout.splitlines()
    assert "nodelist" in listing and "passwd" in listing and listing == sorted(listing)
    missing = run("tabdump nosuch")
    assert (missing.stderr, missing.exit_status) == ("Error: No such table: nosuch\n", 1)


def test_chtab_and_mkdef_see_each_other(run: Run) -> None:
    """tabch lines 2171-2398: `key=value[,key=value]` selects the row, `table.column=value`
    sets it, `+=` appends to a list, -d deletes; a column that is not in the table is an
    error; lsdef shows what chtab wrote and tabdump what chdef wrote."""
    define(run)
    assert run("chtab node=node02 noderes.xcatmaster=9.114.113.225").stdout == ""
    assert "    xcatmaster=9.114.113.225\n" in run("lsdef node02").stdout
    run("chtab node=node02 postscripts.postscripts+=foo,bar")
    run("chtab node=node02 postscripts.postscripts+=bar,baz")
    assert run("lsdef -i postscripts -c node02").stdout == (
        "node02: postscripts=syslog,remoteshell,syncfiles,foo,bar,baz\n")
    run("chtab key=ppctimeout site.value=180")
    assert "    ppctimeout=180\n" in run("lsdef -t site -l").stdout
    bad = run("chtab node=node02 nodelist.nosuch=1")
    assert (bad.stderr, bad.exit_status) == (
        "Error: nodelist.nosuch not a valid table.column description\n", 1)
    run("chtab -d node=node02 nodelist")
    assert run("lsdef node02").exit_status == 1


def test_nodels_noderange_columns_and_flags(run: Run) -> None:
    """nodels lines 1830-2165: one column prints `node: value`, two or -H add the column
    label (as typed), shortnames (groups, mgt) stand for their table.column, -b names the
    group a value is inherited from, hidden nodes (nodelist.hidden=1) show only with -S."""
    define(run)
    assert run("nodels node01,node02").stdout == "node01\nnode02\n"
    assert run("nodels node01,node02 hosts.ip").stdout == (
        "node01: 9.114.113.230\nnode02: 9.114.113.231\n")
    assert run("nodels node01 groups mgt").stdout == (
        "node01: groups: lpar,all,aixnodes\nnode01: mgt: hmc\n")
    assert run("nodels -H node01 ppc.id").stdout == "node01: ppc.id: 9\n"
    run("chdef -t group -o aixnodes postscripts=setupntp")
    assert run("nodels -b node02 postscripts.postscripts").stdout == (
        "node02: setupntp (inherited from group aixnodes)\n")
    run("chtab node=node27 nodelist.hidden=1")
    assert "node27" not in run("nodels").stdout
    assert "node27\n" in run("nodels -S").stdout
    bad = run("nodels node01 foo")
    assert (bad.stderr, bad.exit_status) == (
        "Error: foo not a valid table.column description\n", 1)


def test_nodech_sets_appends_and_removes(run: Run) -> None:
    """nodech lines 1405-1765: `table.column=value`, `,=` appends, `^=` removes, on every
    node of the noderange."""
    define(run)
    assert run("nodech node01,node02 nodetype.os=AIX").exit_status == 0
    assert run("nodels node01,node02 nodetype.os").stdout == "node01: AIX\nnode02: AIX\n"
    run("nodech node01 groups,=extra")
    assert run("nodels node01 groups").stdout == "node01: lpar,all,aixnodes,extra\n"
    run("nodech node01 groups^=aixnodes")
    assert "    groups=lpar,all,extra\n" in run("lsdef node01").stdout
