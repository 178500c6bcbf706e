"""makehosts -d and makeconservercf in the lab, byte for byte as xCAT 2.9.2 does them.

Sources (tag 2.9.2_aix_release of xcat2/xcat-core): xCAT-server/lib/xcat/plugins/hosts.pm
(`delnode` lines 30-53, `add_hosts_content` 242-315, `process_request` 317-558: `-d` without a
noderange returns before writing), xCAT-server/lib/xcat/plugins/conserver.pm (`docfheaders`
196-299, `makeconservercf` 302-456, `donodeent` 495-569, `zapcfg` 572-593, `@cservers` line 14),
xCAT-client/pods/man8/makehosts.8.pod and makeconservercf.8.pod (`-d`).
"""

from __future__ import annotations

from tests.sim.conftest import Run, define

HEADER = (
    "config * {\n  sslrequired yes;\n  sslauthority /etc/xcat/cert/ca.pem;\n"
    "  sslcredentials /etc/xcat/cert/server-cred.pem;\n}\n"
    "default cyclades { type host; portbase 7000; portinc 1; }\n"
    "default mrv { type host; portbase 2000; portinc 100; }\n"
    "access * {\n  trusted 127.0.0.1;\n  trusted 9.114.113.225;\n}\n"
    "default * {\n  logfile /var/log/consoles/&;\n  timestamp 1hab;\n  rw *;\n"
    "  master localhost;\n}\n"
)
# Later runs: `config *` and the two terminal-server defaults stay where they are; only the
# `access *` and `default *` blocks are cut out and written again on top.
_FIXED, _ACCESS = HEADER.split("access * {")
AGAIN = "access * {" + _ACCESS + _FIXED


def console(node: str, method: str = "hmc") -> str:
    return (f"#xCAT BEGIN {node} CONS\nconsole {node} {{\n  type exec;\n"
            f"  exec /opt/xcat/share/xcat/cons/{method} {node};\n}}\n#xCAT END {node} CONS\n")


def test_makeconservercf_writes_xcats_headers_and_every_console(run: Run) -> None:
    define(run)
    done = run("makeconservercf")
    assert (done.stdout, done.stderr, done.exit_status) == ("", "", 0)
    assert run("cat /etc/conserver.cf").stdout == (
        HEADER + console("node01") + console("node02") + console("node27"))


def test_script_console_runs_cons_method_and_only_terminal_servers_are_bad(run: Run) -> None:
    define(run)
    run("makeconservercf node01")
    run("chdef node02 cons=telnet")
    assert run("makeconservercf node02").exit_status == 0
    assert run("cat /etc/conserver.cf").stdout == (
        AGAIN + console("node01") + console("node02", "telnet"))
    run("chdef node02 cons=cyclades termserver=ts1")
    bad = run("makeconservercf node01,node02")
    assert (bad.stderr, bad.exit_status) == (
        "node02: Error: Bad configuration, check attributes under the nodehm category\n", 1)
    assert run("cat /etc/conserver.cf").stdout == AGAIN + console("node01")
    run("chdef node02 termport=7")
    assert run("makeconservercf node02").exit_status == 0
    assert run("cat /etc/conserver.cf").stdout.endswith(
        "#xCAT BEGIN node02 CONS\nconsole node02 {\n include ts1;\n port 7;\n}\n"
        "#xCAT END node02 CONS\n")


def test_makeconservercf_keeps_foreign_lines_and_replaces_old_access_blocks(run: Run) -> None:
    define(run)
    run("tee /etc/conserver.cf", "# mine\naccess * {\n  trusted 1.2.3.4;\n}\nconsole x { }\n")
    run("makeconservercf node01 -t 9.114.113.226")
    assert run("cat /etc/conserver.cf").stdout == (
        HEADER.replace("  trusted 9.114.113.225;\n",
                       "  trusted 9.114.113.225;\n  trusted 9.114.113.226;\n")
        + "# mine\nconsole x { }\n" + console("node01"))


def test_makeconservercf_delete_removes_only_the_named_consoles(run: Run) -> None:
    define(run)
    run("makeconservercf")
    assert run("makeconservercf -d node01,node27").exit_status == 0
    assert run("cat /etc/conserver.cf").stdout == AGAIN + console("node02")
    run("chdef node02 cons=")
    run("makeconservercf -d node02")  # no cons: conserver.pm does not touch it
    assert console("node02") in run("cat /etc/conserver.cf").stdout


def test_makehosts_delete_removes_the_nodes_lines(run: Run) -> None:
    define(run)
    before = run("cat /etc/hosts").stdout
    run("makehosts")
    assert "9.114.113.230 node01 node01.cluster.com \n" in run("cat /etc/hosts").stdout
    run("tee -a /etc/hosts", "9.9.9.9 node01-alias\n10.0.0.1 node01 stale\n")
    nothing = run("makehosts -d")  # no noderange: hosts.pm returns at once
    assert (nothing.stdout, nothing.stderr, nothing.exit_status) == ("", "", 0)
    done = run("makehosts -d node01,node02,node27")
    assert (done.stdout, done.stderr, done.exit_status) == ("", "", 0)
    assert run("cat /etc/hosts").stdout == before.replace(
        "9.114.113.227 node27 node27.cluster.com\n", "") + "9.9.9.9 node01-alias\n"
