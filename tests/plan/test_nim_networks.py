"""NIM networks and xCAT groups as a configured master and xCAT 2.9.2 need them: find_net takes
any NIM network holding an address (xcat2nim.pm mkclientdef lines 958-990), `xcat2nim -t network`
defines a missing one under the xCAT name (mkNIMnetwork lines 1424-1670), and a group its nodes
name already exists for mkdef (DBobjUtils.pm getObjectsOfType lines 45-124)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.plan.builders import MARK, empty_lab, seed_spec, with_objects
from xclone.base.errors import XcloneError
from xclone.observed.model import NimObject, Observed, XcatObject
from xclone.plan.context import PlanOptions
from xclone.plan.planner import make_plan
from xclone.spec.model import Spec


def _without(obs: Observed, name: str) -> Observed:
    return replace(obs, nim={n: o for n, o in obs.nim.items() if n != name})


def _net(name: str, net: str, mask: str, **extra: str) -> NimObject:
    return NimObject(name, "networks", "ent", {"net_addr": net, "snm": mask, **extra})


def _commands(spec: Spec, obs: Observed, target: str) -> list[str]:
    plan = make_plan(spec, obs, "d", PlanOptions(targets=frozenset({target})))
    return [a.command().display() for a in plan.actions]


def test_a_wider_nim_network_of_another_name_means_no_nim_action() -> None:
    """9.114.113.0/24 holds every address of net1 (a /27): find_net places its machines."""
    obs = with_objects(_without(empty_lab(), "master_net"), [],
                       [_net("master_net", "9.114.113.0", "255.255.255.0")])
    assert _commands(seed_spec(), obs, "network.net1") == [
        "LC_ALL=C mkdef -t network -o net1 gateway=9.114.113.254 mask=255.255.255.224 "
        "net=9.114.113.224 usercomment=xclone:clustersite"]


def test_no_covering_network_is_xcat2nim_network_after_mkdef_then_the_mark() -> None:
    """A narrower NIM network does not hold net1: xcat2nim -t network after the xCAT network,
    the mark after it, and xcat2nim of the nodes after the NIM network."""
    obs = with_objects(_without(empty_lab(), "master_net"), [],
                       [_net("master_net", "9.114.113.224", "255.255.255.240")])
    plan = make_plan(seed_spec(), obs, "d")
    by_kind = {a.kind.value: a for a in plan.actions}
    define, mark = by_kind["nim-define-network"], by_kind["nim-mark"]
    assert define.command().display() == "LC_ALL=C xcat2nim -t network -o net1"
    assert mark.command().display() == "LC_ALL=C nim -o change -a comments=xclone:clustersite net1"
    assert by_kind["mkdef-network"].id in define.depends_on
    assert define.id in mark.depends_on and define.id in by_kind["xcat2nim"].depends_on


def test_a_nim_object_holding_the_name_elsewhere_is_a_plan_error() -> None:
    obs = with_objects(_without(empty_lab(), "master_net"), [],
                       [_net("net1", "10.9.0.0", "255.255.0.0")])
    with pytest.raises(XcloneError) as caught:
        make_plan(seed_spec(), obs, "d")
    assert "NIM has a networks object 'net1' that does not hold 9.114.113.224/27" in \
        str(caught.value.diagnostics[0])


def test_no_covering_network_and_no_gateway_is_a_plan_error() -> None:
    base = seed_spec().model_dump()
    base["networks"]["net1"].pop("gateway")
    spec = Spec.model_validate(base)
    with pytest.raises(XcloneError) as caught:
        make_plan(spec, _without(empty_lab(), "master_net"), "d")
    assert "set `gateway:`" in str(caught.value.diagnostics[0])


def test_a_group_named_only_by_its_members_is_created_with_chdef() -> None:
    """lsdef shows such a group with its members only; mkdef would refuse it, so the plan
    gives it its attributes and the mark with chdef -t group, as a create."""
    obs = with_objects(empty_lab(), [XcatObject("group", "aixnodes", {"members": "node27"})], [])
    plan = make_plan(seed_spec(), obs, "d", PlanOptions(targets=frozenset({"group.aixnodes"})))
    assert [(str(c.address), c.kind.value) for c in plan.changes] == [("group.aixnodes", "create")]
    assert [a.command().display() for a in plan.actions] == [
        "LC_ALL=C chdef -t group -o aixnodes grouptype=static "
        f"postscripts=setupntp,confignimsh usercomment={MARK}"]


def test_a_group_with_attributes_of_its_own_and_no_mark_is_still_a_conflict() -> None:
    obs = with_objects(empty_lab(), [XcatObject("group", "aixnodes", {
        "members": "node27", "grouptype": "static", "postscripts": "x"})], [])
    with pytest.raises(XcloneError) as caught:
        make_plan(seed_spec(), obs, "d")
    assert "xCAT group 'aixnodes' already exists" in str(caught.value.diagnostics[0])
