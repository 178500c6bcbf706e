"""nimsh and SSL after install (issue 15 item 5), through the real CLI against the lab.

When a node's postscripts include confignimsh, "installed" also means its NIM service handler
answers: `nim -o lslpp NODE` works and `nimquery -a host=NODE` shows `_ssl:yes` (IBM AIX, "Using
NIM service handler for client communication"). xCAT takes a node's postscripts from its own
row, else from its group's: in the seed, node02 runs the group's confignimsh, node01 its own
foo,bar only. The lab's `install: nimsh` fault keeps nimsh from ever answering.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.apply.helpers import Scenario
from tests.drivers import DriverCase, both
from xclone.observed.parsers.nimquery import parse_nimquery
from xclone.sim import Fault


def test_the_install_wait_checks_nimsh_where_confignimsh_runs(tmp_path: Path) -> None:
    seed = Scenario(tmp_path)
    planned = json.loads(seed.plan("--format", "json").stdout)["actions"]
    waits = [a["nodes"] for a in planned if a["kind"] == "wait-install"]
    assert waits == [["node01", "node02"]]  # one wait: a failed node stops only its branch
    applied = seed.apply()
    assert applied.exit_code == 0, applied.output
    sent = list(seed.lab.command_counts())
    assert "xcataixmn nim -o lslpp node02" in sent
    assert "xcataixmn nimquery -a host=node02" in sent
    assert not any("lslpp node01" in line for line in sent)
    status, out, _ = seed.mn("nimquery -a host=node02")
    assert status == 0 and parse_nimquery(out)["_ssl"] == "yes"


@pytest.mark.parametrize("case", both())
def test_a_node_whose_nimsh_does_not_answer_fails_as_its_postscript(
        tmp_path: Path, case: DriverCase) -> None:
    """Both drivers: node02 runs confignimsh (xCAT: its group's; NIM: nim-cluster.yaml's)."""
    seed = case.scenario(tmp_path)
    seed.lab.add_fault(Fault(lpar="node02", install="nimsh"))
    applied = seed.apply()
    assert applied.exit_code == 1, applied.output
    assert "node02: postscript confignimsh failed: node02 booted, but nimsh does not answer " \
           "with SSL: `nim -o lslpp node02` failed (exit 1): 0042-001" in applied.output
    assert "Connection timed out" in applied.output
    assert "node01: postscript" not in applied.output
    assert "Traceback" not in applied.output


def test_nimquery_colon_pairs_parse() -> None:
    line = "host:node02:addr:9.114.113.231:_pif:en0:_ssl:no:_psh:no:\n"
    assert dict(parse_nimquery(line)) == {"host": "node02", "addr": "9.114.113.231",
                                          "_pif": "en0", "_ssl": "no", "_psh": "no"}
