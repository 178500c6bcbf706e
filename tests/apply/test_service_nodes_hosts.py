"""A service node's /etc/hosts before xcat2nim defines its new nodes there (issue 17), through
the real CLI on the example pair specs/examples/xcat-sn.yaml and xcat-sn-lab.yaml.

Facts (xCAT 2.9.2): xcat2nim, sent on to the node's service node (xcat2nim.pm
preprocess_request), defines the NIM machine there with `if1='find_net HOST MAC ...'`
(mkclientdef), so NIM on the SN resolves HOST; nimnodeset copies the management node's
/etc/hosts to its SNs (aixinstall.pm prenimnodeset, doSNcopy2: `xdcp SNLIST /etc/hosts /etc`),
but only after xcat2nim ran; xdcp.1.pod for the copy's exit status. With the site's
`nameservers` the SN's resolver asks the management node's name server instead (the lab's
sn1 does, hosts.py resolve_host); without them it has only its file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.apply.helpers import Scenario
from tests.apply.test_service_nodes import _booted, _down_after_observation
from xclone.sim import Fault

LAB, SPEC = "xcat-sn-lab.yaml", "xcat-sn.yaml"


def _without_nameservers(where: Path) -> Scenario:
    seed = Scenario(where, lab_name=LAB, spec_name=SPEC)
    assert seed.mn("chdef -t site -o clustersite nameservers=")[0] == 0
    return seed


def test_without_nameservers_sn1s_hosts_are_copied_before_its_xcat2nim(tmp_path: Path) -> None:
    """sn1's /etc/hosts lacks node03 and node04 and the site names no name server: one `xdcp
    sn1 /etc/hosts /etc` after their makehosts and before sn1's xcat2nim; the apply installs
    them and the next plan is empty (nimnodeset copied the file again, so nothing is stale)."""
    seed = _without_nameservers(tmp_path)
    planned = seed.plan("--format", "json")
    assert planned.exit_code == 0, planned.output
    actions = json.loads(planned.stdout)["actions"]
    (copy,) = [a for a in actions if a["kind"] == "xdcp-hosts"]
    assert copy["host"] == "xcataixmn" and copy["command"].endswith("xdcp sn1 /etc/hosts /etc")
    (makehosts,) = [a for a in actions if a["kind"] == "makehosts"]
    assert makehosts["id"] in copy["depends_on"]
    (define,) = [a for a in actions if a["kind"] == "xcat2nim" and "node03" in a["nodes"]]
    assert copy["id"] in define["depends_on"]
    (mn_define,) = [a for a in actions if a["kind"] == "xcat2nim" and "node01" in a["nodes"]]
    assert copy["id"] not in mn_define["depends_on"]
    applied = seed.apply()
    assert applied.exit_code == 0, applied.output
    assert "9.114.114.10 node03" in seed.lab.execute("sn1", "cat /etc/hosts").stdout
    assert seed.lab.execute("sn1", "lsnim -l node03").exit_status == 0
    assert seed.lab.command_counts()["xcataixmn xdcp sn1 /etc/hosts /etc"] == 1
    assert seed.plan("--detailed-exitcode").exit_code == 0


def test_with_nameservers_a_missing_line_needs_no_copy(tmp_path: Path) -> None:
    """The example lab's site names the management node as name server: sn1 resolves its new
    nodes through it, and the plan copies nothing."""
    seed = Scenario(tmp_path, lab_name=LAB, spec_name=SPEC)
    planned = seed.plan()
    assert planned.exit_code == 0, planned.output
    assert "xdcp" not in planned.output


def test_the_labs_xdcp_to_a_down_sn1_fails_with_sshs_message(tmp_path: Path) -> None:
    """The lab's xdcp to a down host: OpenSSH's connect timeout prefixed with the node's name,
    exit status above 0 (xdcp.1.pod "Exit Status")."""
    seed = _without_nameservers(tmp_path)
    seed.lab.add_fault(Fault(host="sn1", down=True))
    result = seed.lab.execute(seed.master, "xdcp sn1 /etc/hosts /etc")
    assert result.exit_status == 1
    assert "sn1: ssh: connect to host sn1 port 22: Connection timed out" in result.stderr


def test_sn1_down_at_the_copy_stops_only_its_nodes_and_the_next_apply_converges(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """sn1 goes down once apply has observed it: the copy fails (xdcp's exit status), sn1's
    nodes' steps are skipped, node01 and node02 install from the management node; with sn1
    back, the next apply copies the file again and installs node03 and node04."""
    seed = _without_nameservers(tmp_path)
    _down_after_observation(seed, monkeypatch)
    applied = seed.apply()
    assert applied.exit_code == 1, applied.output
    assert "sn1: ssh: connect to host sn1 port 22: Connection timed out" in applied.output
    assert _booted(seed, "node01") and _booted(seed, "node02")
    assert not _booted(seed, "node03")
    monkeypatch.undo()
    seed.lab.clear_faults()
    resumed = seed.apply()
    assert resumed.exit_code == 0, resumed.output
    assert _booted(seed, "node03") and _booted(seed, "node04")
    assert seed.plan("--detailed-exitcode").exit_code == 0
