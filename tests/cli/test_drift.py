"""`xclone drift SPEC` and `plan --drift` (issue 18) through the real CLI on the seed lab.

Changes are made by hand with the lab's own xCAT commands (`chdef`, `mkdef`), as an
administrator would; the expected-drift table is the xCAT driver's (xCAT 2.9.2 Schema.pm: the
nodelist `status` "will be set by xCAT software"; NIM's `Cstate` during a BOS install, see
docs/formats.md "Drift")."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tests.apply.helpers import ROOT, Scenario

MARK = "usercomment=xclone:clustersite"


@pytest.fixture
def applied(tmp_path: Path) -> Scenario:
    seed = Scenario(tmp_path)
    assert seed.converge().exit_code == 0
    return seed


def _drift(seed: Scenario, *extra: str) -> tuple[int, str]:
    result = seed.xclone("drift", str(seed.spec_file), "--lab", str(seed.lab_file), *extra)
    return result.exit_code, result.output


def test_no_drift_on_a_converged_cluster_exits_0(applied: Scenario) -> None:
    code, out = _drift(applied)
    assert code == 0, out
    assert "No drift: every object xclone manages on cluster clustersite matches the spec." in out


def test_hand_changes_are_surprising_with_evidence_and_exit_2(applied: Scenario) -> None:
    assert applied.mn("chdef -t node -o node01 postscripts=foo")[0] == 0
    assert applied.mn("chdef -t node -o node02 pprofile=other mac=aabbccddeeff")[0] == 0
    assert applied.mn("chdef -t group -o aixnodes postscripts=setupntp")[0] == 0
    assert applied.mn(f"mkdef -t network -o net9 net=10.0.0.0 mask=255.0.0.0 {MARK}")[0] == 0
    code, out = _drift(applied)
    assert code == 2, out
    assert 'lpar.node01 postscripts: spec "foo,bar", observed "foo"' in out
    assert 'lpar.node02 pprofile: spec "lpar6", observed "other"' in out
    assert 'lpar.node02 mac: spec "fef9dfb7c602", observed "aabbccddeeff"' in out
    assert 'group.aixnodes postscripts: spec "setupntp,confignimsh", observed "setupntp"' in out
    assert "network.net9: spec absent, observed present: carries the xclone:clustersite mark" \
        in out
    assert "Drift: 5 surprising, 0 expected, 0 ignored." in out
    # the same report as JSON, from `plan --drift`
    result = applied.plan("--drift", "--format", "json")
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    jsonschema.validate(report, json.loads((ROOT / "schemas" / "drift.schema.json").read_text(
        encoding="utf-8")))
    assert report["summary"] == {"surprising": 5, "expected": 0, "ignored": 0}
    assert {"address": "lpar.node02", "class": "surprising", "attribute": "pprofile",
            "spec": "lpar6", "observed": "other",
            "why": "changed outside xclone, or in the spec and not applied yet"} \
        in report["findings"]
    # drift changed nothing: the hand change is still there
    assert applied.mn("lsdef -t node -o node01 -i postscripts")[1].endswith(",foo\n")


def test_ignore_changes_silences_an_accepted_attribute(applied: Scenario) -> None:
    assert applied.mn("chdef -t node -o node01 postscripts=foo")[0] == 0
    assert applied.mn("chdef -t group -o aixnodes postscripts=setupntp")[0] == 0
    applied.spec_data["lpar_defaults"]["ignore_changes"] = ["postscripts"]
    applied.spec_data["groups"]["aixnodes"]["ignore_changes"] = ["postscripts"]
    applied.write_spec()
    code, out = _drift(applied)
    assert code == 0, out
    assert "Ignored (ignore_changes): group.aixnodes postscripts, lpar.node01 postscripts" in out
    assert "Drift: 0 surprising, 0 expected, 2 ignored." in out
    # an LPAR's own list replaces the defaults': node01 names only mac, so postscripts alerts
    applied.set_lpar("node01", ignore_changes=["mac"])
    code, out = _drift(applied)
    assert code == 2 and 'lpar.node01 postscripts: spec "foo,bar"' in out


def test_an_install_in_progress_is_expected_drift(tmp_path: Path) -> None:
    """A frozen lab clock (scale 0) holds node01's install where the hand-run nimnodeset and
    rnetboot leave it: NIM installing. node02, defined but not installed, is surprising until
    its `state` is accepted with ignore_changes; then only expected drift is left: exit 0."""
    seed = Scenario(tmp_path, clock={"scale": 0})
    for name in ("node01", "node02"):
        seed.set_lpar(name, state="defined")
    assert seed.converge().exit_code == 0
    for name in ("node01", "node02"):
        seed.set_lpar(name, state="installed")
    assert seed.mn("nimnodeset -i 610sysb node01")[0] == 0
    assert seed.mn("rnetboot node01")[0] == 0
    code, out = _drift(seed)
    assert code == 2, out
    assert ('lpar.node01 state: spec "installed (610sysb)", observed "installing" (NIM is '
            "installing it") in out
    assert 'lpar.node02 state: spec "installed (610sysb)", observed "defined"' in out
    seed.set_lpar("node02", ignore_changes=["state"])
    code, out = _drift(seed)
    assert code == 0, out
    assert "Drift: 0 surprising, 1 expected, 1 ignored." in out


def test_drift_target_reports_only_that_resource(applied: Scenario) -> None:
    assert applied.mn("chdef -t node -o node01 postscripts=foo")[0] == 0
    assert applied.mn("chdef -t group -o aixnodes postscripts=setupntp")[0] == 0
    code, out = _drift(applied, "--target", "group.aixnodes")
    assert code == 2
    assert "group.aixnodes postscripts" in out and "lpar.node01" not in out


def test_drift_errors_exit_1(applied: Scenario) -> None:
    """An unmarked object where the spec wants one is a plan error, not drift; a bad option
    combination is a usage error: both exit 1 with one message."""
    code, out = _drift(applied, "--target", "lpar.node3")
    assert code == 1 and "Error: --target lpar.node3 names nothing" in out
    result = applied.plan("--drift", "--destroy")
    assert result.exit_code == 1 and "--drift reports drift" in result.output


def test_a_resource_allocated_by_hand_is_drift_and_apply_frees_it(applied: Scenario) -> None:
    """NIM deallocates an install's resources when it completes (the lab's machine holds none
    after apply), so a SPOT allocated later to the installed, ready node01 was someone's hand:
    surprising drift, and the plan frees it with `nim -o deallocate -a subclass=all`."""
    assert applied.mn("nim -o allocate -a spot=610spot node01")[0] == 0
    code, out = _drift(applied)
    assert code == 2, out
    assert 'lpar.node01 spot: spec (none), observed "610spot"' in out
    plan = applied.plan()
    assert "nim -o deallocate -a subclass=all node01" in plan.output
    assert "Plan: 0 to add, 1 to change, 0 to reinstall, 0 to destroy." in plan.output
    assert applied.apply().exit_code == 0
    assert "spot" not in applied.mn("lsnim -l node01")[1].split()
    assert _drift(applied)[0] == 0
