"""Planner decisions as data (pyinfra's operation fixtures, issue 13 item 9): for each resource
type and change kind, a spec fragment and a recorded snapshot give exactly the expected changes
and commands. A planner change shows up as a diff of tests/plan/fixtures/ in review; regenerate
on purpose with `python -m tests.plan.fixture_cases [RESOURCE/CASE ...]`.

Commands follow the xCAT 2.9 AIX cloning runbook (xCAT-client/pods man pages of mkdef, chdef,
rmdef, mknimimage, xcat2nim, nimnodeset, rnetboot at tag 2.9.2_aix_release)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.plan.fixture_cases import EXPECTED, WORLDS, case_files, case_id, load_case, planned

CASES = case_files()


@pytest.mark.parametrize("path", CASES, ids=[case_id(p) for p in CASES])
def test_case_plans_the_expected_changes_and_commands(path: Path, tmp_path: Path) -> None:
    case = load_case(path)
    got = planned(case, tmp_path)
    expected = {key: [line.rstrip("\n") for line in case[key]] for key in EXPECTED}
    assert got == expected, (
        f"{case_id(path)}: the planner now decides otherwise; if that is wanted, run "
        f"`python -m tests.plan.fixture_cases {case_id(path)}` and review the diff")


def test_every_resource_type_has_its_change_kinds() -> None:
    """create, update and delete for each type where the planner has them; replace exists only
    for LPARs (a reinstall); the site is never created or deleted, only updated."""
    kinds: dict[str, set[str]] = {}
    for path in CASES:
        for change in load_case(path)["changes"]:
            address, actions = change.split(" ", 1)
            kind = {'["create"]': "create", '["update"]': "update", '["delete"]': "delete",
                    '["delete", "create"]': "replace"}[actions]
            kinds.setdefault(address.split(".", 1)[0], set()).add(kind)
    assert kinds == {
        "lpar": {"create", "update", "replace", "delete"},
        "osimage": {"create", "update", "delete"},
        "group": {"create", "update", "delete"},
        "network": {"create", "update", "delete"},
        "hmc": {"create", "update", "delete"},
        "cec": {"create", "update", "delete"},
        "site": {"update"},
    }


def test_every_world_is_used() -> None:
    used = {load_case(p)["world"] for p in CASES}
    assert used == {p.name for p in WORLDS.iterdir() if p.is_dir()}
