"""The install's no-progress limit travels inside the wait action (issue 13 item 6), so a saved
plan applies with the limits it was reviewed with and `apply PLANFILE` needs nothing but the plan.
The limit is the spec's `site.timeouts.install_stall`; drivers/xcat/waits.py fails a node whose NIM
Cstate and info stay unchanged for that long (STYLE.md: two limits, total and no progress), and
so does the NIM driver's wait (NIM Cstate/info and the HMC's reference code): both tests run once
per driver (tests/drivers.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.apply.helpers import Scenario
from tests.drivers import DriverCase, both


def _with_stall(seed: Scenario, stall: int) -> None:
    seed.write_spec(site={**seed.spec_data.get("site", {}), "timeouts": {"install_stall": stall}})


@pytest.mark.parametrize("case", both())
def test_the_wait_action_carries_the_specs_stall_limit(case: DriverCase, tmp_path: Path) -> None:
    seed = case.scenario(tmp_path)
    _with_stall(seed, 777)
    planned = seed.plan("--format", "json")
    assert planned.exit_code == 0, planned.output
    actions = json.loads(planned.stdout)["actions"]
    waits = [a for a in actions if a["mode"] == "wait-install"]
    assert waits and all(a["stall"] == 777 for a in waits)
    assert all(a["stall"] is None for a in actions if a["mode"] != "wait-install")


@pytest.mark.parametrize("case", both())
def test_a_saved_plan_applies_with_the_stall_limit_it_holds(case: DriverCase,
                                                            tmp_path: Path) -> None:
    """The lab's install moves on every few lab minutes; a 1 s no-progress limit (lab time)
    strikes between two steps, and the failure names the limit from the plan."""
    seed = case.scenario(tmp_path, clock={"scale": 3000})  # the mksysb before it: 0.5 s
    _with_stall(seed, 1)
    saved = seed.plan("-o", "plan.json")
    assert saved.exit_code == 0, saved.output
    document = json.loads((tmp_path / "plan.json").read_text(encoding="utf-8"))
    assert {a["stall"] for a in document["plan"]["actions"] if a["mode"] == "wait-install"} == {1}
    applied = seed.xclone("apply", "plan.json")
    assert applied.exit_code == 1, applied.output
    assert "install made no progress for 1 s" in applied.output
