"""A secondary adapter changed on an installed node, and `updatenode NODE confignics` (issue 15
item 8), through the real CLI against the lab.

Facts (xCAT 2.9.2): the runbook applies a changed nics definition to a running node with
`updatenode NODE confignics`, but xCAT/postscripts/confignics exits 0 at once on AIX, printing
`confignics: aix does not support in this build` (lines 138-141); on AIX its configeth sets an
address with `chdev -l NIC -a netaddr=IP -a netmask=MASK` (configeth lines 343-359). So the
plan records the change (a chdef of the node, in place), plans no updatenode that would report
a success it never makes, and says on the change what to run on the node instead.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.apply.helpers import Scenario

NET2 = {"net": "10.1.0.0", "mask": "255.255.255.0", "gateway": "10.1.0.254"}


def _installed_with_en1(tmp_path: Path) -> Scenario:
    seed = Scenario(tmp_path)
    seed.write_spec(networks={**seed.spec_data["networks"], "net2": NET2})
    seed.set_lpar("node01", interfaces={"en1": {"network": "net2", "ip": "10.1.0.30"}})
    assert seed.converge().exit_code == 0
    return seed


def _change(planned: str) -> dict[str, Any]:
    doc = json.loads(planned)
    return next(c for c in doc["resource_changes"] if c["address"] == "lpar.node01")


def test_a_changed_secondary_address_is_recorded_and_the_plan_says_what_confignics_cannot(
        tmp_path: Path) -> None:
    seed = _installed_with_en1(tmp_path)
    seed.set_lpar("node01", interfaces={"en1": {"network": "net2", "ip": "10.1.0.31"}})
    planned = seed.plan("--format", "json")
    assert planned.exit_code == 0, planned.output
    doc = json.loads(planned.stdout)
    assert [a["kind"] for a in doc["actions"]] == ["chdef"]  # no updatenode
    notes = " ".join(_change(planned.stdout).get("notes", []))
    assert "`updatenode node01 confignics` would, yet xCAT 2.9.2's confignics exits at once " \
           "on AIX" in notes, notes
    assert "on node01 run `chdev -l en1 -a netaddr=10.1.0.31 -a netmask=255.255.255.0`" in notes
    text = seed.plan()
    assert "aix does not support in this build" in text.output, text.output
    assert seed.apply().exit_code == 0
    assert seed.plan("--detailed-exitcode").exit_code == 0


def test_a_dropped_secondary_interface_names_its_detach(tmp_path: Path) -> None:
    seed = _installed_with_en1(tmp_path)
    seed.set_lpar("node01", interfaces={})
    planned = seed.plan("--format", "json")
    assert planned.exit_code == 0, planned.output
    notes = " ".join(_change(planned.stdout).get("notes", []))
    assert "on node01 run `chdev -l en1 -a state=detach`" in notes, notes


def test_a_secondary_interface_of_a_node_not_yet_installed_has_no_such_note(
        tmp_path: Path) -> None:
    seed = Scenario(tmp_path)
    seed.write_spec(networks={**seed.spec_data["networks"], "net2": NET2})
    seed.set_lpar("node01", interfaces={"en1": {"network": "net2", "ip": "10.1.0.30"}})
    planned = seed.plan("--format", "json")
    assert planned.exit_code == 0, planned.output
    assert "confignics exits" not in json.dumps(_change(planned.stdout))
