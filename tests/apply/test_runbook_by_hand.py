"""The runbook typed by hand through `xclone lab run`, with the mark xclone would set, brings the
lab to the spec: the plan is then empty. Small spec edits then give exactly the expected plan."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.apply.helpers import Scenario

MARK = "usercomment=xclone:clustersite"
RUNBOOK = [
    f"mkdef -t node -o hmc01 groups=hmc,all nodetype=ppc hwtype=hmc mgt=hmc username=hscroot "
    f"password=abc123 {MARK}",
    "RSCAN",
    f"chdef -t node -o Server-9117-MMA-SN10F6F3D {MARK}",
    f"chdef node01,node02 groups=lpar,all,aixnodes {MARK}",
    "chdef node01 ip=9.114.113.230 postscripts=foo,bar prescripts-begin=standalone:foo,bar",
    "chdef node02 ip=9.114.113.231 mac=fef9dfb7c602",
    f"mkdef -t network -o net1 net=9.114.113.224 mask=255.255.255.224 gateway=9.114.113.254 "
    f"{MARK}",
    # net1 is the configured master's master_net: NIM needs no network of its own for it;
    # the nodes already name aixnodes, so xCAT sees the group and chdef sets its attributes
    f"chdef -t group -o aixnodes grouptype=static postscripts=setupntp,confignimsh {MARK}",
    "chdef -t site -o clustersite ppctimeout=180",
    f"mknimimage -m mksysb -n node27 610sysb spot=610spot resolv_conf=my_resolv_conf {MARK}",
    "makehosts node01,node02",
    "makeconservercf node01,node02",
    "getmacs node01 -D",
    "xcat2nim -t node node01,node02 comments=xclone:clustersite",
    "nimnodeset -i 610sysb node01,node02",
    "rnetboot node01,node02",
]


def _by_hand(seed: Scenario) -> None:
    for line in RUNBOOK:
        if line == "RSCAN":
            stanzas = seed.mn("rscan -z hmc01")[1]
            blocks = stanzas.split("\n")
            keep, current = [], True
            for row in blocks:
                if row and not row.startswith(("\t", " ")):
                    current = not row.startswith("node27:")
                if current:
                    keep.append(row)
            status, _, err = seed.mn_stdin("mkdef -z", "\n".join(keep))
        else:
            status, _, err = seed.mn(line)
        assert status == 0, f"{line}: {err}"


@pytest.fixture
def by_hand(tmp_path: Path) -> Scenario:
    seed = Scenario(tmp_path)
    _by_hand(seed)
    return seed


def test_runbook_by_hand_with_marks_leaves_an_empty_plan(by_hand: Scenario) -> None:
    result = by_hand.plan("--detailed-exitcode")
    assert result.exit_code == 0, result.output


def test_one_postscript_change_is_one_update(by_hand: Scenario) -> None:
    by_hand.set_lpar("node01", postscripts=["foo", "baz"])
    plan = json.loads(by_hand.plan("--format", "json").stdout)
    assert [(c["address"], c["change"]["actions"]) for c in plan["resource_changes"]] == [
        ("lpar.node01", ["update"])]
    assert [a["command"] for a in plan["actions"]] == [
        "LC_ALL=C chdef node01 postscripts=foo,baz"]


def test_node02_absent_is_its_cleanup_chain_only(by_hand: Scenario) -> None:
    by_hand.set_lpar("node02", state="absent")
    plan = json.loads(by_hand.plan("--format", "json").stdout)
    assert [c["address"] for c in plan["resource_changes"]] == ["lpar.node02"]
    assert [a["command"] for a in plan["actions"]] == [
        "LC_ALL=C xcat2nim -t node -r -f node02", "LC_ALL=C makehosts -d node02",
        "LC_ALL=C makeconservercf -d node02", "LC_ALL=C rmdef -t node node02"]


def test_an_unmarked_existing_node_is_a_conflict(tmp_path: Path) -> None:
    seed = Scenario(tmp_path)
    assert seed.mn("mkdef -t node -o node01 groups=all")[0] == 0
    result = seed.plan()
    assert result.exit_code == 1
    assert "lpar.node01" in result.output and "xclone import" in result.output
