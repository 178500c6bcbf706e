"""Adoption: which objects `xclone import SPEC` marks, with which command, and that the plan made
afterwards is empty for a cluster built by hand with the runbook."""

from __future__ import annotations

import dataclasses
from types import MappingProxyType

import pytest

from tests.plan.builders import MARK, converged_lab, seed_spec, with_objects
from xclone.base.errors import XcloneError
from xclone.drivers.xcat.adoption import Adoption, plan_adoption
from xclone.observed.model import NimObject, Observed, XcatObject
from xclone.plan.planner import make_plan


def _unmarked(obs: Observed, comment: str = "") -> Observed:
    """The same cluster as if built by hand: no object carries xclone's mark."""
    xcat = [dataclasses.replace(o, attrs=MappingProxyType(
        {**{k: v for k, v in o.attrs.items() if k != "usercomment"},
         **({"usercomment": comment} if comment else {})}))
        for objs in obs.xcat.values() for o in objs.values()]
    nim = [dataclasses.replace(o, attrs=MappingProxyType(
        {k: v for k, v in o.attrs.items() if k != "comments"})) for o in obs.nim.values()]
    return with_objects(obs, xcat, nim)


def _after(obs: Observed, adoptions: tuple[Adoption, ...]) -> Observed:
    """What xCAT and NIM show once the marking commands ran."""
    xcat, nim = [], []
    for a in adoptions:
        if a.system == "NIM":
            old = obs.nim[a.name]
            nim.append(dataclasses.replace(old, attrs={**old.attrs, "comments": a.after}))
        else:
            found = obs.xcat_object(a.type, a.name)
            assert found is not None
            attrs = {**found.attrs, "usercomment": a.after, **dict(a.extra)}
            xcat.append(XcatObject(a.type, a.name, attrs))
    return with_objects(obs, xcat, nim)


def test_hand_built_cluster_conflicts_until_adopted_then_plans_empty() -> None:
    spec = seed_spec()
    built = _unmarked(converged_lab(spec))
    with pytest.raises(XcloneError) as caught:
        make_plan(spec, built, "sha256:x")
    assert any("xclone import" in d.message for d in caught.value.diagnostics)
    adoption = plan_adoption(spec, built, ())
    addresses = sorted({a.address for a in adoption.adoptions})
    assert addresses == ["cec.Server-9117-MMA-SN10F6F3D", "group.aixnodes", "hmc.hmc01",
                         "lpar.node01", "lpar.node02", "network.net1", "osimage.610sysb"]
    plan = make_plan(spec, _after(built, adoption.adoptions), "sha256:x")
    assert plan.empty, plan.summary()
    assert plan.summary() == "Plan: 0 to add, 0 to change, 0 to reinstall, 0 to destroy."


def test_commands_mark_xcat_and_nim_objects_and_keep_existing_text() -> None:
    spec = seed_spec()
    built = _unmarked(converged_lab(spec), comment="built by hand")
    adoption = plan_adoption(spec, built, ("lpar.node02", "network.net1"))
    shown = {a.command().display() for a in adoption.adoptions}
    assert shown == {
        "LC_ALL=C chdef -t node -o node02 'usercomment=built by hand xclone:clustersite'",
        "LC_ALL=C nim -o change -a comments=xclone:clustersite node02",
        "LC_ALL=C chdef -t network -o net1 'usercomment=built by hand xclone:clustersite'",
        "LC_ALL=C nim -o change -a comments=xclone:clustersite net1",
    }


def test_marked_and_missing_objects_are_noted_not_marked() -> None:
    spec = seed_spec()
    obs = converged_lab(spec)
    without_node01 = Observed({**obs.xcat, "node": {k: v for k, v in obs.xcat["node"].items()
                                                      if k != "node01"}},
                              {k: v for k, v in obs.nim.items() if k != "node01"},
                              obs.systems, obs.partitions)
    adoption = plan_adoption(spec, without_node01, ("lpar.node01", "lpar.node02"))
    assert adoption.adoptions == ()
    assert adoption.notes == ("lpar.node01: does not exist yet", "lpar.node02: already marked")


def test_hand_installed_node_without_provmethod_gets_it_only_when_nim_confirms() -> None:
    spec = seed_spec()
    obs = _unmarked(converged_lab(spec))
    node = obs.xcat["node"]["node01"]
    bare = {k: v for k, v in node.attrs.items() if k not in ("provmethod", "profile")}
    confirmed = with_objects(obs, [XcatObject("node", "node01", bare)], [])
    (xcat_mark,) = [a for a in plan_adoption(spec, confirmed, ("lpar.node01",)).adoptions
                    if a.system == "xCAT"]
    assert xcat_mark.extra == (("provmethod", "610sysb"),)
    failed = with_objects(confirmed, [], [NimObject("node01", "machines", "standalone",
                                                    {"Cstate_result": "failure"})])
    (unconfirmed,) = [a for a in plan_adoption(spec, failed, ("lpar.node01",)).adoptions
                      if a.system == "xCAT"]
    assert unconfirmed.extra == ()


def test_unknown_address_is_a_clear_error() -> None:
    spec = seed_spec()
    with pytest.raises(XcloneError, match="lpar.node99: not a resource of the spec"):
        plan_adoption(spec, converged_lab(spec), ("lpar.node99",))
    assert MARK == "xclone:clustersite"
