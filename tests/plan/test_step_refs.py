"""Typed step references (issue 13 item 2): a step waits for steps named by kind and address;
a reference to a step no planner made fails the graph, unless it is marked optional."""

from __future__ import annotations

import pytest

from xclone.base.address import Address
from xclone.base.errors import XcloneError
from xclone.drivers.xcat.kinds import ActionKind
from xclone.plan.action import Step, StepRef
from xclone.plan.graph import batch

NODE01 = Address("lpar", "node01")
HMC01 = Address("hmc", "hmc01")


def _define() -> Step:
    return Step(ActionKind.MKDEF_Z, "xcataixmn", ("mkdef", "-z"), node="node01",
                stdin="node01:\n    objtype=node\n", address=NODE01)


def _getmacs(after: tuple[StepRef, ...] = (), after_if_planned: tuple[StepRef, ...] = ()) -> Step:
    return Step(ActionKind.GETMACS, "xcataixmn", ("getmacs",), ("-D",), node="node01",
                address=NODE01, after=after, after_if_planned=after_if_planned)


def test_a_misspelt_reference_fails_naming_both_steps() -> None:
    """Before typed references, `("lpar", "node1", "define")` matched no key and the edge was
    dropped: getmacs could run before the node existed."""
    misspelt = StepRef(ActionKind.MKDEF_Z, Address("lpar", "node1"))
    with pytest.raises(XcloneError) as err:
        batch([_define(), _getmacs(after=(misspelt,))])
    assert err.value.message == ("internal: the step getmacs of lpar.node01 waits for mkdef-z "
                                 "of lpar.node1, which no resource planner made")


def test_a_reference_to_the_wrong_kind_fails_too() -> None:
    wrong = StepRef(ActionKind.CHDEF, NODE01)
    with pytest.raises(XcloneError, match="waits for chdef of lpar.node01"):
        batch([_define(), _getmacs(after=(wrong,))])


def test_an_optional_reference_to_a_step_not_planned_is_dropped() -> None:
    """The HMC may already be defined: then the plan has no mkdef-hmc and nothing waits."""
    hmc = StepRef(ActionKind.MKDEF_HMC, HMC01)
    actions = batch([_define(), _getmacs(after=(_define().key,), after_if_planned=(hmc,))])
    assert [(a.kind, a.depends_on) for a in actions] == [
        (ActionKind.MKDEF_Z, ()), (ActionKind.GETMACS, ("001",))]


def test_an_optional_reference_to_a_planned_step_is_an_edge() -> None:
    hmc_step = Step(ActionKind.MKDEF_HMC, "xcataixmn", ("mkdef", "-z"), node="hmc01",
                    stdin="hmc01:\n    objtype=node\n", address=HMC01)
    hmc = StepRef(ActionKind.MKDEF_HMC, HMC01)
    actions = batch([_getmacs(after_if_planned=(hmc,)), hmc_step])
    assert [(a.kind, a.addresses, a.depends_on) for a in actions] == [
        (ActionKind.MKDEF_HMC, (HMC01,), ()), (ActionKind.GETMACS, (NODE01,), ("001",))]


def test_two_steps_of_one_kind_for_one_resource_need_a_detail() -> None:
    osimage = Address("osimage", "610sysb")
    removes = [Step(ActionKind.NIM_REMOVE, "xcataixmn", ("nim", "-o", "remove", res),
                    address=osimage, detail=res) for res in ("610sysb_mksysb", "610sysb_mksysb")]
    with pytest.raises(XcloneError, match="two steps share the key nim-remove of osimage"):
        batch(removes)
