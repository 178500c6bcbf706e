"""`Step.but`: the batching rules' copy of a step with some fields changed must be the step
`dataclasses.replace` makes (issue 16: it replaced ~25,000 `replace` calls at 10,000 LPARs)."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from xclone.base.address import Address
from xclone.drivers.xcat.kinds import ActionKind
from xclone.plan.action import Step, StepRef

STEP = Step(ActionKind.RNETBOOT, "mn", ("rnetboot",), address=Address("lpar", "node01"),
            node="node01", after=(StepRef(ActionKind.NIMNODESET, Address("lpar", "node01")),),
            extra=(("hmc", "hmc01"),), timeout=900)


@pytest.mark.parametrize("changes", [
    {"extra": (("hmc", "hmc01"), ("hmc_half", "2"))},
    {"ordered_after_if_planned": (StepRef(ActionKind.RNETBOOT, Address("lpar", "x")),),
     "after_if_planned": ()},
    {"timeout": 60, "stall": 30, "reason": "r"},
    {},
])
def test_a_copy_equals_what_replace_makes_and_leaves_the_original(
        changes: dict[str, Any]) -> None:
    copy = STEP.but(**changes)
    assert copy == dataclasses.replace(STEP, **changes)
    assert copy.key == STEP.key
    for name in ("extra", "timeout", "ordered_after_if_planned"):
        assert getattr(copy, name) == changes.get(name, getattr(STEP, name))
    assert STEP.extra == (("hmc", "hmc01"),) and STEP.timeout == 900


def test_a_change_of_what_the_key_is_made_of_makes_the_key_again() -> None:
    copy = STEP.but(detail="again", kind=ActionKind.GETMACS)
    assert copy.key == StepRef(ActionKind.GETMACS, STEP.address, "again")


def test_an_unknown_field_is_refused_and_a_copy_stays_frozen() -> None:
    with pytest.raises(TypeError):
        STEP.but(nodes=("node02",))
    with pytest.raises(dataclasses.FrozenInstanceError):
        STEP.but(timeout=1).timeout = 2  # type: ignore[misc]
