"""Prescripts under the NIM driver (issue 14: "prescripts run on the master before and after
the allocation, as xCAT does around `nimnodeset`").

xCAT 2.9.2, xCAT-server/lib/xcat/plugins/prescripts.pm: runbeginpre and runendpre (called by
aixinstall.pm's nimnodeset) run each script of the node's prescripts table column for the action
on the management node as `NODES=<nodes> ACTION=<action> <installdir>/prescripts/NAME` and report
a non-zero return code with the script's output. Under nim the master runs the `standalone` list
from `prescripts` beside scripts_dir, begin before the LPAR's bos_inst, end after it."""

from __future__ import annotations

from pathlib import Path

from tests.apply.helpers import Scenario
from tests.plan.nim.helpers import MASTER, commands, ok, plan_doc, plan_error
from xclone.sim.faults import Fault

DIR = "/export/nim/prescripts"
ENV = "LC_ALL=C NODES={n} ACTION=standalone"


def _with_prescripts(nim: Scenario) -> None:
    ok(nim, f"mkdir -p {DIR}")
    for script in ("fence", "notify", "cmdb"):
        assert nim.lab.execute(MASTER, f"tee {DIR}/{script}", "#!/bin/ksh\n").exit_status == 0
    defaults = nim.spec_data["lpar_defaults"]
    nim.write_spec(lpar_defaults={**defaults,
                                  "prescripts_begin": {"standalone": ["fence", "notify"]},
                                  "prescripts_end": {"standalone": ["cmdb"]}})


def _node_lines(shown: list[str], node: str) -> list[str]:
    return [c for c in shown if c.endswith(f" {node}") and ("prescripts/" in c or "bos_inst" in c)]


def test_plan_runs_begin_prescripts_before_bos_inst_and_end_ones_after(nim: Scenario) -> None:
    _with_prescripts(nim)
    shown = commands(plan_doc(nim))
    for node in ("node01", "node02"):
        lines = _node_lines(shown, node)
        env = ENV.format(n=node)
        assert [line.split(" nim -o ")[0] if "bos_inst" in line else line for line in lines] == [
            f"{MASTER}: {env} {DIR}/fence {node}", f"{MASTER}: {env} {DIR}/notify {node}",
            f"{MASTER}: LC_ALL=C", f"{MASTER}: {env} {DIR}/cmdb {node}"], lines


def test_apply_runs_them_and_a_failing_begin_script_stops_only_its_lpar(
        nim: Scenario) -> None:
    _with_prescripts(nim)
    nim.lab.add_fault(Fault(command=f"{DIR}/fence", args="node02", stderr="fence: no lock\n",
                            exit_status=2))
    result = nim.apply("--auto-approve")
    assert result.exit_code == 1, result.output
    assert "fence: no lock" in result.output
    counts = nim.lab.command_counts()
    assert counts[f"{MASTER} {DIR}/cmdb node01"] == 1
    assert f"{MASTER} {DIR}/notify node02" not in counts
    assert "node01" in ok(nim, "lsnim -t standalone")
    assert "BOS installation has been enabled" not in ok(nim, "lsnim -l node02")


def test_a_missing_prescript_fails_its_lpar_with_the_shell_message(nim: Scenario) -> None:
    defaults = nim.spec_data["lpar_defaults"]
    nim.write_spec(lpar_defaults={**defaults, "prescripts_begin": {"standalone": ["gone"]}})
    result = nim.apply("--auto-approve")
    assert result.exit_code == 1 and f"{DIR}/gone" in result.output and "not found" in \
        result.output, result.output


def test_diskless_prescripts_are_refused_under_nim(nim: Scenario) -> None:
    nim.set_lpar("node01", prescripts_begin={"diskless": ["fence"]})
    out = plan_error(nim)
    assert "prescripts_begin.diskless: the nim driver installs standalone machines only" in out


def test_the_xcat_driver_still_takes_prescripts(tmp_path: Path) -> None:
    seed = Scenario(tmp_path)
    seed.set_lpar("node01", prescripts_begin={"standalone": ["fence"]})
    assert seed.plan().exit_code == 0
