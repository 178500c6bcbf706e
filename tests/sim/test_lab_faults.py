"""Faults declared in the lab file or added by tests show up exactly where declared."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sim.conftest import CEC, Run, prepare, runner, seed_data, write_lab
from xclone.sim import Fault, Lab, LabError


def lab_with(tmp_path: Path, faults: list[dict[str, object]], seed: int = 1,
             name: str = "lab") -> Lab:
    data = seed_data(clock={"instant": True}, faults=faults, seed=seed)
    return Lab.init(write_lab(tmp_path, data, f"{name}.yaml"), tmp_path / name)


def test_fail_n_times_only_where_declared(tmp_path: Path) -> None:
    lab = lab_with(tmp_path, [{"host": "xcataixmn", "command": "rpower", "args": "node02",
                               "times": 1}])
    run = runner(lab)
    prepare(run)
    assert run("rpower node01 stat").exit_status == 0
    failed = run("rpower node02 stat")
    assert (failed.stdout, failed.stderr, failed.exit_status) == (
        "", "Error: rpower: simulated failure injected by the lab.\n", 1)
    assert run("rpower node02 stat").stdout == "node02: Not Activated\n"


def test_fault_with_its_own_answer_on_an_hmc_hostname(tmp_path: Path) -> None:
    lab = lab_with(tmp_path, [{"host": "hmc01.cluster.com", "command": "lssyscfg",
                               "args": "-r sys", "times": 2, "stdout": "hmc01: busy\n",
                               "exit": 2}])
    for _ in range(2):
        answer = lab.execute("hmc01", "lssyscfg -r sys -F name")
        assert (answer.stdout, answer.stderr, answer.exit_status) == ("hmc01: busy\n", "", 2)
    assert lab.execute("hmc01", "lssyscfg -r sys -F name").stdout == f"{CEC}\n"
    assert lab.execute("hmc01", f"lssyscfg -r lpar -m {CEC} -F name").exit_status == 0


def test_probability_is_seeded(tmp_path: Path) -> None:
    fault = [{"command": "lsnim", "probability": 0.5}]
    first, second = lab_with(tmp_path, fault, 7, "a"), lab_with(tmp_path, fault, 7, "b")
    outcomes = [[lab.execute("xcataixmn", "lsnim").exit_status for _ in range(24)]
                for lab in (first, second)]
    assert outcomes[0] == outcomes[1]
    assert 0 in outcomes[0] and 1 in outcomes[0]


def test_latency_and_hang_delay_but_answer(tmp_path: Path) -> None:
    lab = lab_with(tmp_path, [{"command": "lsnim", "latency": 0.01},
                              {"command": "lsnim", "args": "-l", "hang": 0.01}])
    assert lab.execute("xcataixmn", "lsnim -l 610spot").exit_status == 0
    data = seed_data(clock={"instant": True}, latency={"lsdef": 0.01})
    other = Lab.init(write_lab(tmp_path, data, "lat.yaml"), tmp_path / "lat")
    assert other.execute("xcataixmn", "lsdef -t site").stdout == "clustersite  (site)\n"


def test_install_error_fault(tmp_path: Path) -> None:
    lab = lab_with(tmp_path, [{"lpar": "node02", "install": "error"}])
    run: Run = runner(lab)
    prepare(run)
    assert run("nimnodeset -i 610sysb node01,node02").exit_status == 0
    assert run("rnetboot node01,node02").exit_status == 0
    assert "   Cstate_result  = success\n" in run("lsnim -l node01").stdout
    failed = run("lsnim -l node02").stdout
    assert "   Cstate_result  = failure\n" in failed
    assert "   Cstate         = ready for a NIM operation\n" in failed
    assert "   spot           = 610spot\n" in failed  # still allocated until reset+deallocate
    assert "err_info" in failed
    states = run(f"lssyscfg -r lpar -m {CEC} -F name,state", host="hmc01").stdout
    assert "node02,Error\n" in states and "node01,Running\n" in states
    assert "    status=installing\n" in run("lsdef node02").stdout


def test_add_fault_at_runtime(lab: Lab) -> None:
    lab.add_fault(Fault(command="mkdir", host="xcataixmn", times=1))
    failed = lab.execute("xcataixmn", "mkdir /tmp/lock")
    assert (failed.stderr, failed.exit_status) == (
        "mkdir: simulated failure injected by the lab.\n", 2)
    assert lab.execute("xcataixmn", "mkdir /tmp/lock").exit_status == 0
    with pytest.raises(LabError, match="unknown command"):
        lab.add_fault(Fault(command="frobnicate"))
    with pytest.raises(LabError, match="no such host"):
        lab.add_fault(Fault(command="lsnim", host="nowhere"))
