"""Issue 15 "Done when" for driver: nim on the example pair specs/examples/nim-two-subnet.yaml
and nim-two-subnet-lab.yaml, through the real CLI: the master on both subnets gets NIM's
interface on net2, the master on one gets a route (IBM AIX "Defining NIM routes": destination
network, the gateway towards it, the destination's gateway back); each applies, converges, and
destroy leaves the master's `if`/`routing` attributes as they were."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.apply.helpers import Scenario

IF2 = "LC_ALL=C nim -o change -a 'if2=net2 nimmaster-en1 0' -a cable_type2=N/A master"
ROUTE = "LC_ALL=C nim -o change -a 'routing2=master_net 10.0.0.247 9.114.113.254' net2"


@pytest.fixture
def two(tmp_path: Path) -> Scenario:
    return Scenario(tmp_path, lab_name="nim-two-subnet-lab.yaml",
                    spec_name="nim-two-subnet.yaml")


def _attrs(seed: Scenario, name: str) -> dict[str, str]:
    status, out, _ = seed.mn(f"lsnim -l {name}")
    assert status == 0, out
    return {key.strip(): value.strip() for key, _, value in
            (line.partition("=") for line in out.splitlines()[1:])}


def _commands(seed: Scenario) -> list[str]:
    result = seed.plan("--format", "json")
    assert result.exit_code == 0, result.output
    return [a["command"] for a in json.loads(result.stdout)["actions"]]


def _converges_and_destroy_restores(seed: Scenario) -> None:
    master, master_net = _attrs(seed, "master"), _attrs(seed, "master_net")
    applied = seed.apply()
    assert applied.exit_code == 0, applied.output
    again = seed.plan("--detailed-exitcode")
    assert again.exit_code == 0, again.output
    gone = seed.xclone("destroy", str(seed.spec_file), "--lab", str(seed.lab_file),
                       "--auto-approve")
    assert gone.exit_code == 0, gone.output
    assert (_attrs(seed, "master"), _attrs(seed, "master_net")) == (master, master_net)
    assert seed.mn("lsnim -l net2")[0] != 0


def test_master_on_both_subnets_gets_an_interface_converges_and_is_restored(
        two: Scenario) -> None:
    commands = _commands(two)
    assert IF2 in commands and not any("routing2" in c for c in commands)
    _converges_and_destroy_restores(two)


def test_master_on_one_subnet_is_routed_converges_and_is_restored(two: Scenario) -> None:
    two.spec_data["management_node"].pop("addresses")
    two.write_spec()
    commands = _commands(two)
    assert ROUTE in commands and IF2 not in commands
    _converges_and_destroy_restores(two)
