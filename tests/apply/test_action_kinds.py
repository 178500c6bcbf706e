"""One registry of action kinds (issue 13 item 3): every kind has its entry, its read-back
exists, and apply judges a result the way the kind's entry says (docs/formats.md "Messages and
exit statuses": xCAT's hardware commands print one line per node and exit 2 when the link to the
HMC fails; other noderange commands print per node too; NIM and object commands are judged
whole)."""

from __future__ import annotations

import pytest

from xclone.base.address import Address
from xclone.base.remote import Result
from xclone.drivers.xcat.judges import judge
from xclone.drivers.xcat.kinds import KINDS, ActionKind
from xclone.drivers.xcat.reobserve import RECHECKS
from xclone.plan.action import Action


def _action(kind: ActionKind, nodes: tuple[str, ...]) -> Action:
    return Action("001", kind, "xcataixmn", (str(kind),), (), nodes, (),
                  tuple(Address("lpar", n) for n in nodes), (), False, ())


def test_every_kind_has_one_entry_and_every_read_back_is_used() -> None:
    assert set(KINDS) == set(ActionKind)
    named = {k.recheck for k in ActionKind} - {None}
    assert named == set(RECHECKS)


def test_the_display_order_is_the_runbooks() -> None:
    order = sorted(ActionKind, key=lambda k: k.order)
    assert order.index(ActionKind.MKDEF_Z) < order.index(ActionKind.GETMACS) \
        < order.index(ActionKind.XCAT2NIM) < order.index(ActionKind.NIMNODESET) \
        < order.index(ActionKind.RNETBOOT) < order.index(ActionKind.WAIT_INSTALL)


@pytest.mark.parametrize(("kind", "transient"), [(ActionKind.RNETBOOT, True),
                                                  (ActionKind.GETMACS, True),
                                                  (ActionKind.MAKEHOSTS, False)])
def test_exit_two_is_a_retry_only_for_hardware_kinds(kind: ActionKind, transient: bool) -> None:
    """rnetboot's node line without `Error:` and exit 2: node02 failed, node01 did not."""
    result = Result("xcataixmn", "x", 2, "node01: Success\nnode02: lpar_netboot failed\n", "")
    verdict = judge(_action(kind, ("node01", "node02")), ("node01", "node02"), result, None)
    assert verdict.ok_nodes == ("node01",) and set(verdict.failed) == {"node02"}
    assert verdict.transient is transient


def test_a_per_node_kind_without_nodes_and_a_whole_kind_are_judged_whole() -> None:
    result = Result("xcataixmn", "x", 1, "", "Error: Could not find an object named 'hmc01'\n")
    for kind in (ActionKind.CHDEF, ActionKind.NIM_REMOVE):
        verdict = judge(_action(kind, ()), (), result, None)
        assert list(verdict.failed) == [""] and not verdict.ok_nodes
