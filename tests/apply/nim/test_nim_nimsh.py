"""nimsh and SSL after a NIM install (issue 15 item 5) under the NIM driver, through the real
CLI against the NIM-only lab.

When an LPAR's postscripts include confignimsh, "installed" also means its NIM service handler
answers: `nim -o lslpp NODE` works and `nimquery -a host=NODE` shows `_ssl:yes` (IBM AIX,
"Using NIM service handler for client communication"; the nimquery line's colon pairs). In
nim-cluster.yaml both LPARs run the group's confignimsh; the lab's `install: nimsh` fault keeps
nimsh from ever answering (tests/apply/test_nimsh_check.py runs that failure under both drivers).
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.drivers import NIM


def test_the_wait_knows_its_nodes_run_confignimsh_and_checks_them(tmp_path: Path) -> None:
    seed = NIM.scenario(tmp_path)
    planned = seed.plan("--format", "json")
    waits = [a for a in json.loads(planned.stdout)["actions"] if a["kind"] == "wait-install"]
    assert [(w["nodes"], w["extra"].get("nimsh")) for w in waits] == [
        (["node01", "node02"], "yes")]
    applied = seed.apply()
    assert applied.exit_code == 0, applied.output
    sent = list(seed.lab.command_counts())
    for node in ("node01", "node02"):
        assert f"nimmaster nim -o lslpp {node}" in sent, sent
        assert f"nimmaster nimquery -a host={node}" in sent


def test_an_lpar_without_confignimsh_gets_a_wait_without_the_check(tmp_path: Path) -> None:
    """Splitting the wait: node02 no longer runs confignimsh, so its wait has no nimsh extra
    and nothing asks its nimsh."""
    seed = NIM.scenario(tmp_path)
    seed.set_lpar("node02", groups=[])
    planned = seed.plan("--format", "json")
    waits = [a for a in json.loads(planned.stdout)["actions"] if a["kind"] == "wait-install"]
    assert sorted((w["nodes"], w["extra"].get("nimsh")) for w in waits) == [
        (["node01"], "yes"), (["node02"], None)]
    applied = seed.apply()
    assert applied.exit_code == 0, applied.output
    sent = list(seed.lab.command_counts())
    assert "nimmaster nim -o lslpp node01" in sent
    assert not any("node02" in line and ("lslpp" in line or "nimquery" in line)
                   for line in sent)
