"""`python -m benchmarks.compare_refactor`: the code before issue 13's refactor against HEAD,
on the same machine in the same run, interleaved, and the ratio of each (issue 13, "Done when":
no slowdown of plan or apply, ratio within 5%).

The "before" point is the first golden commit (`git log --grep '^Golden plans'`): the goldens were
recorded there and no code had moved yet. It is checked out as a git worktree in a temporary
folder and each measurement runs that tree's own code in a fresh interpreter (`PYTHONPATH` is the
tree), alternating old and new so that a busy machine slows both alike.

Measured: the planner function (`make_plan` alone, timed 5 times after the worker's own scenario
set-up and observation) at 1,000 and 10,000 LPARs; start-up as a whole process (`xclone
--version` and `xclone plan` of the seed spec from a snapshot, the least CPU of 5 runs per
round, beside the bare interpreter's `python -c pass`); the whole `xclone plan SPEC --snapshot
DIR` process at 1,000 and 10,000 LPARs, CPU and peak RSS (each tree observes the lab once and
saves its own snapshot), and at 50,000 on HEAD alone (the old tree's cap was 20,000); a lab
apply at 100 and 1,000 LPARs (the worker's `apply` task: 50 ms injected latency per command, lab
clock x600). The apply also runs once more per round on HEAD with the lab store
(`xclone/sim/store.py`) of the old tree, because the lab runs inside the measured process and
its store got faster since: that row compares xclone's own code alone.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(__file__).resolve().parent / "REFACTOR.md"
LIMIT = 1.05  # issue 13: no slowdown beyond 5%

_MAKE = """
import json, sys, yaml
from pathlib import Path
from benchmarks import scenario
where = Path(sys.argv[2])
built = scenario.build(int(sys.argv[1]), where, latency=0.0, scale=0.0)
(where / "lab.yaml").write_text(yaml.safe_dump(built.lab, sort_keys=False), encoding="utf-8")
print(json.dumps({"spec": str(built.spec_path), "env": built.env}))
"""


# The planner function, timed REPEAT times in one process (the worker's `plan` task times one
# call): the fastest call is the one a busy machine disturbed least.
_PLAN = """
import gc, json, sys, time
from benchmarks.worker import _quiet, open_scenario
from xclone.cli.connect import targets_for
from xclone.observed.canonical import digest_of
from xclone.observed.observe import observe
from xclone.plan.context import PlanOptions
from xclone.plan.planner import make_plan
_quiet()
built, spec, transport = open_scenario({"n": int(sys.argv[1]), "latency": 0.0,
                                        "workdir": sys.argv[3]})
observed = observe(transport, targets_for(spec)).observed
digest = digest_of(observed)
walls, cpus = [], []
for _ in range(int(sys.argv[2])):
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    make_plan(spec, observed, digest, PlanOptions())
    walls.append(time.perf_counter() - wall)
    cpus.append(time.process_time() - cpu)
print(json.dumps({"wall": min(walls), "cpu": min(cpus)}))
"""
REPEAT = 5


def first_golden_commit() -> str:
    found = subprocess.run(["git", "log", "--reverse", "--format=%H", "--grep", "^Golden plans"],
                           cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    if not found:
        raise SystemExit("compare_refactor: no 'Golden plans' commit in this history; pass --old")
    return found[0]


def _env(tree: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(tree), "NO_COLOR": "1", **(extra or {})}


def worker(tree: Path, task: dict[str, Any]) -> dict[str, Any]:
    """One measurement by `tree`'s own benchmark worker, in a fresh interpreter; `process_cpu`
    is that whole process's user + sys time (the old worker reports no apply CPU itself)."""
    before = _children_cpu()
    done = subprocess.run([sys.executable, "-m", "benchmarks", "worker", json.dumps(task)],
                          cwd=tree, env=_env(tree), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{tree}: worker failed for {task}:\n{done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_cpu"] = _children_cpu() - before
    return result


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Snapshot:
    spec: str
    snap: Path
    env: dict[str, str]


def snapshot(tree: Path, n: int, where: Path) -> Snapshot:
    """`tree` builds the N-LPAR scenario and observes it once into a snapshot of its format."""
    made = subprocess.run([sys.executable, "-c", _MAKE, str(n), str(where)], cwd=tree,
                          env=_env(tree), capture_output=True, text=True, check=True)
    info = json.loads(made.stdout.strip().splitlines()[-1])
    env = _env(tree, {**info["env"], "XCLONE_LAB_STATE": str(where / "state")})
    subprocess.run([sys.executable, "-m", "xclone", "observe", info["spec"], "--lab",
                    str(where / "lab.yaml"), "--save", str(where / "snap")], cwd=where,
                   env=env, capture_output=True, text=True, check=True)
    return Snapshot(info["spec"], where / "snap", env)


ROUNDS_OF_START = 5  # start-up runs per round: the least CPU is the one least disturbed
SEED_SPEC = "specs/examples/seed-cluster.yaml"
SEED_LAB = "specs/examples/seed-lab.yaml"


def _cpu_of(argv: list[str], cwd: Path, env: dict[str, str]) -> float:
    child = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(child.pid, 0)
    return usage.ru_utime + usage.ru_stime


def seed_snapshot(tree: Path, where: Path) -> Snapshot:
    """`tree` observes the seed lab once into a snapshot of its own format."""
    where.mkdir(parents=True, exist_ok=True)
    env = _env(tree, {"HMC01_PASSWORD": "abc123", "XCLONE_LAB_STATE": str(where / "state")})
    subprocess.run([sys.executable, "-m", "xclone", "observe", str(tree / SEED_SPEC), "--lab",
                    str(tree / SEED_LAB), "--save", str(where / "snap")], cwd=where, env=env,
                   capture_output=True, text=True, check=True)
    return Snapshot(str(tree / SEED_SPEC), where / "snap", env)


def start_up(tree: Path, seed: Snapshot) -> dict[str, float]:
    """Whole-process CPU (user + sys) of the bare interpreter, `xclone --version` and `xclone
    plan` of the seed spec from its snapshot: the least of ROUNDS_OF_START runs each."""
    runs = {"python": [sys.executable, "-c", "pass"],
            "version": [sys.executable, "-m", "xclone", "--version"],
            "seed": [sys.executable, "-m", "xclone", "plan", seed.spec, "--snapshot",
                     str(seed.snap)]}
    return {name: min(_cpu_of(argv, seed.snap.parent, seed.env)
                      for _ in range(ROUNDS_OF_START)) for name, argv in runs.items()}


def whole_plan(tree: Path, snap: Snapshot) -> dict[str, float]:
    """`xclone plan SPEC --snapshot DIR > file` as a user runs it: wall, CPU (user + sys of the
    process, from wait4) and peak RSS."""
    with open(snap.snap.parent / "plan.txt", "w", encoding="utf-8") as out:
        started = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-m", "xclone", "plan", snap.spec,
                                  "--snapshot", str(snap.snap)], cwd=snap.snap.parent,
                                 env=snap.env, stdout=out, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode not in (0, 2):  # 2: the plan has changes
        raise RuntimeError(f"{tree}: xclone plan exited {child.returncode}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024}


@dataclass
class Row:
    what: str
    measured: str
    values: dict[str, list[float]] = field(default_factory=dict)

    def add(self, variant: str, value: float) -> None:
        self.values.setdefault(variant, []).append(value)


def _cell(values: list[float]) -> str:
    if not values:
        return "—"
    return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"


def _ratio(row: Row, variant: str) -> str:
    old, new = row.values.get("old"), row.values.get(variant)
    if not old or not new:
        return "—"
    ratio = statistics.median(new) / statistics.median(old)
    return f"{ratio:.3f}" + ("" if ratio <= LIMIT else " (slower)")


def report(rows: list[Row], old: str, new: str, runs: int, seconds: float) -> str:
    machine = f"{os.uname().machine}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}"
    lines = [
        "# Before and after issue 13's refactor",
        "",
        "Generated by `python -m benchmarks.compare_refactor` (see its docstring); do not edit "
        "by hand.",
        "",
        f"- Old: `{old[:12]}` (the first golden commit, before any code moved). New: "
        f"`{new[:12]}` (HEAD: committed code only).",
        f"- Machine: {machine}; load average at the start "
        f"{os.getloadavg()[0]:.1f}. Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; the run "
        f"took {seconds / 60:.1f} min.",
        f"- {runs} runs of each, old and new alternating, each in a fresh interpreter; cells: "
        "median (lowest–highest). Ratio: new median / old median; above "
        f"{LIMIT:.2f} is a slowdown.",
        "- *new, old lab store*: HEAD with the old tree's `xclone/sim/store.py`, so "
        "the lab inside the apply process costs what it did: xclone's own code compared alone.",
        "",
        "Cells are seconds, except peak RSS (MiB).",
        "",
        "| measurement | measured | old | new | new / old | new, old lab store "
        "| ratio |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(f"| {row.what} | {row.measured} | {_cell(row.values.get('old', []))} | "
                     f"{_cell(row.values.get('new', []))} | {_ratio(row, 'new')} | "
                     f"{_cell(row.values.get('new-old-store', []))} | "
                     f"{_ratio(row, 'new-old-store')} |")
    return "\n".join([*lines, *_scaling(rows)]) + "\n"


def _scaling(rows: list[Row]) -> list[str]:
    """Issue 16's whole-process ratio: `xclone plan` CPU at 10,000 over 1,000 LPARs."""
    cpu = {row.what: row.values for row in rows if row.measured == "whole process CPU"}
    small, big = (cpu.get(f"`xclone plan` {n:,} LPARs, snapshot") for n in (1000, 10000))
    if not small or not big:
        return []
    ratios = [f"{name} {statistics.median(big[name]) / statistics.median(small[name]):.1f}"
              for name in ("old", "new") if big.get(name) and small.get(name)]
    return ["", "Whole-process `xclone plan` CPU, 10,000 over 1,000 LPARs (medians): "
            + ", ".join(ratios) + "."]


def _rounds(runs: int, trees: dict[str, Path], measure: Callable[[str, Path], None]) -> None:
    """Each round runs every variant once; the order turns each round (old first, then last)."""
    names = list(trees)
    for run_no in range(runs):
        order = names if run_no % 2 == 0 else names[::-1]
        for name in order:
            measure(name, trees[name])


def compare(old: str, runs: int, plan_sizes: list[int], process_sizes: list[int],
            apply_sizes: list[int], big_size: int = 0) -> tuple[list[Row], float]:
    started = time.perf_counter()
    scratch = Path(tempfile.mkdtemp(prefix="xclone-compare-"))
    old_tree, new_tree, store_tree = (scratch / "old", scratch / "new",
                                      scratch / "new-old-store")
    rows: list[Row] = []
    try:
        for tree, rev in ((old_tree, old), (new_tree, "HEAD"), (store_tree, "HEAD")):
            subprocess.run(["git", "worktree", "add", "--detach", str(tree), rev], cwd=ROOT,
                           capture_output=True, check=True)
        shutil.copyfile(old_tree / "xclone/sim/store.py", store_tree / "xclone/sim/store.py")
        trees = {"old": old_tree, "new": new_tree}
        for n in plan_sizes:
            wall = Row(f"plan {n:,} LPARs", f"`make_plan` wall, best of {REPEAT} calls")
            cpu = Row(f"plan {n:,} LPARs", f"`make_plan` CPU, best of {REPEAT} calls")

            def plan_task(name: str, tree: Path, n: int = n, wall: Row = wall,
                          cpu: Row = cpu) -> None:
                done = subprocess.run([sys.executable, "-c", _PLAN, str(n), str(REPEAT),
                                       str(scratch / f"plan-{name}-{n}")], cwd=tree,
                                      env=_env(tree), capture_output=True, text=True, check=True)
                got = json.loads(done.stdout.strip().splitlines()[-1])
                shutil.rmtree(scratch / f"plan-{name}-{n}", ignore_errors=True)
                wall.add(name, got["wall"])
                cpu.add(name, got["cpu"])
                _say(f"plan {n} {name}: {got['wall']:.2f} s, {got['cpu']:.2f} CPU")
            _rounds(runs, trees, plan_task)
            rows += [wall, cpu]
        seeds = {name: seed_snapshot(tree, scratch / f"seed-{name}")
                 for name, tree in trees.items()}
        starts = {"python": Row("bare interpreter", "`python -c pass` CPU, least of "
                                f"{ROUNDS_OF_START}"),
                  "version": Row("`xclone --version`", f"whole process CPU, least of "
                                 f"{ROUNDS_OF_START}"),
                  "seed": Row("`xclone plan` seed spec, snapshot", "whole process CPU, "
                              f"least of {ROUNDS_OF_START}")}

        def start_task(name: str, tree: Path) -> None:
            got = start_up(tree, seeds[name])
            for key, row in starts.items():
                row.add(name, got[key])
            _say(f"start-up {name}: " + ", ".join(f"{k} {v:.3f}" for k, v in got.items()))
        _rounds(runs, trees, start_task)
        rows += list(starts.values())
        for size in process_sizes:
            snaps = {name: snapshot(tree, size, scratch / f"snap-{name}-{size}")
                     for name, tree in trees.items()}
            what = f"`xclone plan` {size:,} LPARs, snapshot"
            p_wall = Row(what, "whole process wall")
            p_cpu = Row(what, "whole process CPU")
            p_rss = Row(what, "whole process peak RSS, MiB")

            def process_task(name: str, tree: Path, size: int = size, snaps: dict[str, Snapshot]
                             = snaps, p_wall: Row = p_wall, p_cpu: Row = p_cpu,
                             p_rss: Row = p_rss) -> None:
                got = whole_plan(tree, snaps[name])
                p_wall.add(name, got["wall"])
                p_cpu.add(name, got["cpu"])
                p_rss.add(name, got["rss_mb"])
                _say(f"xclone plan {size} {name}: {got['wall']:.2f} s, {got['cpu']:.2f} CPU, "
                     f"{got['rss_mb']:.0f} MiB")
            _rounds(runs, trees, process_task)
            rows += [p_wall, p_cpu, p_rss]
        if big_size:
            big = snapshot(new_tree, big_size, scratch / f"snap-new-{big_size}")
            what = f"`xclone plan` {big_size:,} LPARs, snapshot (HEAD only)"
            b_cpu, b_rss = (Row(what, "whole process CPU"),
                            Row(what, "whole process peak RSS, MiB"))
            for _ in range(runs):
                got = whole_plan(new_tree, big)
                b_cpu.add("new", got["cpu"])
                b_rss.add("new", got["rss_mb"])
                _say(f"xclone plan {big_size} new: {got['cpu']:.2f} CPU, "
                     f"{got['rss_mb']:.0f} MiB")
            shutil.rmtree(big.snap.parent, ignore_errors=True)
            rows += [b_cpu, b_rss]
        with_store = {**trees, "new-old-store": store_tree}
        for n in apply_sizes:
            a_wall = Row(f"lab apply {n:,} LPARs", "executor run wall (lab in-process)")
            a_cpu = Row(f"lab apply {n:,} LPARs", "worker process CPU: seed, observe, plan, "
                        "apply, observe")

            def apply_task(name: str, tree: Path, n: int = n, a_wall: Row = a_wall,
                           a_cpu: Row = a_cpu) -> None:
                got = worker(tree, {"task": "apply", "mode": "xclone", "n": n, "latency": 0.05,
                                    "scale": 600.0, "workdir": str(scratch / f"apply-{name}")})
                if not got["converged"]:
                    raise RuntimeError(f"{tree}: apply of {n} did not converge")
                shutil.rmtree(scratch / f"apply-{name}", ignore_errors=True)
                a_wall.add(name, got["wall"])
                a_cpu.add(name, got["process_cpu"])
                _say(f"apply {n} {name}: {got['wall']:.2f} s, {got['process_cpu']:.2f} CPU")
            _rounds(runs, with_store, apply_task)
            rows += [a_wall, a_cpu]
    finally:
        for tree in (old_tree, new_tree, store_tree):
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT,
                           capture_output=True, check=False)
        shutil.rmtree(scratch, ignore_errors=True)
    return rows, time.perf_counter() - started


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _sizes(text: str) -> list[int]:
    return [int(part) for part in text.replace("_", "").split(",") if part]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.compare_refactor",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--old", help="the commit before (default: the first golden commit)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--plan-sizes", type=_sizes, default=[1000, 10000])
    parser.add_argument("--process-sizes", type=_sizes, default=[1000, 10000])
    parser.add_argument("--big-size", type=int, default=50000,
                        help="LPARs of the HEAD-only whole-process plan (0: none)")
    parser.add_argument("--apply-sizes", type=_sizes, default=[100, 1000])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    old = args.old or first_golden_commit()
    rows, seconds = compare(old, args.runs, args.plan_sizes, args.process_sizes,
                            args.apply_sizes, args.big_size)
    new = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout.strip()
    args.out.write_text(report(rows, old, new, args.runs, seconds), encoding="utf-8")
    _say(f"wrote {args.out}")


if __name__ == "__main__":
    main()
