"""The whole-process benchmarks (benchmarks/process.py, benchmarks/process_report.py): shapes and
counts only, never seconds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from benchmarks import process, process_report
from benchmarks.suite import Results, Settings

N = 10


def _usage(cpu: float, rss: float = 100.0) -> dict[str, Any]:
    return {"cpu": cpu, "rss_mib": rss, "wall": cpu, "out_bytes": 1000}


def _results(**fields: Any) -> Results:
    results = Results(Settings(process_sizes=(1000, 10000, 50000)))
    for name, value in fields.items():
        setattr(results, name, value)
    return results


@pytest.mark.slow
def test_a_whole_process_plan_from_a_snapshot(tmp_path: Path) -> None:
    """`xclone plan SPEC --snapshot DIR > FILE` of the synthetic cluster, as its own process:
    one usage per run, the plan's text in the file (every LPAR created, every command listed),
    and the in-process phases of the same plan."""
    found = process.measure_plans({"n": N, "runs": 2, "workdir": str(tmp_path / "p"),
                                   "pycache": str(tmp_path / "cache")})
    assert found["n"] == N and len(found["runs"]) == 2
    assert all(r["out_bytes"] > 0 and r["rss_mib"] > 0 for r in found["runs"])
    assert found["summary"].startswith("Plan: ") and found["commands"] > 10
    assert set(found["phases"]) == set(process_report.PHASES)
    text = (tmp_path / "p" / "plan.txt").read_text(encoding="utf-8")
    assert text.startswith("(planned from snapshot ") and "\x1b[" not in text
    assert text.count('  + lpar "') == N
    assert text.count("\n") == found["lines"]


def test_the_launcher_reports_the_child_not_the_worker(tmp_path: Path) -> None:
    """The measured command's peak RSS is its own: a child that allocates 200 MiB reports at
    least that, and the bare interpreter far less than this test process holds."""
    hog = process.run_child(["-c", "b = bytearray(200 * 2**20); b[::4096] = b'x' * len(b[::4096])"],
                            tmp_path)
    bare = process.run_child(["-c", "pass"], tmp_path)
    assert hog.rss_mib >= 200 > bare.rss_mib
    assert hog.exit_code == bare.exit_code == 0


def test_a_failing_child_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="exited 3"):
        process.run_child(["-c", "import sys; sys.exit(3)"], tmp_path)


def test_verdicts_and_section_from_results() -> None:
    """Every issue-16 whole-process target gets a row; a miss says where the CPU went."""
    plans = {n: {"n": n, "runs": [_usage(cpu, rss)], "lines": n * 17, "commands": 25,
                 "summary": "Plan: ...", "phases": {"load": 0.5, "observe": 0.3,
                                                    "plan": 2.0, "render": 0.3}}
             for n, cpu, rss in ((1000, 0.5, 50), (10000, 4.0, 130), (50000, 11.0, 500))}
    startup = {"bare": [_usage(0.08)], "loop": [_usage(0.6)], "version": [_usage(0.1)],
               "seed-plan": [_usage(0.4)], "login": [_usage(0.09)]}
    results = _results(process=plans, startup=startup,
                       sshd={**_usage(3.0), "wall": 30.0, "converged": True})
    found = {v.target: v for v in process_report.verdicts(results)}
    assert len(found) == 9
    big = found["`xclone plan` of 10,000 LPARs from a snapshot, whole process, text to a file: "
                "under 2.5 s CPU (user + sys)"]
    assert big.met is False and "plan 2.00 s" in big.why and "0.90 s is interpreter" in big.why
    assert "loop in 0.60 s CPU" in big.why
    assert found["`xclone plan` 10k/1k whole-process CPU ratio under 11"].met is True
    assert [v.met for t, v in found.items() if t.startswith("start-up")] == [True, False, True]
    seed = found["start-up: `xclone plan` of the seed spec on a snapshot under 0.15 s CPU "
                 "(whole process)"]
    assert "pydantic" in seed.why
    assert [v.met for t, v in found.items() if "sshd" in t] == [False]
    lines = process_report.section(results)
    assert lines[0] == "## Whole process"
    assert sum(1 for line in lines if line.startswith("| `xclone plan` from a snapshot |")) == 3
    assert any(line.startswith("| `xclone --version` | 1 |") for line in lines)
    assert any(line.startswith("| a pure-Python loop") for line in lines)
    assert any(line.startswith("| one `lab serve` login process") for line in lines)


def test_one_login_as_sshd_starts_it(tmp_path: Path) -> None:
    """The login row runs the command sshd runs (python -S, the seed lab's state) and gets the
    node table back."""
    process.record_seed(tmp_path / "seed")
    argv = process.login_argv(tmp_path / "seed" / "state")
    assert argv[:3] == ["-S", "-m", "xclone.sim.login"]
    out = tmp_path / "out.txt"
    used = process.run_child(argv, tmp_path, out=out,
                             env={"SSH_ORIGINAL_COMMAND": process.LOGIN_COMMAND})
    assert used.exit_code == 0 and "Object name: node27" in out.read_text(encoding="utf-8")


def test_sizes_not_measured_are_said_so() -> None:
    found = process_report.verdicts(_results())
    assert [v.met for v in found] == [None, None]
    assert all("not measured in this run" in v.measured for v in found)
    assert process_report.section(_results()) == []
