"""The lab's `xdsh` (xclone/sim/xcat/xdsh.py): xCAT 2.9.2 xdsh.1.pod "COMMAND OUTPUT" (every
line of a node's stdout and stderr labelled `NODE: `, DSHCLI.pm lines 1415/1544) and "Exit
Status" (above 0 when a target failed, one more per failed target: DSHCLI.pm line 409, xdsh.pm
lines 1216-1249); an unknown node is xCAT's invalid noderange. On the node the lab answers
AIX's lsuser/chuser (IBM AIX "lsuser Command", "chuser Command") from that LPAR's own limits."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.apply.helpers import Scenario


@pytest.fixture
def seed(tmp_path: Path) -> Scenario:
    return Scenario(tmp_path)


def test_each_line_is_labelled_with_the_node_and_chuser_changes_only_that_node(
        seed: Scenario) -> None:
    assert seed.mn("xdsh node27 lsuser -a fsize root") == (0, "node27: root fsize=-1\n", "")
    assert seed.mn("xdsh node27 chuser fsize=2097151 root") == (0, "", "")
    assert seed.mn("xdsh node27 'lsuser -a fsize root'") == (0, "node27: root fsize=2097151\n",
                                                              "")
    assert seed.mn("lsuser -a fsize root") == (0, "root fsize=-1\n", "")


def test_a_failing_command_is_labelled_on_stderr_and_each_failed_node_counts(
        seed: Scenario) -> None:
    assert seed.mn("xdsh node27 lsuser -a fsize bob") == (
        1, "", 'node27: 3004-687 User "bob" does not exist.\n')
    assert seed.mn("mkdef -t node -o node01 groups=all")[0] == 0  # its LPAR is not running
    status, out, err = seed.mn("xdsh node27,node01 ls /")
    assert (status, out) == (2, "")
    assert err.splitlines() == ["node01: ssh: connect to host node01 port 22: Connection timed out",
                                "node27: ksh: ls:  not found."]


def test_an_unknown_node_runs_nothing(seed: Scenario) -> None:
    assert seed.mn("xdsh node27,nodeX chuser fsize=1 root") == (
        1, "", "Error: Invalid nodes and/or groups in noderange: nodeX\n")
    assert seed.mn("xdsh node27 lsuser -a fsize root")[1] == "node27: root fsize=-1\n"
