"""Planner decisions on hand-built observations: which changes, which commands, in which order."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from tests.plan.builders import (
    CEC,
    MARK,
    converged_lab,
    empty_lab,
    running,
    seed_spec,
    with_objects,
)
from xclone.base.address import Address
from xclone.base.errors import XcloneError
from xclone.observed.model import NimObject, XcatObject
from xclone.plan.changes import ChangeKind
from xclone.plan.context import PlanOptions
from xclone.plan.document import from_json, to_json
from xclone.plan.planner import make_plan
from xclone.spec.model import Spec


def kinds(plan_actions: tuple[object, ...]) -> list[str]:
    return [a.kind for a in plan_actions]  # type: ignore[attr-defined]


def test_empty_lab_plans_the_whole_runbook_in_order() -> None:
    plan = make_plan(seed_spec(), empty_lab(), "sha256:obs")
    assert kinds(plan.actions) == [
        "chdef-site", "mkdef-hmc", "mkdef-network", "mkdef-group",
        "mknimimage", "mkdef-z", "mkdef-z", "makehosts", "makeconservercf", "getmacs",
        "xcat2nim", "nimnodeset", "rnetboot", "wait-install",
    ]
    shells = {a.kind.value: a.command().shell() for a in plan.actions}
    assert shells["mknimimage"] == ("LC_ALL=C mknimimage -m mksysb -n node27 610sysb "
                                    "spot=610spot resolv_conf=my_resolv_conf "
                                    "usercomment=xclone:clustersite")
    assert shells["getmacs"] == "LC_ALL=C getmacs node01 -D"
    assert shells["rnetboot"] == "LC_ALL=C rnetboot 'node[01-02]'"
    assert plan.summary() == "Plan: 7 to add, 1 to change, 0 to reinstall, 0 to destroy."
    ids = [a.id for a in plan.actions]
    for action in plan.actions:
        assert all(ids.index(dep) < ids.index(action.id) for dep in action.depends_on)


def test_hmc_password_is_a_masked_placeholder_in_the_plan() -> None:
    plan = make_plan(seed_spec(), empty_lab(), "sha256:obs")
    hmc = next(a for a in plan.actions if a.kind.value == "mkdef-hmc")
    command = hmc.command()
    assert command.display() == "LC_ALL=C mkdef -z"
    assert "    password=((secret:env:HMC01_PASSWORD))\n" in (command.stdin or "")
    document = to_json(plan)
    shown = next(a for a in document["actions"] if a["kind"] == "mkdef-hmc")
    assert "password=***" in shown["stdin"] and shown["secret_refs"] == ["env:HMC01_PASSWORD"]


def test_converged_lab_gives_an_empty_plan() -> None:
    spec = seed_spec()
    plan = make_plan(spec, converged_lab(spec), "sha256:obs")
    assert plan.empty, [a.command().display() for a in plan.actions]
    assert plan.summary() == "Plan: 0 to add, 0 to change, 0 to reinstall, 0 to destroy."


def test_one_postscript_change_is_one_in_place_update() -> None:
    observed = converged_lab(seed_spec())
    plan = make_plan(seed_spec(node01={"postscripts": ["foo", "baz"]}), observed, "d")
    assert [(c.address, c.kind) for c in plan.changes] == [
        (Address("lpar", "node01"), ChangeKind.UPDATE)]
    assert [a.command().shell() for a in plan.actions] == [
        "LC_ALL=C chdef node01 postscripts=foo,baz"]


def test_absent_lpar_gets_its_cleanup_chain_and_nothing_else() -> None:
    observed = converged_lab(seed_spec())
    plan = make_plan(seed_spec(node02={"state": "absent"}), observed, "d")
    assert [(c.address, c.kind) for c in plan.changes] == [
        (Address("lpar", "node02"), ChangeKind.DELETE)]
    assert [a.command().shell() for a in plan.actions] == [
        "LC_ALL=C xcat2nim -t node -r -f node02", "LC_ALL=C makehosts -d node02",
        "LC_ALL=C makeconservercf -d node02", "LC_ALL=C rmdef -t node node02"]
    first, hosts, conserver, rmdef = (a.id for a in plan.actions)
    assert plan.actions[1].depends_on == plan.actions[2].depends_on == (first,)
    assert set(plan.actions[3].depends_on) == {first, hosts, conserver}


def test_removing_an_osimage_removes_only_what_mknimimage_made_after_the_nodes() -> None:
    spec = seed_spec()
    observed = converged_lab(spec)
    gone = Spec.model_validate({**spec.model_dump(), "osimages": {},
                                "lpars": {n: {**lp.model_dump(), "state": "absent"}
                                          for n, lp in spec.lpars.items()}})
    plan = make_plan(gone, observed, "d")
    shells = [a.command().shell() for a in plan.actions]
    assert "LC_ALL=C nim -o remove 610sysb_mksysb" in shells
    assert "LC_ALL=C nim -o remove 610sysb_bosinst_data" in shells
    assert not any("610spot" in s or "my_resolv_conf" in s or "rmnimimage" in s for s in shells)
    rmdef_nodes = shells.index("LC_ALL=C rmdef -t node 'node[01-02]'")
    assert shells.index("LC_ALL=C rmdef -t osimage -o 610sysb") > rmdef_nodes
    osimage = next(c for c in plan.changes if c.address == Address("osimage", "610sysb"))
    assert "removes NIM resources: 610sysb_mksysb, 610sysb_bosinst_data" in osimage.notes


def test_unmarked_node_with_a_wanted_name_is_a_conflict() -> None:
    observed = with_objects(empty_lab(), [XcatObject("node", "node01", {"groups": "all"})], [])
    with pytest.raises(XcloneError) as err:
        make_plan(seed_spec(), observed, "d")
    messages = [d.format() for d in err.value.diagnostics]
    assert any("lpar.node01" in m and "xclone import" in m for m in messages)


def test_partition_id_mismatch_names_both_values() -> None:
    with pytest.raises(XcloneError) as err:
        make_plan(seed_spec(node01={"id": 8}), empty_lab(), "d")
    assert any("id 8 in the spec" in d.message and "id 9" in d.message
               for d in err.value.diagnostics)


def test_missing_managed_system_is_an_error() -> None:
    obs = empty_lab()
    obs = replace(obs, systems={}, partitions={})
    with pytest.raises(XcloneError) as err:
        make_plan(seed_spec(), obs, "d")
    assert any(d.address == f"cec.{CEC}" for d in err.value.diagnostics)


def test_getmacs_on_a_running_lpar_is_destructive_and_refused_when_protected() -> None:
    plan = make_plan(seed_spec(), running(empty_lab(), "node01"), "d")
    getmacs = next(a for a in plan.actions if a.kind.value == "getmacs")
    assert getmacs.destructive
    with pytest.raises(XcloneError, match="plan failed") as err:
        make_plan(seed_spec(node01={"protect": True}), running(empty_lab(), "node01"), "d")
    assert "add `mac:` to the spec" in err.value.diagnostics[0].message


def test_osimage_change_reinstalls_and_protect_refuses_it() -> None:
    spec = seed_spec()
    observed = converged_lab(spec)
    observed = with_objects(observed, [XcatObject("osimage", "710sysb",
                                                    {"spot": "610spot", "usercomment": MARK})], [])
    new = Spec.model_validate({**spec.model_dump(), "osimages": {
        **spec.model_dump()["osimages"], "710sysb": {"source_node": "node27", "spot": "610spot"}},
        "lpars": {**spec.model_dump()["lpars"],
                  "node02": {**spec.lpars["node02"].model_dump(), "osimage": "710sysb"}}})
    plan = make_plan(new, observed, "d")
    change = next(c for c in plan.changes if c.address == Address("lpar", "node02"))
    assert change.kind is ChangeKind.REPLACE and change.destructive
    assert plan.changes[0].address == Address("lpar", "node02")
    assert [a.kind.value for a in plan.actions] == [
        "makehosts", "makeconservercf", "nimnodeset", "rnetboot", "wait-install"]
    protected = Spec.model_validate({**new.model_dump(), "lpars": {
        **new.model_dump()["lpars"],
        "node02": {**new.lpars["node02"].model_dump(), "protect": True}}})
    with pytest.raises(XcloneError):
        make_plan(protected, observed, "d")


def test_replace_flag_reinstalls_an_installed_lpar() -> None:
    spec = seed_spec()
    plan = make_plan(spec, converged_lab(spec), "d",
                     PlanOptions(replace=frozenset({"lpar.node01"})))
    assert [(c.address, c.kind) for c in plan.changes] == [
        (Address("lpar", "node01"), ChangeKind.REPLACE)]
    with pytest.raises(XcloneError, match="--replace"):
        make_plan(spec, converged_lab(spec), "d", PlanOptions(replace=frozenset({"hmc.hmc01"})))


def test_install_in_progress_is_only_waited_for() -> None:
    spec = seed_spec()
    obs = converged_lab(spec)
    node = obs.xcat["node"]["node01"]
    attrs = {k: v for k, v in node.attrs.items() if k != "status"}
    obs = with_objects(obs, [XcatObject("node", "node01", {**attrs, "status": "installing"})],
                       [NimObject("node01", "machines", "standalone", {
                           "Cstate": "Base Operating System installation is being performed",
                           "comments": MARK})])
    plan = make_plan(spec, obs, "d")
    assert [a.kind.value for a in plan.actions] == ["wait-install"]


def test_target_keeps_the_target_and_its_dependencies() -> None:
    plan = make_plan(seed_spec(), empty_lab(), "d",
                     PlanOptions(targets=frozenset({"network.net1"})))
    assert [a.kind.value for a in plan.actions] == ["mkdef-network"]  # master_net holds net1


def _big_spec(n: int) -> Spec:
    base = seed_spec().model_dump()
    lpars = {f"n{i:04d}": {**base["lpars"]["node02"], "name": f"n{i:04d}", "id": i,
                           "profile": f"p{i}", "ip": f"10.1.{i // 200}.{i % 200 + 1}",
                           "mac": f"fef9dfb7{i:04x}", "network": "big"} for i in range(1, n + 1)}
    return Spec.model_validate({**base, "lpars": lpars, "networks": {
        "big": {"net": "10.1.0.0", "mask": "255.255.0.0", "gateway": "10.1.255.254"}}})


def _big_lab(spec: Spec) -> object:
    from xclone.observed.model import Partition

    obs = empty_lab()
    parts = tuple(Partition("hmc01", CEC, n, lp.id, "Not Activated", "", lp.profile, "aixlinux",
                            "Unknown") for n, lp in spec.lpars.items())
    return replace(obs, partitions={("hmc01", CEC): parts})


@pytest.mark.parametrize("n", [2, 1000])
def test_batched_command_count_does_not_grow_with_lpars(n: int) -> None:
    spec = _big_spec(n)
    plan = make_plan(spec, _big_lab(spec), "d")  # type: ignore[arg-type]
    assert len(plan.actions) == 15  # with xcat2nim -t network and its mark: 10.1/16 is new
    assert max(len(a.nodes) for a in plan.actions) == n


def test_same_inputs_give_byte_identical_json_that_round_trips() -> None:
    one = json.dumps(to_json(make_plan(seed_spec(), empty_lab(), "d")))
    two = json.dumps(to_json(make_plan(seed_spec(), empty_lab(), "d")))
    assert one == two
    again = to_json(from_json(json.loads(one)))
    assert json.dumps(again) == one


def test_a_mark_sharing_the_comment_with_other_words_is_no_change() -> None:
    spec = seed_spec()
    observed = converged_lab(spec)
    node = observed.xcat["node"]["node01"]
    commented = {**node.attrs, "usercomment": f"built by hand {MARK}"}
    observed = with_objects(observed, [XcatObject("node", "node01", commented)], [])
    assert make_plan(spec, observed, "d").empty


def test_replace_shows_the_reinstall_in_the_state_diff() -> None:
    spec = seed_spec()
    plan = make_plan(spec, converged_lab(spec), "d",
                     PlanOptions(replace=frozenset({"lpar.node01"})))
    diffs = {d.name: (d.before, d.after) for d in plan.changes[0].diffs}
    assert diffs == {"state": ("installed (610sysb)", "reinstalled (610sysb)")}


def test_an_unreachable_managed_system_is_one_clear_error() -> None:
    obs = empty_lab()
    system = obs.systems[("hmc01", CEC)]
    obs = replace(obs, systems={("hmc01", CEC): replace(system, state="No Connection")},
                  partitions={})
    with pytest.raises(XcloneError) as err:
        make_plan(seed_spec(), obs, "d")
    messages = [d.format() for d in err.value.diagnostics]
    assert messages == [f"cec.{CEC}: managed system '{CEC}' is 'No Connection' on HMC hmc01: "
                        "the HMC cannot list or drive its partitions until that is fixed"]
