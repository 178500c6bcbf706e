"""The object commands checked against xCAT 2.9.2's own source (tag 2.9.2_aix_release of
xcat2/xcat-core): xCAT-server/lib/xcat/plugins/DBobjectdefs.pm, perl-xCAT/xCAT/DBobjUtils.pm,
perl-xCAT/xCAT/Schema.pm and perl-xCAT/xCAT/Client.pm (stderr for `Error:` lines, stdout for
informational ones, exit 1 as soon as one error message was sent)."""

from __future__ import annotations

from tests.sim.conftest import Run, define

SUMMARY = ("Error: One or more errors occured when attempting to create or modify xCAT \n"
           "object definitions.\n")
NOT_VALID = "Error: 'foo' is not a valid attribute name for an object type of 'node'.\n"


def test_mkdef_skips_a_bad_attribute_and_writes_the_rest(run: Run) -> None:
    """DBobjectdefs.pm defmk lines 1310-1330 (report, `next` attribute, $error=1) and
    1690-1700 (the summary instead of the count, return 1)."""
    made = run("mkdef -t node -o node05 groups=all id=5 foo=bar")
    assert (made.stdout, made.stderr, made.exit_status) == (
        "", NOT_VALID + "Error: Skipping to the next attribute.\n" + SUMMARY, 1)
    assert run("lsdef -z node05").stdout == (
        "# <xCAT data object stanza file>\n\nnode05:\n    objtype=node\n    groups=all\n"
        "    id=5\n")


def test_chdef_skips_a_bad_attribute_and_writes_the_rest(run: Run) -> None:
    """DBobjectdefs.pm defch lines 1962-1985 and the summary at 2470-2476."""
    define(run)
    changed = run("chdef node01 foo=bar usercomment=xclone:clustersite")
    assert (changed.stdout, changed.stderr, changed.exit_status) == (
        "", NOT_VALID + "Error: Skipping to the next attribute.\n" + SUMMARY, 1)
    assert "    usercomment=xclone:clustersite\n" in run("lsdef node01").stdout


def test_stanza_without_objtype_is_reported_and_the_others_written(run: Run) -> None:
    """DBobjectdefs.pm setFINALattrs lines 2590-2597 (the message starts with a newline);
    a bad attribute in a file names the type `''`: $::objtype is only set for command-line
    attributes (lines 1289, 1940), and the file check at 2620-2630 prints it."""
    stdin = ("node10:\n  objtype=node\n  groups=all\n  foo=1\n"
             "node11:\n  groups=all\n")
    made = run("mkdef -z", stdin)
    assert (made.stdout, made.stderr, made.exit_status) == (
        "", "Error: 'foo' is not a valid attribute name for an object type of ''.\n"
        "Error: \nNo objtype value was specified for 'node11'. Cannot create object "
        "definition.\n" + SUMMARY, 1)
    assert run("lsdef -s node10").stdout == "node10  (node)\n"
    assert run("lsdef node11").exit_status == 1


def test_stanza_reader_follows_readFileInput(run: Run) -> None:
    """DBobjUtils.pm readFileInput lines 1650-1770: a line that is neither a header nor
    attr=val drops the attributes after it; any name containing `default` is a defaults
    stanza (`default-<type>` applies, `nodedefaults` is read and never used); one quote is
    stripped at each end separately."""
    stdin = ('default-node:\n  groups=all\n  usercomment=from-default\n'
             'nodedefaults:\n  objtype=node\n  groups=all\n'
             'node12:\n  objtype=node\n  ip="9.114.113.240\n  usercomment=a "b"\n'
             'node13:\n  objtype=node\n  groups=all\n'
             'node14 has no colon\n  id=14\n  mac=fef9dfb7c699\n')
    made = run("mkdef -z", stdin)
    assert (made.stdout, made.stderr, made.exit_status) == (
        "2 object definitions have been created or modified.\n", "", 0)
    assert run("lsdef -z node12,node13").stdout == (
        "# <xCAT data object stanza file>\n\nnode12:\n    objtype=node\n    groups=all\n"
        "    ip=9.114.113.240\n    usercomment=a \"b\n\nnode13:\n    objtype=node\n"
        "    groups=all\n    usercomment=from-default\n")
    assert run("lsdef nodedefaults").exit_status == 1


def test_chdef_without_attributes_changes_nothing(run: Run) -> None:
    """DBobjectdefs.pm defch lines 1933-1945 (no attr=val: no object is set up) and
    2506-2511 (the count line becomes "No object definitions ...")."""
    unchanged = run("chdef node77")
    assert (unchanged.stdout, unchanged.stderr, unchanged.exit_status) == (
        "No object definitions have been created or modified.\n", "", 0)
    assert run("lsdef node77").exit_status == 1


def test_lsdef_compress_needs_i_and_sorts_the_attributes(run: Run) -> None:
    """DBobjectdefs.pm processArgs lines 561-567 (error, usage on stdout), defls lines
    3373-3398 (an unknown -i name is reported, the others listed) and 3487 (`sort
    @attrlist`)."""
    define(run)
    bare = run("lsdef -c node01")
    assert bare.stderr == "Error: The flags '-c' and '-i' must be used together.\n"
    assert bare.stdout.startswith("\nUsage: lsdef - List xCAT data object definitions.\n\n")
    assert bare.exit_status == 1
    listed = run("lsdef -i ip,id,foo -c node01,node02")
    assert (listed.stdout, listed.stderr, listed.exit_status) == (
        "node01: id=9\nnode01: ip=9.114.113.230\nnode02: id=7\nnode02: ip=9.114.113.231\n",
        NOT_VALID, 1)


def test_wrong_type_and_usage(run: Run) -> None:
    """processArgs lines 776-790 (type error, no usage) and 390-400, 712-716 (no arguments
    or -h: the usage on stdout, exit 0); the usage lists Schema.pm's object types."""
    for cmd in ("mkdef -t nodes -o x groups=all", "chdef -t nodes -o x groups=all",
                "rmdef -t nodes x", "lsdef -t nodes"):
        wrong = run(cmd)
        assert (wrong.stdout, wrong.stderr, wrong.exit_status) == (
            "", "Error: \nType 'nodes' is not a valid xCAT object type.\n", 1), cmd
    bare = run("mkdef")
    assert (bare.stderr, bare.exit_status) == ("", 0)
    assert bare.stdout.startswith(
        "\nUsage: mkdef - Create xCAT data object definitions.\n\n"
        "  mkdef [-h | --help ] [-t object-types]\n\n")
    assert "\nauditlog\nboottarget\neventlog\nfirmware\ngroup\nkit\n" in bare.stdout
    assert run("chdef -h").stdout.startswith("\nUsage: chdef - Change xCAT data object")


def test_rmdef_group_removes_it_from_the_members(run: Run) -> None:
    """DBobjectdefs.pm defrm lines 3830-3905: each static member's groups loses the group,
    then the group row goes."""
    define(run)
    run("chdef -t group -o aixnodes postscripts=setupntp")
    removed = run("rmdef -t group aixnodes")
    assert (removed.stdout, removed.exit_status) == (
        "1 object definitions have been removed.\n", 0)
    assert "    groups=lpar,all\n" in run("lsdef -z node01").stdout
    assert run("lsdef -t group -o aixnodes").exit_status == 1


def test_mkdef_network_same_net_and_mask_refused_even_forced(run: Run) -> None:
    """DBobjectdefs.pm defmk lines 1407-1427: the net+mask check runs before the -f removal
    and compares with every network, the same name included."""
    define(run)
    again = run("mkdef -f -t network -o net1 net=9.114.113.224 mask=255.255.255.224 "
                "gateway=9.114.113.1")
    assert (again.stdout, again.stderr, again.exit_status) == (
        "", "Error: A network definition called 'net1' already exists that contains the same "
        "net and mask values. Cannot create a definition for 'net1'.\n" + SUMMARY, 1)
    assert "    gateway=9.114.113.254\n" in run("lsdef -t network -l net1").stdout


def test_schema_attributes_and_types(run: Run) -> None:
    """Schema.pm %defspec (generated into xclone/sim/xcat/schema_data.py): 2.9.2 has no
    network `mtu`; `staticrangeincrement`, osimage `osvers`, node `routenames` and nic
    attributes exist; `route` and the other types are listable."""
    mtu = run("mkdef -t network -o net9 net=10.0.0.0 mask=255.0.0.0 mtu=9000")
    assert mtu.stderr.startswith(
        "Error: 'mtu' is not a valid attribute name for an object type of 'network'.\n")
    assert "mtu" not in run("lsdef -t network -l net9").stdout
    ok = run("mkdef -t network -o net8 net=10.8.0.0 mask=255.255.0.0 staticrangeincrement=1")
    assert ok.exit_status == 0, ok.stderr
    assert run("mkdef -t node -o node15 groups=all routenames=r1 nicips.eth1=10.8.0.15") \
        .exit_status == 0
    assert run("chdef -t osimage -o img1 osvers=7.1 nimtype=standalone").exit_status == 0
    assert run("lsdef -t route").stdout == "Could not find any objects of type 'route'.\n"


def test_options_the_lab_does_not_model_are_refused(run: Run) -> None:
    """DBobjectdefs.pm processArgs lines 433-466: a bad option is "Invalid option.." and the
    usage. The lab also refuses -n (rename), -d/-w (dynamic groups), -a and -u this way rather
    than ignore them and write something xCAT would not."""
    define(run)
    renamed = run("chdef -n node09 node01")
    assert renamed.stderr == "Error: Invalid option..\n" and renamed.exit_status == 1
    assert renamed.stdout.startswith("\nUsage: chdef - Change xCAT data object definitions.\n")
    assert run("lsdef -s node01").stdout == "node01  (node)\n"
