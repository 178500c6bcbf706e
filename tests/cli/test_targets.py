"""`--target` / `--replace` must name something (issue 10 §2, CONTRACT §9): an address that names
nothing is an error listing near matches, never "No changes" with changes pending. Every test
runs once per driver (tests/drivers.py): the addresses are the same under `driver: nim`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.apply.helpers import Scenario
from tests.drivers import DriverCase, both

# What shows that nothing ran: node01 is still unknown to the driver.
NOTHING_CHANGED = {"xcataixmn": "lsdef -t node -o node01", "nimmaster": "lsnim -l node01"}
UNKNOWN = {"xcataixmn": 1, "nimmaster": 53}  # lsdef's status; NIM's 0042-053 status


@pytest.fixture(params=both())
def seed(request: pytest.FixtureRequest, tmp_path: Path) -> Scenario:
    case: DriverCase = request.param
    return case.scenario(tmp_path)


def _unchanged(seed: Scenario) -> bool:
    return seed.mn(NOTHING_CHANGED[seed.master])[0] == UNKNOWN[seed.master]


@pytest.mark.parametrize("command", ["plan", "apply", "graph"])
def test_a_target_that_names_nothing_is_an_error_with_near_matches(seed: Scenario,
                                                                   command: str) -> None:
    extra = {"plan": ["--detailed-exitcode"], "apply": ["--auto-approve"], "graph": []}[command]
    result = seed.xclone(command, str(seed.spec_file), "--lab", str(seed.lab_file),
                         "--target", "lpar.node3", *extra)
    assert result.exit_code == 1, result.output
    assert "Error: --target lpar.node3 names nothing in the spec or the cluster" in result.output
    assert "did you mean lpar.node01, lpar.node02?" in result.output
    assert "No changes" not in result.output
    assert _unchanged(seed)


@pytest.mark.parametrize(("flag", "address", "message"), [
    ("--target", "lpar", "--target lpar: address 'lpar' is not of the form TYPE.NAME"),
    ("--target", "lpar.", "--target lpar.: an address needs a name after the type"),
    ("--target", "node.node01", "--target node.node01: unknown resource type 'node'"),
    ("--target", "hmc.hmc1", "--target hmc.hmc1 names nothing in the spec or the cluster: "
                             "did you mean hmc.hmc01?"),
    ("--replace", "network.net1", "--replace network.net1: only an LPAR can be replaced"),
    ("--replace", "lpar.node9", "--replace lpar.node9 names nothing in the spec: "
                                "did you mean lpar.node01, lpar.node02?"),
    ("--replace", "lpar", "--replace lpar: address 'lpar' is not of the form TYPE.NAME"),
])
@pytest.mark.parametrize("command", ["plan", "apply"])
def test_malformed_or_unknown_addresses_are_errors(seed: Scenario, command: str, flag: str,
                                                   address: str, message: str) -> None:
    extra = ["--auto-approve"] if command == "apply" else ["--detailed-exitcode"]
    result = seed.xclone(command, str(seed.spec_file), "--lab", str(seed.lab_file), flag, address,
                         *extra)
    assert result.exit_code == 1, result.output
    assert f"Error: {message}" in result.output
    assert "Traceback" not in result.output
    assert _unchanged(seed)


def test_several_bad_addresses_are_one_message(seed: Scenario) -> None:
    result = seed.plan("--target", "lpar.node3", "--target", "group.aixnode")
    assert result.exit_code == 1
    assert result.output.count("Error:") == 1
    assert "did you mean group.aixnodes?" in result.output
    assert "did you mean lpar.node01, lpar.node02?" in result.output


def test_a_target_the_spec_names_plans_only_it_and_what_it_needs(seed: Scenario) -> None:
    result = seed.plan("--target", "lpar.node01", "--detailed-exitcode")
    assert result.exit_code == 2, result.output
    assert "lpar.node01" in result.output and "lpar.node02" not in result.output


def test_a_target_planned_for_cleanup_is_accepted(seed: Scenario) -> None:
    """A marked LPAR the spec no longer lists is in the cluster, not the spec: targeting its
    cleanup is legitimate, as `terraform -target` accepts a resource only in the state."""
    assert seed.converge().exit_code == 0
    del seed.spec_data["lpars"]["node02"]
    seed.write_spec()
    result = seed.plan("--target", "lpar.node02", "--detailed-exitcode")
    assert result.exit_code == 2, result.output
    assert "lpar.node02 will be destroyed" in result.output
    assert "1 to destroy" in result.output
