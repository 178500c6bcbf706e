"""`python -m benchmarks run`: every measurement, each in its own subprocess, then the report.

Apply is measured for each driver and each variant (xclone and its four baselines, see
`benchmarks.expand`). The slow baselines are measured at small sizes only and extrapolated to
the apply sizes (`benchmarks.compare` says how); the report marks every such number.
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


# Variant -> which sizes it is measured at: "apply" (the apply sizes themselves), "small" (the
# naive runbook, one 40-minute install after another) or "blocking" (ten LPARs at a time).
MEASURED_AT = {"xclone": "apply", "runbook-noderanges": "apply", "per-resource": "apply",
               "blocking": "blocking", "runbook-node": "small"}
MODES = tuple(MEASURED_AT)
DRIVERS = ("xcat", "nim")
# The runbooks are typed from the document, so they keep xCAT's site defaults (maxssh 8).
RUNBOOKS = ("runbook-noderanges", "runbook-node")
# xCAT's site maxssh the xclone spec sets: PPC.pm halves it for rnetboot and getmacs -D, so 16
# runs 8 per HMC, the 8 sessions per HMC the NIM driver's lpar_netboot uses (docs/lab.md Costs).
XCAT_MAXSSH = 16


@dataclass(frozen=True)
class Settings:
    sizes: tuple[int, ...] = (100, 1000, 10000)
    apply_sizes: tuple[int, ...] = (100, 1000)
    runbook_sizes: tuple[int, ...] = (2, 4)
    blocking_sizes: tuple[int, ...] = (20, 100)
    drivers: tuple[str, ...] = DRIVERS
    runs: int = 3
    baseline_runs: int = 1
    latency: float = 0.0
    costs: str | None = "realistic"
    scale: float = 600.0
    out: Path = HERE
    command: str = "python -m benchmarks run"
    profile: bool = True
    quick: bool = False
    maxssh: int | None = XCAT_MAXSSH
    # issue 17: each driver's apply of this many LPARs modelled on each number of servers
    masters_lpars: int = 10_000
    masters: tuple[int, ...] = (1, 4, 16)
    # issue 16: `xclone plan` of N LPARs from a snapshot as a whole process (benchmarks/process.py)
    process_sizes: tuple[int, ...] = (1000, 10000, 50000)
    sshd: bool = True  # the seed applied through `lab serve` and a real sshd

    def sizes_for(self, mode: str) -> tuple[int, ...]:
        where = MEASURED_AT[mode]
        return self.apply_sizes if where == "apply" else (
            self.blocking_sizes if where == "blocking" else self.runbook_sizes)


@dataclass
class Results:
    settings: Settings
    validate: dict[int, list[float]] = field(default_factory=dict)
    plan: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    # "driver/mode" -> LPARs -> one result per run
    apply: dict[str, dict[int, list[dict[str, Any]]]] = field(default_factory=dict)
    profile: list[tuple[str, float]] = field(default_factory=list)
    seconds: float = 0.0
    finished: str = ""
    # one modelled apply per driver and number of install servers (benchmarks/masters.py)
    masters: list[dict[str, Any]] = field(default_factory=list)
    # whole processes (benchmarks/process.py): the start-up commands, each with one usage per
    # run; `xclone plan` from a snapshot per size; the seed applied over sshd
    startup: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    process: dict[int, dict[str, Any]] = field(default_factory=dict)
    sshd: dict[str, Any] = field(default_factory=dict)


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
                        "costs": settings.costs,
                        "workdir": str(work / f"plan-{n}-{run_no}"),
                        "profile": settings.profile and run_no == 0 and n == max(settings.sizes)}
                result = worker(task)
                results.profile = result.pop("profile", None) or results.profile
                results.plan.setdefault(n, []).append(result)
                _say(f"plan N={n} run {run_no + 1}: {result['plan_wall']:.2f}s, "
                     f"{result['plan_peak_mb']:.0f} MB, observe {result['observe_commands']} "
                     "commands")
        _processes(settings, results, work)
        for driver in settings.drivers:
            for mode in MODES:
                runs = settings.runs if mode == "xclone" else settings.baseline_runs
                for n in settings.sizes_for(mode):
                    for run_no in range(runs):
                        task = {"task": "apply", "mode": mode, "n": n, "driver": driver,
                                "latency": settings.latency, "costs": settings.costs,
                                "scale": settings.scale,
                                "maxssh": None if mode in RUNBOOKS else settings.maxssh,
                                "workdir": str(work / f"apply-{driver}-{mode}-{n}-{run_no}")}
                        result = worker(task)
                        results.apply.setdefault(f"{driver}/{mode}", {}).setdefault(
                            n, []).append(result)
                        _say(f"apply {driver} {mode} N={n} run {run_no + 1}: "
                             f"{result['wall']:.1f}s, {result['commands']} commands, "
                             f"converged={result['converged']}")
        for driver in settings.drivers:
            for count in settings.masters:
                result = worker({"task": "masters", "driver": driver,
                                 "n": settings.masters_lpars, "masters": count,
                                 "workdir": str(work / f"servers-{driver}-{count}")})
                results.masters.append(result)
                _say(f"{driver} on {count} servers N={settings.masters_lpars}: modelled "
                     f"{result['seconds'] / 3600:.2f} h, ratio {result['ratio']:.2f}")
    results.seconds = time.perf_counter() - started
    results.finished = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return results


def _processes(settings: Settings, results: Results, work: Path) -> None:
    """The whole-process figures: start-up first (its warm-up fills the bytecode cache every
    later child reads), then `xclone plan` of each size, then the seed over sshd."""
    cache = str(work / "pycache")
    results.startup = worker({"task": "startup", "runs": settings.runs,
                              "workdir": str(work / "startup"), "pycache": cache})
    _say("start-up CPU: " + ", ".join(
        f"{name} {statistics.median(r['cpu'] for r in rows):.3f}s"
        for name, rows in results.startup.items()))
    for n in settings.process_sizes:
        found = worker({"task": "process", "n": n, "runs": settings.runs, "pycache": cache,
                        "workdir": str(work / f"process-{n}")})
        results.process[n] = found
        cpu = statistics.median(r["cpu"] for r in found["runs"])
        rss = statistics.median(r["rss_mib"] for r in found["runs"])
        _say(f"xclone plan N={n} (whole process): {cpu:.2f}s CPU, {rss:.0f} MiB")
    if settings.sshd:
        results.sshd = worker({"task": "sshd", "workdir": str(work / "sshd"), "pycache": cache})
        _say(f"seed over sshd: {results.sshd.get('wall', 0):.1f}s wall "
             f"{results.sshd.get('skipped', '')}")


def load_results(path: Path) -> Results:
    """A saved results.json back as `Results`, to redraw the report without measuring again."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        saved = raw["settings"]
        settings = Settings(**{**saved, "out": Path(saved["out"]),
                               **{k: tuple(saved.get(k, getattr(Settings, k))) for k in
                                  ("sizes", "apply_sizes", "runbook_sizes", "blocking_sizes",
                                   "drivers", "masters", "process_sizes")}})
        finished = raw.get("finished") or datetime.fromtimestamp(
            path.stat().st_mtime, UTC).strftime("%Y-%m-%d %H:%M UTC")
        return Results(
            settings,
            {int(n): v for n, v in raw["validate"].items()},
            {int(n): v for n, v in raw["plan"].items()},
            {mode: {int(n): v for n, v in by_n.items()} for mode, by_n in raw["apply"].items()},
            [(name, share) for name, share in raw["profile"]],
            float(raw["seconds"]), finished, list(raw.get("masters", [])),
            dict(raw.get("startup", {})),
            {int(n): v for n, v in raw.get("process", {}).items()}, dict(raw.get("sshd", {})))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SystemExit(f"python -m benchmarks: cannot read results from {path}: {exc}") \
            from None


def fit_line(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Least-squares intercept and slope (a baseline's fixed part and cost per unit)."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    if len(set(xs)) < 2:
        return 0.0, ys[0] / xs[0]
    slope, intercept = statistics.linear_regression(xs, ys)
    return intercept, slope
