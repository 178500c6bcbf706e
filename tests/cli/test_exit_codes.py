"""CONTRACT §9 exit codes on every command: 1 for any error (usage errors included, so a CI job
never reads a typo as "changes"), 2 only for `--detailed-exitcode` with changes (issue 10 §3).
The tests that plan a cluster run once per driver (tests/drivers.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.apply.helpers import ROOT, Scenario
from tests.drivers import DriverCase, both

SPEC = str(ROOT / "specs" / "examples" / "seed-cluster.yaml")
LAB = str(ROOT / "specs" / "examples" / "seed-lab.yaml")

# (command words, then the error kinds that apply to it as argument lists)
USAGE_ERRORS: list[tuple[str, list[str]]] = [
    ("plan: missing file", ["plan", "nosuch.yaml", "--detailed-exitcode"]),
    ("plan: bad --format", ["plan", SPEC, "--format", "yaml", "--detailed-exitcode"]),
    ("plan: bad --deny", ["plan", SPEC, "--deny", "everything"]),
    ("plan: unknown option", ["plan", SPEC, "--bogus"]),
    ("plan: missing argument", ["plan"]),
    ("plan: missing lab file", ["plan", SPEC, "--lab", "nosuch-lab.yaml"]),
    ("plan: --lab and --snapshot", ["plan", SPEC, "--lab", LAB, "--snapshot", "snap"]),
    ("apply: missing file", ["apply", "nosuch.plan"]),
    ("apply: bad --parallelism", ["apply", SPEC, "--parallelism", "0"]),
    ("apply: unknown option", ["apply", SPEC, "--yes"]),
    ("graph: bad --format", ["graph", SPEC, "--format", "png"]),
    ("graph: missing argument", ["graph"]),
    ("destroy: missing file", ["destroy", "nosuch.yaml"]),
    ("destroy: unknown option", ["destroy", SPEC, "--everything"]),
    ("destroy: bad --target", ["destroy", SPEC, "--target", "bogus.node01"]),
    ("show: missing file", ["show", "nosuch.plan"]),
    ("show: bad --format", ["show", SPEC, "--format", "svg"]),
    ("diff: missing argument", ["diff", SPEC]),
    ("diff: bad --format", ["diff", SPEC, SPEC, "--format", "html", "--detailed-exitcode"]),
    ("validate: unknown option", ["validate", SPEC, "--strict-ish"]),
    ("observe: missing file", ["observe", "nosuch.yaml"]),
    ("force-unlock: missing argument", ["force-unlock", SPEC]),
    ("completion: unknown shell", ["completion", "tcsh"]),
    ("lab: unknown subcommand", ["lab", "bogus"]),
    ("unknown subcommand", ["planx", SPEC]),
    ("unknown global option", ["--colour", "plan", SPEC]),
]


@pytest.mark.parametrize("args", [a for _, a in USAGE_ERRORS], ids=[i for i, _ in USAGE_ERRORS])
def test_a_usage_error_exits_1_with_clicks_message(seed: Scenario, args: list[str]) -> None:
    result = seed.xclone(*args)
    assert result.exit_code == 1, result.output
    assert "Error: " in result.output
    assert "Traceback" not in result.output


@pytest.mark.slow
@pytest.mark.parametrize("args", [
    ["plan", "nosuch.yaml", "--detailed-exitcode"],
    ["plan", SPEC, "--format", "yaml", "--detailed-exitcode"],
    ["diff", "nosuch.yaml", SPEC, "--detailed-exitcode"],
], ids=["missing spec", "bad format", "diff missing spec"])
def test_the_installed_entry_point_exits_1_on_usage_errors(tmp_path: Path, args: list[str]) -> None:
    """Through a real process, as CI runs it: the status, click's message and its usage hint."""
    done = subprocess.run([sys.executable, "-m", "xclone", *args], capture_output=True, text=True,
                          cwd=tmp_path, env={**os.environ, "NO_COLOR": "1"}, check=False)
    assert done.returncode == 1, done.stderr
    assert "Error: " in done.stderr
    assert "Traceback" not in done.stderr
    if args[0] == "plan":
        assert "Try 'xclone plan --help' for help." in done.stderr


@pytest.mark.parametrize("case", both())
def test_a_spec_error_exits_1_on_plan_and_diff_alike(case: DriverCase, tmp_path: Path) -> None:
    seed = case.scenario(tmp_path)
    broken = seed.dir / "broken.yaml"
    broken.write_text("version: 1\ncluster: [not, a, name]\n", encoding="utf-8")
    planned = seed.xclone("plan", str(broken), "--lab", str(seed.lab_file), "--detailed-exitcode")
    diffed = seed.xclone("diff", str(seed.spec_file), str(broken), "--detailed-exitcode")
    assert (planned.exit_code, diffed.exit_code) == (1, 1), planned.output + diffed.output


# A spec change the converged cluster must show as a change. NIM keeps no record of an installed
# machine's scripts (script resources are allocated for one bos_inst and deallocated after it),
# so the NIM case removes an LPAR instead of editing its postscripts.
CHANGE: dict[str, tuple[str, dict[str, Any]]] = {"xcat": ("node01", {"postscripts": ["foo"]}),
                                                 "nim": ("node02", {"state": "absent"})}


@pytest.mark.parametrize("case", both())
def test_plan_and_diff_agree_2_for_changes_0_for_none(case: DriverCase, tmp_path: Path) -> None:
    seed = case.scenario(tmp_path)
    old = seed.dir / "old.yaml"
    old.write_text(seed.spec_file.read_text(encoding="utf-8"), encoding="utf-8")
    assert seed.xclone("diff", str(old), str(seed.spec_file), "--detailed-exitcode").exit_code == 0
    assert seed.plan("--detailed-exitcode").exit_code == 2
    assert seed.apply().exit_code == 0
    assert seed.plan("--detailed-exitcode").exit_code == 0
    lpar, fields = CHANGE[case.name]
    seed.set_lpar(lpar, **fields)
    assert seed.xclone("diff", str(old), str(seed.spec_file), "--detailed-exitcode").exit_code == 2
    assert seed.plan("--detailed-exitcode").exit_code == 2
    assert seed.plan().exit_code == 0


@pytest.mark.slow
@pytest.mark.parametrize("case", both())
def test_ctrl_c_during_a_plan_exits_130_without_a_traceback(case: DriverCase,
                                                           tmp_path: Path) -> None:
    """SIGINT while an observation command hangs on the lab: CONTRACT §9's 130, one line."""
    seed = case.scenario(tmp_path)
    lab = yaml.safe_load(seed.lab_file.read_text(encoding="utf-8"))
    lab["faults"] = [{"command": "lsnim", "hang": 3}]
    seed.lab_file.write_text(yaml.safe_dump(lab, sort_keys=False), encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "xclone", "-vv", "plan", str(seed.spec_file), "--lab",
         str(seed.lab_file)], cwd=seed.dir, env={**os.environ, **seed.env},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    pipe = proc.stderr
    assert pipe is not None
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(pipe.readline, "")))
    reader.start()
    deadline = time.monotonic() + 60
    while not any("sim.done" in line for line in lines) and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=60)
    reader.join(timeout=10)
    stderr = "".join(lines)
    assert proc.returncode == 130, stderr
    assert "Interrupted." in stderr
    assert "Traceback" not in stderr
