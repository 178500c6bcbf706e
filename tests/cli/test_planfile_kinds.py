"""Saved plans read action kinds back by value (issue 13 item 3): the kind strings of the JSON
plan are the enum's values, and a kind, mode or address this xclone does not know is one clear
error naming the file, even when whoever edited the file also recomputed its digest."""

from __future__ import annotations

from typing import Any

import pytest

from tests.apply.helpers import Scenario
from tests.cli.helpers import assert_refused, document, rewrite, saved_plan
from xclone.drivers.xcat.kinds import ActionKind


def _wait(data: dict[str, Any]) -> dict[str, Any]:
    return next(a for a in data["plan"]["actions"] if a["kind"] == "wait-install")


@pytest.mark.parametrize(("edit", "message"), [
    ("kind", "action 001 has an unknown kind 'chdef-sitex': make the plan again with this xclone"),
    ("mode", "of kind wait-install has mode 'run', not 'wait-install'"),
    ("address", "address 'lpar' is not of the form TYPE.NAME"),
    ("change", "resource change 'lpar.node01' has type 'lpar' and name 'node1'"),
])
def test_an_unknown_kind_or_a_kind_that_does_not_fit_is_refused(seed: Scenario, edit: str,
                                                                message: str) -> None:
    planfile, _ = saved_plan(seed)
    data = document(planfile)
    if edit == "kind":
        data["plan"]["actions"][0]["kind"] = "chdef-sitex"
    elif edit == "mode":
        _wait(data)["mode"] = "run"
    elif edit == "address":
        data["plan"]["actions"][0]["addresses"] = ["lpar"]
    else:
        change = next(c for c in data["plan"]["resource_changes"]
                      if c["address"] == "lpar.node01")
        change["name"] = "node1"
    rewrite(planfile, data, fresh_digest=True)
    assert_refused(seed, message)


def test_the_saved_kinds_are_the_enum_values(seed: Scenario) -> None:
    planfile, _ = saved_plan(seed)
    kinds = [a["kind"] for a in document(planfile)["plan"]["actions"]]
    assert [ActionKind(k).value for k in kinds] == kinds
    assert "mkdef-z" in kinds and "wait-install" in kinds
