"""Issue 16's whole-process figures in the report: `xclone plan` of N LPARs from a snapshot, the
start-up commands and the seed applied over a real sshd (benchmarks/process.py), and the
targets judged on them.

Every figure is one whole `python -m xclone` process as a shell's `time` would report it: CPU
is user + sys from `os.wait4`, interpreter start-up and imports included; RSS is its peak
resident set. The phases beside the 10,000-LPAR plan are the same stages run again in the
worker (imports done), so what the process spends beyond their sum is start-up, imports and
writing the output.
"""

from __future__ import annotations

import statistics
from typing import Any

from benchmarks.targets import Verdict

BIG, HUGE, MID = 10_000, 50_000, 1_000
CPU_BIG, RSS_BIG = 2.5, 250.0  # issue 16: 10,000 LPARs under 2.5 s CPU and 250 MiB
CPU_HUGE, RSS_HUGE = 12.0, 1024.0  # 50,000 LPARs under 12 s and 1 GiB
RATIO = 11.0  # 10k/1k whole-process CPU ratio under 11
STARTUP = 0.15  # `xclone --version` and the seed plan from a snapshot under 0.15 s CPU
LOGIN = 0.10  # the process behind `lab serve` starts "in well under 0.15 s": under 0.1 s CPU
SSHD_WALL = 12.0  # the seed through `lab serve` and real sshd under 12 s wall
# Where the seed plan's start-up goes, counted in instructions (callgrind, 2026-12-03, which
# unlike CPU seconds does not move with the machine's load): 1,452 M for the whole process, of
# which the bare interpreter is 145 M, importing pydantic 256 M more and the spec package
# 570 M more (most of it pydantic generating each model's validator as its class is created),
# the rest of the imports 227 M and the command's own work (load, observe, plan, text) 128 M.
SEED_WHY = (" About two thirds of it is pydantic: its import and the spec package's, where "
            "each model's validator is generated as its class is created (counted in "
            "instructions with callgrind, 2026-12-03); the command's own work is a tenth. "
            "Closing it needs the spec validated without building pydantic models at start-up "
            "(validators kept from one process to the next, or a hand-written loader for the "
            "plan path).")
PHASES = ("load", "observe", "plan", "render")
PHASE_NAMES = {"load": "load and validate the spec", "observe": "read the snapshot",
               "plan": "plan", "render": "text"}


def _median(rows: list[dict[str, Any]], key: str) -> float:
    return float(statistics.median(float(r[key]) for r in rows))


def _plan(results: Any, n: int) -> dict[str, Any] | None:
    found: dict[str, Any] | None = results.process.get(n)
    return found if found and found.get("runs") else None


def _why(results: Any, n: int) -> str:
    """Where the process's CPU went: the in-process phases and the rest (start-up)."""
    row = _plan(results, n)
    if row is None:
        return ""
    cpu = _median(row["runs"], "cpu")
    phases = row.get("phases") or {}
    parts = ", ".join(f"{PHASE_NAMES[p]} {phases[p]:.2f} s" for p in PHASES if p in phases)
    rest = cpu - sum(phases.get(p, 0.0) for p in PHASES)
    seed = results.startup.get("seed-plan")
    fixed = f"; the seed plan, whose work is nearly nil, costs {_median(seed, 'cpu'):.2f} s" \
        if seed else ""
    loop = results.startup.get("loop")
    speed = f" This machine ran the fixed 10-million-addition loop in {_median(loop, 'cpu'):.2f} " \
        "s CPU during the run (see Whole process): compare it before comparing runs." \
        if loop else ""
    return (f"of {cpu:.2f} s CPU, the stages run again in-process take {parts}; the other "
            f"{rest:.2f} s is interpreter start-up, imports and writing the file{fixed}.{speed}")


def _size_verdicts(results: Any, n: int, cpu_limit: float, rss_limit: float) -> list[Verdict]:
    row = _plan(results, n)
    what = f"`xclone plan` of {n:,} LPARs from a snapshot, whole process, text to a file"
    if row is None:
        return [Verdict(f"{what}: under {cpu_limit:g} s CPU and {rss_limit:,.0f} MiB peak RSS",
                        f"not measured in this run (add {n} to --process-sizes)", None)]
    cpu, rss = _median(row["runs"], "cpu"), _median(row["runs"], "rss_mib")
    wall = _median(row["runs"], "wall")
    return [
        Verdict(f"{what}: under {cpu_limit:g} s CPU (user + sys)",
                f"{cpu:.2f} s CPU ({wall:.2f} s wall)", cpu < cpu_limit,
                "" if cpu < cpu_limit else _why(results, n)),
        Verdict(f"{what}: under {rss_limit:,.0f} MiB peak RSS", f"{rss:.0f} MiB",
                rss < rss_limit, "" if rss < rss_limit else
                "the process holds the spec, the observation, every fine step and the "
                "plan's text at once."),
    ]


def verdicts(results: Any) -> list[Verdict]:
    found = _size_verdicts(results, BIG, CPU_BIG, RSS_BIG)
    found += _size_verdicts(results, HUGE, CPU_HUGE, RSS_HUGE)
    big, mid = _plan(results, BIG), _plan(results, MID)
    if big is not None and mid is not None:
        ratio = _median(big["runs"], "cpu") / _median(mid["runs"], "cpu")
        found.append(Verdict(f"`xclone plan` 10k/1k whole-process CPU ratio under {RATIO:g}",
                             f"{ratio:.1f}", ratio < RATIO,
                             "" if ratio < RATIO else _why(results, BIG)))
    startup = results.startup
    if startup:
        floor = _median(startup["bare"], "cpu") if "bare" in startup else 0.0
        for name, label in (("version", "`xclone --version`"),
                            ("seed-plan", "`xclone plan` of the seed spec on a snapshot")):
            if name not in startup:
                continue
            cpu = _median(startup[name], "cpu")
            found.append(Verdict(
                f"start-up: {label} under {STARTUP:g} s CPU (whole process)",
                f"{cpu:.3f} s CPU (the bare interpreter, `python -c pass`: {floor:.3f} s)",
                cpu < STARTUP, "" if cpu < STARTUP else
                f"{cpu - floor:.3f} s above the bare interpreter: imports (measure with "
                "`python -X importtime -m xclone ...`) and, for the plan, its work."
                + (SEED_WHY if name == "seed-plan" else "")))
        if "login" in startup:
            cpu = _median(startup["login"], "cpu")
            found.append(Verdict(
                f"start-up: the process behind `lab serve` (one login, `python -S -m "
                f"xclone.sim.login` answering one command) well under 0.15 s CPU: under "
                f"{LOGIN:g} s", f"{cpu:.3f} s CPU", cpu < LOGIN, "" if cpu < LOGIN else
                f"{cpu - floor:.3f} s above the bare interpreter (which, unlike the login, "
                "runs the site module): the simulator's imports, the standard library's "
                "dataclasses, sqlite3 and json among them, and the command itself."))
    sshd = results.sshd
    if sshd:
        label = f"the seed applied through `lab serve` and real sshd under {SSHD_WALL:g} s wall"
        if "skipped" in sshd:
            found.append(Verdict(label, f"not measured: {sshd['skipped']}", None))
        else:
            wall = float(sshd["wall"])
            found.append(Verdict(
                label, f"{wall:.1f} s wall ({sshd['cpu']:.1f} s CPU of the apply process, the "
                "lab's login processes not counted); converged: "
                f"{'yes' if sshd.get('converged') else 'no'}", wall < SSHD_WALL,
                "" if wall < SSHD_WALL else
                f"the apply process itself spent {sshd['cpu']:.1f} s CPU of the {wall:.1f} s; "
                "the rest is waiting: each command's ssh connection and lab login process "
                "(`python -m xclone.sim.login`, sshd's child, not measured here) and the seed "
                "lab's clock (two 40-minute installs at 600x: 4 s each)."))
    return found


def _cell(rows: list[dict[str, Any]], key: str, digits: int = 2) -> str:
    values = [float(r[key]) for r in rows]
    mid = statistics.median(values)
    if len(values) == 1:
        return f"{mid:,.{digits}f}"
    return f"{mid:,.{digits}f} ({min(values):,.{digits}f}–{max(values):,.{digits}f})"


def section(results: Any) -> list[str]:
    if not (results.process or results.startup or results.sshd):
        return []
    lines = [
        "## Whole process",
        "",
        "Each row is a fresh `python -m xclone` process, measured as a shell's `time` would: "
        "*CPU* is its user + sys seconds and *peak RSS* its maximum resident set (`os.wait4` "
        "of that one process, started from a small launcher so the worker's own memory is not "
        "counted), interpreter start-up and imports included, bytecode cached as an installed "
        "xclone has it. `xclone plan SPEC --snapshot DIR > FILE` plans the benchmark's "
        "synthetic cluster (every LPAR to create: the largest plan of that size) from a "
        "snapshot of its freshly seeded lab, text output to a file. *phases* are the same "
        "stages run again inside the worker (CPU, imports already paid): load and validate "
        "the spec, read the snapshot, plan, text; the rest of the process's CPU is start-up, "
        "imports and writing the file. Cells show the median and, in brackets, the lowest and "
        "highest run.",
        "",
    ]
    if results.process:
        lines += ["| command | LPARs | runs | CPU s | peak RSS MiB | wall s | output | phases "
                  "(CPU s: load, snapshot, plan, text) |",
                  "|---|---:|---:|---:|---:|---:|---:|---|"]
        for n, row in sorted(results.process.items()):
            runs = row["runs"]
            phases = row.get("phases") or {}
            shown = " / ".join(f"{phases[p]:.2f}" for p in PHASES if p in phases)
            size = _median(runs, "out_bytes") / 2**20
            lines.append(f"| `xclone plan` from a snapshot | {n:,} | {len(runs)} | "
                         f"{_cell(runs, 'cpu')} | {_cell(runs, 'rss_mib', 0)} | "
                         f"{_cell(runs, 'wall')} | {size:.1f} MiB, {row['lines']:,} lines, "
                         f"{row['commands']} commands | {shown} |")
        lines.append("")
    if results.startup:
        names = {"bare": "`python -c pass` (the interpreter alone: the floor)",
                 "loop": "a pure-Python loop of 10 million additions (this machine's speed: "
                 "compare it before comparing CPU figures of two runs)",
                 "version": "`xclone --version`",
                 "seed-plan": "`xclone plan` of the seed spec from a snapshot",
                 "login": "one `lab serve` login process (`python -S -m xclone.sim.login`, "
                 "as sshd starts it per command) answering `lsdef -t node -l` from the seed "
                 "lab"}
        lines += ["| start-up | runs | CPU s | peak RSS MiB | wall s |",
                  "|---|---:|---:|---:|---:|"]
        for name, rows in results.startup.items():
            lines.append(f"| {names.get(name, name)} | {len(rows)} | {_cell(rows, 'cpu', 3)} | "
                         f"{_cell(rows, 'rss_mib', 0)} | {_cell(rows, 'wall', 3)} |")
        lines.append("")
    if results.sshd and "skipped" not in results.sshd:
        s = results.sshd
        lines += [f"The seed applied with `xclone apply` over SSH to its lab behind a real sshd "
                  f"(`LabServer`, what `xclone lab serve` runs; seed lab clock): "
                  f"{s['wall']:.1f} s wall, {s['cpu']:.1f} s CPU of the apply process (the "
                  "lab's login processes are sshd's children, not counted), "
                  f"{s['rss_mib']:.0f} MiB peak RSS; a plan afterwards was "
                  f"{'empty' if s.get('converged') else 'NOT empty'}.", ""]
    return lines
