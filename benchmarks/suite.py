"""`python -m benchmarks run`: every measurement, each in its own subprocess, then the report.

The runbook baseline is too slow to run at full size (one 40-minute install after another), so it
is measured at two small sizes and extrapolated with a straight line through them; the report
says so wherever such a number appears.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks import scenario

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Settings:
    sizes: tuple[int, ...] = (100, 1000, 10000)
    apply_sizes: tuple[int, ...] = (100, 1000)
    runbook_sizes: tuple[int, ...] = (2, 4)
    runs: int = 3
    baseline_runs: int = 1
    latency: float = 0.05
    scale: float = 600.0
    out: Path = HERE
    command: str = "python -m benchmarks run"
    profile: bool = True


@dataclass
class Results:
    settings: Settings
    validate: dict[int, list[float]] = field(default_factory=dict)
    plan: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    apply: dict[str, dict[int, list[dict[str, Any]]]] = field(default_factory=dict)
    profile: list[tuple[str, float]] = field(default_factory=list)
    seconds: float = 0.0
    finished: str = ""


@dataclass(frozen=True)
class Spread:
    median: float
    low: float
    high: float

    @classmethod
    def of(cls, values: list[float]) -> Spread:
        return cls(statistics.median(values), min(values), max(values))


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.setdefault("NO_COLOR", "1")
    return env


def worker(task: dict[str, Any]) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter and return its JSON result."""
    done = subprocess.run([sys.executable, "-m", "benchmarks", "worker", json.dumps(task)],
                          cwd=ROOT, env=_env(), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-15:])
        raise RuntimeError(f"benchmark worker failed for {task}:\n{tail}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _validate_seconds(spec: Path, env: dict[str, str]) -> float:
    """`xclone validate` as a user runs it, interpreter start-up included."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "xclone", "validate", str(spec)], cwd=ROOT,
                          env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"xclone validate {spec} failed: {done.stdout}{done.stderr}")
    return elapsed


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def run(settings: Settings) -> Results:
    results = Results(settings)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="xclone-bench-") as scratch:
        work = Path(scratch)
        for n in settings.sizes:
            built = scenario.build(n, work / f"spec-{n}", latency=settings.latency, scale=0)
            env = {**_env(), **built.env}
            results.validate[n] = [_validate_seconds(built.spec_path, env)
                                   for _ in range(settings.runs)]
            _say(f"validate N={n}: {statistics.median(results.validate[n]):.2f}s")
            for run_no in range(settings.runs):
                task = {"task": "plan", "n": n, "latency": settings.latency,
                        "workdir": str(work / f"plan-{n}-{run_no}"),
                        "profile": settings.profile and run_no == 0 and n == max(settings.sizes)}
                result = worker(task)
                results.profile = result.pop("profile", None) or results.profile
                results.plan.setdefault(n, []).append(result)
                _say(f"plan N={n} run {run_no + 1}: {result['plan_wall']:.2f}s, "
                     f"{result['plan_peak_mb']:.0f} MB, observe {result['observe_commands']} "
                     "commands")
        modes = [("xclone", settings.apply_sizes, settings.runs),
                 ("per-resource", settings.apply_sizes, settings.baseline_runs),
                 ("runbook", settings.runbook_sizes, settings.baseline_runs)]
        for mode, sizes, runs in modes:
            for n in sizes:
                for run_no in range(runs):
                    task = {"task": "apply", "mode": mode, "n": n, "latency": settings.latency,
                            "scale": settings.scale,
                            "workdir": str(work / f"apply-{mode}-{n}-{run_no}")}
                    result = worker(task)
                    results.apply.setdefault(mode, {}).setdefault(n, []).append(result)
                    _say(f"apply {mode} N={n} run {run_no + 1}: {result['wall']:.1f}s, "
                         f"{result['commands']} commands, converged={result['converged']}")
    results.seconds = time.perf_counter() - started
    results.finished = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return results


def load_results(path: Path) -> Results:
    """A saved results.json back as `Results`, to redraw the report without measuring again."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        saved = raw["settings"]
        settings = Settings(**{**saved, "out": Path(saved["out"]),
                               **{k: tuple(saved[k]) for k in
                                  ("sizes", "apply_sizes", "runbook_sizes")}})
        finished = raw.get("finished") or datetime.fromtimestamp(
            path.stat().st_mtime, UTC).strftime("%Y-%m-%d %H:%M UTC")
        return Results(
            settings,
            {int(n): v for n, v in raw["validate"].items()},
            {int(n): v for n, v in raw["plan"].items()},
            {mode: {int(n): v for n, v in by_n.items()} for mode, by_n in raw["apply"].items()},
            [(name, share) for name, share in raw["profile"]],
            float(raw["seconds"]), finished)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SystemExit(f"python -m benchmarks: cannot read results from {path}: {exc}") \
            from None


def fit_line(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Least-squares intercept and slope (the runbook's fixed part and cost per LPAR)."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    if len(set(xs)) < 2:
        return 0.0, ys[0] / xs[0]
    slope, intercept = statistics.linear_regression(xs, ys)
    return intercept, slope
