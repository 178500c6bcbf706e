"""`python -m benchmarks run [--quick] [--sizes ...] [--apply-sizes ...] [--drivers ...] ...`.

`python -m benchmarks report` redraws the report from a saved results.json; `python -m benchmarks
worker JSON` is the one-measurement subprocess the suite starts.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import shlex
import sys
from pathlib import Path

from benchmarks.suite import DRIVERS, HERE, Settings


def _sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(part.replace("_", "")) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of sizes: {text!r}") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"sizes must be positive integers: {text!r}")
    return sizes


def _drivers(text: str) -> tuple[str, ...]:
    names = tuple(part.strip() for part in text.split(",") if part.strip())
    if not names or set(names) - set(DRIVERS):
        raise argparse.ArgumentTypeError(f"drivers are {', '.join(DRIVERS)}: {text!r}")
    return names


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="measure, then write REPORT.md and the charts")
    run.add_argument("--sizes", type=_sizes, help="LPAR counts to validate, observe and plan "
                     "(default 100,1000,10000)")
    run.add_argument("--apply-sizes", type=_sizes, help="LPAR counts to apply with xclone, "
                     "the runbook with noderanges and the per-resource baseline (default "
                     "100,1000; 10000 takes long, see REPORT.md)")
    run.add_argument("--runbook-sizes", type=_sizes, help="small LPAR counts the node-by-node "
                     "runbook is measured at and extrapolated from (default 2,4)")
    run.add_argument("--blocking-sizes", type=_sizes, help="LPAR counts the blocking "
                     "Terraform-like baseline is measured at and extrapolated from (default "
                     "20,100)")
    run.add_argument("--drivers", type=_drivers, help="drivers to apply with (default "
                     "xcat,nim)")
    run.add_argument("--process-sizes", type=_sizes, help="LPAR counts `xclone plan` is run "
                     "at as a whole process, from a snapshot (default 1000,10000,50000)")
    run.add_argument("--no-sshd", action="store_true",
                     help="skip the seed applied through `lab serve` and a real sshd")
    run.add_argument("--runs", type=int, help="runs per measurement (default 3)")
    run.add_argument("--baseline-runs", type=int, default=1,
                     help="runs of each baseline per size (default 1: they are slow)")
    run.add_argument("--latency", type=float, default=0.0,
                     help="real seconds added to every remote command on top of the lab's "
                     "costs (default 0: the realistic costs already give each its latency)")
    run.add_argument("--costs", choices=("realistic", "none"), default="realistic",
                     help="the lab's cost model (docs/lab.md \"Costs\"; default realistic)")
    run.add_argument("--scale", type=float, default=600.0,
                     help="simulated seconds per real second on the lab clock (default 600)")
    run.add_argument("--quick", action="store_true",
                     help="small sizes and one run, a few minutes (plan 100,1000; apply 100; "
                     "node-by-node runbook 1,2; blocking 10,20; whole-process plan 100,1000)")
    run.add_argument("--out", type=Path, default=HERE,
                     help="where REPORT.md, results.json and the PNGs go (default benchmarks/)")
    report = commands.add_parser("report", help="redraw REPORT.md and the charts from a "
                                 "saved results.json, without measuring")
    report.add_argument("--results", type=Path, default=HERE / "results.json")
    report.add_argument("--out", type=Path, help="default: the results' own directory")
    worker = commands.add_parser("worker", help=argparse.SUPPRESS)
    worker.add_argument("task")
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    quick = bool(args.quick)
    runs = args.runs or (1 if quick else 3)
    if runs < 1 or args.baseline_runs < 1:
        raise SystemExit("python -m benchmarks: --runs and --baseline-runs must be at least 1")
    if args.latency < 0 or args.scale <= 0:
        raise SystemExit("python -m benchmarks: --latency must be >= 0 and --scale > 0")
    return Settings(
        sizes=args.sizes or ((100, 1000) if quick else (100, 1000, 10000)),
        apply_sizes=args.apply_sizes or ((100,) if quick else (100, 1000)),
        runbook_sizes=args.runbook_sizes or ((1, 2) if quick else (2, 4)),
        blocking_sizes=args.blocking_sizes or ((10, 20) if quick else (20, 100)),
        drivers=args.drivers or DRIVERS, quick=quick,
        masters_lpars=640 if quick else 10_000, masters=(1, 2) if quick else (1, 4, 16),
        process_sizes=args.process_sizes or ((100, 1000) if quick else (1000, 10000, 50000)),
        sshd=not args.no_sshd,
        runs=runs, baseline_runs=args.baseline_runs, latency=args.latency, scale=args.scale,
        costs=None if args.costs == "none" else args.costs,
        out=args.out,
        command=shlex.join(["python", "-m", "benchmarks", *sys.argv[1:]]),
    )


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "worker":
        from benchmarks.worker import run_task

        print(json.dumps(run_task(json.loads(args.task))))
        return 0
    from benchmarks.report import write_all
    from benchmarks.suite import load_results, run

    if args.command == "report":
        results = load_results(args.results)
        out = args.out or args.results.parent
        results = dataclasses.replace(results, settings=dataclasses.replace(
            results.settings, out=out))
    else:
        results = run(_settings(args))
    for path in write_all(results):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
