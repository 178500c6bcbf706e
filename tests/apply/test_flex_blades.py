"""AIX Flex blades (issue 15 item 3): the runbook boots them with `rbootseq NODES net` then
`rpower NODES reset`, not `rnetboot`, through the real CLI against the lab.

Facts: xCAT 2.9.2 blade.pm (rscan of a CMM defines a POWER blade with `mgt=fsp`, `cons=fsp`);
FSPbootseq.pm `rbootseq` (`net` puts the adapter of the mac-table MAC first, prints
`node: Success`, needs the MAC: `No mac address in mac table`); man rbootseq(1). The NIM driver
boots a Flex node's partition with the HMC's lpar_netboot like any other (IBM lpar_netboot
reference: the HMC/FSM command also covers full-system partitions).
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.apply.helpers import Scenario
from tests.drivers import NIM


def _blade_seed(tmp_path: Path) -> Scenario:
    seed = Scenario(tmp_path)
    seed.set_lpar("node02", hardware="blade")  # node02 has its MAC in the spec
    seed.set_lpar("node01", hardware="blade", mac="fef9dfb7c601")
    return seed


def test_a_blade_is_planned_with_rbootseq_and_rpower_not_rnetboot(tmp_path: Path) -> None:
    seed = _blade_seed(tmp_path)
    planned = seed.plan("--format", "json")
    assert planned.exit_code == 0, planned.output
    actions = json.loads(planned.stdout)["actions"]
    kinds = [a["kind"] for a in actions]
    assert "rnetboot" not in kinds and "getmacs" not in kinds
    boot = next(a for a in actions if a["kind"] == "rbootseq")
    power = next(a for a in actions if a["kind"] == "rpower-boot")
    wait = next(a for a in actions if a["kind"] == "wait-install")
    assert boot["command"].endswith("rbootseq 'node[01-02]' net")
    assert power["command"].endswith("rpower 'node[01-02]' on")  # both are off: on, not reset
    assert boot["id"] in power["depends_on"] and power["id"] in wait["depends_on"]
    assert not power["destructive"]


def test_blades_install_and_converge_through_rbootseq_and_rpower(tmp_path: Path) -> None:
    seed = _blade_seed(tmp_path)
    applied = seed.apply()
    assert applied.exit_code == 0, applied.output
    sent = " ".join(seed.lab.command_counts())
    assert "rbootseq 'node[01-02]' net" in sent and "rnetboot" not in sent
    status, out, _ = seed.mn("lsdef -t node -o node01,node02 -i status,mgt,cons -c")
    assert status == 0
    assert "node01: status=booted" in out and "node02: status=booted" in out
    assert "node01: mgt=fsp" in out and "node01: cons=fsp" in out
    assert seed.plan("--detailed-exitcode").exit_code == 0


def test_a_running_blade_is_reset_and_the_plan_says_it_power_cycles(tmp_path: Path) -> None:
    seed = _blade_seed(tmp_path)
    assert seed.converge().exit_code == 0
    seed.set_lpar("node02", osimage="610sysb")
    planned = seed.plan("--replace", "lpar.node02")
    assert planned.exit_code == 0, planned.output
    assert "rpower node02 reset" in planned.output
    assert "rpower reset power-cycles node02 (now Running)" in planned.output
    assert seed.apply("--replace", "lpar.node02").exit_code == 0


def test_rbootseq_answers_as_fspbootseq_does(tmp_path: Path) -> None:
    seed = _blade_seed(tmp_path)
    seed.set_lpar("node01", state="defined")
    assert seed.converge().exit_code == 0
    assert seed.mn("rbootseq node01 net") == (0, "node01: Success\n", "")
    assert seed.mn("chdef -t node -o node01 mac=")[0] == 0
    assert seed.mn("rbootseq node01 net")[:2] == (1, "node01: No mac address in mac table\n")
    status, out, _ = seed.mn("rbootseq node27 net")  # an HMC-managed LPAR (mgt=hmc)
    assert status == 1 and out.startswith("node27: ")


def test_a_blade_without_a_mac_is_a_spec_error_for_the_xcat_driver(tmp_path: Path) -> None:
    seed = Scenario(tmp_path)
    seed.set_lpar("node01", hardware="blade")
    planned = seed.plan()
    assert planned.exit_code == 1
    assert "a Flex blade (hardware: blade) needs mac" in planned.output
    assert "Traceback" not in planned.output


def test_the_nim_driver_boots_a_blade_with_lpar_netboot_and_installs_it(tmp_path: Path) -> None:
    seed = NIM.scenario(tmp_path)
    seed.set_lpar("node02", hardware="blade")
    planned = seed.plan("--format", "json")
    assert planned.exit_code == 0, planned.output
    kinds = {a["kind"] for a in json.loads(planned.stdout)["actions"]}
    assert "lpar-netboot" in kinds, kinds
    assert "rbootseq" not in kinds
    assert seed.apply().exit_code == 0
    NIM.assert_installed(seed, "node02")
