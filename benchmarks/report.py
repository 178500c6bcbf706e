"""REPORT.md, results.json and the charts, from one suite run.

Every number in the report comes from `Results`; the explanations of missed targets quote the
measurements (and the plan profile) of the same run, so a rerun cannot leave stale prose behind.
"""

from __future__ import annotations

import dataclasses
import json
import os
import platform
import statistics
from pathlib import Path

from benchmarks import charts
from benchmarks.compare import Compared, compare, median_of
from benchmarks.critical import GETMACS, INSTALL
from benchmarks.suite import Results, Spread
from benchmarks.targets import targets_section
from xclone.sim import choices


def _fmt(value: float, digits: int = 2) -> str:
    return f"{value:,.{digits}f}"


def _cell(values: list[float], digits: int = 2) -> str:
    s = Spread.of(values)
    if len(values) == 1:
        return _fmt(s.median, digits)
    return f"{_fmt(s.median, digits)} ({_fmt(s.low, digits)}–{_fmt(s.high, digits)})"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _settings_section(results: Results) -> list[str]:
    s = results.settings
    scale = s.scale

    def real(sim: float) -> str:
        shown = f"{sim / 60:g} min" if sim >= 600 else f"{sim:g} s"
        return f"{shown} simulated = {sim / scale:.2f} s real"

    return [
        "## Setup",
        "",
        f"- Machine: {platform.node()}, {_cpu_model()}, {os.cpu_count()} CPUs, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}.",
        f"- Date: {results.finished}; the whole run took "
        f"{results.seconds / 60:.1f} min.",
        f"- Command: `{s.command}`",
        f"- Runs per measurement: {s.runs} (each in a fresh subprocess); cells show the median "
        "and, in brackets, the lowest and highest run.",
        f"- Injected latency: {s.latency * 1000:g} ms per remote command (every command the lab "
        f"knows). Lab clock: {scale:g} simulated seconds per real second.",
        "- Synthetic clusters (`xclone.sim.generate.synthetic_lab`): 40 LPARs per managed "
        "system, 8 managed systems per HMC, one xCAT network per HMC, all LPARs wanted "
        "`installed` from osimage `610sysb` (a mksysb of `node27`, SPOT `610spot`), declared "
        "with one `lpar_ranges` entry per managed system.",
        f"- Simulated durations (`xclone.sim.choices`): mksysb backup "
        f"{real(choices.MKSYSB_SECONDS)}; getmacs discovery {real(GETMACS)}; nimnodeset "
        f"{choices.NIMNODESET_SECONDS:g} s + {choices.NIMNODESET_PER_NODE_SECONDS:g} s per node; "
        f"rnetboot {real(choices.RNETBOOT_SECONDS)}; network install to `booted` "
        f"{real(INSTALL)}. Batched getmacs and rnetboot take as long as one node (xCAT works "
        "on the nodes of a noderange in parallel).",
        "- Install waits poll every 2 s at first, backing off to 30 s, in simulated time "
        f"({2 / scale * 1000:.1f} ms to {30 / scale * 1000:.0f} ms real): the polling a real "
        "cluster would see.",
        "",
    ]


def _plan_section(results: Results) -> list[str]:
    lines = [
        "## Validate, observe, plan",
        "",
        "`validate` is `python -m xclone validate SPEC` in a subprocess (interpreter start-up "
        "included); `load_spec` is the same work in-process (YAML, schema, model, checks). "
        "Observation runs the fixed probes through SimTransport with the injected "
        "latency. Plan time is `make_plan` alone (CPU and wall); its peak memory is measured in a "
        "second, untimed pass under tracemalloc; max RSS is the whole worker process (lab, "
        "observation and both plans).",
        "",
        "| LPARs | HMCs | systems | validate s | load_spec s | observe commands (on MN) | "
        "observe s | "
        "plan wall s | plan CPU s | plan peak MB | max RSS MB | actions |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, rows in sorted(results.plan.items()):
        first = rows[0]
        lines.append(
            f"| {n:,} | {first['hmcs']} | {first['systems']} | {_cell(results.validate[n])} | "
            f"{_cell([r['load_seconds'] for r in rows])} | "
            f"{first['observe_commands']} ({first['observe_mn_commands']}) | "
            f"{_cell([r['observe_seconds'] for r in rows])} | "
            f"{_cell([r['plan_wall'] for r in rows])} | {_cell([r['plan_cpu'] for r in rows])} | "
            f"{_cell([r['plan_peak_mb'] for r in rows], 0)} | "
            f"{_cell([r['max_rss_mb'] for r in rows], 0)} | {first['actions']} |")
    lines += ["", "![plan time](plan_time.png)", "",
              "*Seconds against LPARs, log-log. Red: plan wall time. Blue: observation. "
              "Green: `xclone validate` (with interpreter start-up).*", ""]
    if results.profile:
        lines += [f"Where planning {max(results.plan):,} LPARs spends its time (cProfile, "
                  "share of the profiled total, cumulative so nested entries overlap):", ""]
        lines += [f"- `{name}`: {share * 100:.0f}%" for name, share in results.profile]
        lines.append("")
    return lines


def _apply_section(results: Results, compared: list[Compared]) -> list[str]:
    lines = [
        "## Apply",
        "",
        "Each run seeds a fresh lab, observes, plans, runs the executor (this is the wall time), "
        "then observes and plans again: *converged* means that plan is empty. Commands count "
        "everything sent during the run, install polls included (in brackets: read-only "
        "commands). The critical path is the lower bound: the longest chain of the action "
        "graph, each action weighted by its simulated duration over the clock scale plus its "
        "round trips at the injected latency. The observed path is the same chain weighted "
        "with each action's measured duration: apply / observed path isolates the executor's "
        "own scheduling overhead from the time the lab spends simulating large batches.",
        "",
        "| variant | LPARs | runs | wall s | commands (reads) | per host | critical path s | "
        "wall / critical | wall / observed path | converged |",
        "|---|---:|---:|---:|---:|---|---:|---:|---:|---|",
    ]
    for mode in ("xclone", "per-resource", "runbook"):
        for n, rows in sorted(results.apply.get(mode, {}).items()):
            walls = [r["wall"] for r in rows]
            crit = median_of(rows, "critical_path")
            hosts = ", ".join(f"{h}: {c}" for h, c in sorted(rows[0]["per_host"].items()))
            ratio = statistics.median(walls) / crit if mode == "xclone" else None
            observed = statistics.median(walls) / median_of(rows, "observed_path") \
                if mode == "xclone" else None
            lines.append(
                f"| {mode} | {n:,} | {len(rows)} | {_cell(walls)} | "
                f"{_fmt(median_of(rows, 'commands'), 0)} ({_fmt(median_of(rows, 'reads'), 0)}) | "
                f"{hosts} | {_fmt(crit)} | {_fmt(ratio) if ratio else '—'} | "
                f"{_fmt(observed) if observed else '—'} | "
                f"{all(r['converged'] and r['ok'] for r in rows)} |")
    lines += ["", "The runbook rows are measured at small sizes only: the script waits for each "
              "install before the next node, so 1,000 LPARs would take hours even on the fast "
              "lab clock. Its numbers at the apply sizes below are **extrapolated** with a "
              "straight line (least squares) through those measurements.", ""]
    lines += [
        "| LPARs | xclone s | per-resource s | runbook s | xclone commands | per-resource "
        "commands | runbook commands | runbook / xclone (time, commands) | per-resource / "
        "xclone (time, commands) |",
        "|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for c in compared:
        mark = "" if c.runbook_measured else " (extrapolated)"
        per_ratio = "—"
        if c.per_resource_wall is not None and c.per_resource_commands is not None:
            per_ratio = (f"{c.per_resource_wall / c.xclone_wall:.1f}x, "
                         f"{c.per_resource_commands / c.xclone_commands:.0f}x")
        lines.append(
            f"| {c.n:,} | {_fmt(c.xclone_wall, 1)} | "
            f"{_fmt(c.per_resource_wall, 1) if c.per_resource_wall else '—'} | "
            f"{_fmt(c.runbook_wall, 0)}{mark} | {_fmt(c.xclone_commands, 0)} | "
            f"{_fmt(c.per_resource_commands, 0) if c.per_resource_commands else '—'} | "
            f"{_fmt(c.runbook_commands, 0)}{mark} | "
            f"{c.runbook_wall / c.xclone_wall:.0f}x, "
            f"{c.runbook_commands / c.xclone_commands:.0f}x | {per_ratio} |")
    lines += ["", "![apply time](apply_time.png)", "",
              "*Apply wall seconds against LPARs, log-log. Red: xclone. Black dashed: its "
              "critical path. Blue: per-resource baseline. Orange dashed: runbook baseline "
              "(measured at small sizes, extrapolated beyond).*", "",
              "![commands](commands.png)", "",
              "*Remote commands during apply against LPARs, same colours.*", ""]
    return lines


def write_all(results: Results) -> list[Path]:
    out = results.settings.out
    out.mkdir(parents=True, exist_ok=True)
    compared = compare(results)
    text = "\n".join([
        "# xclone benchmarks",
        "",
        "Generated by `python -m benchmarks run` (see the command below); do not edit by hand.",
        "",
        *targets_section(results, compared),
        *_settings_section(results),
        *_plan_section(results),
        *_apply_section(results, compared),
        "## Why 10,000-LPAR apply is opt-in",
        "",
        "On the lab every LPAR is simulated in one SQLite world on this machine, so a 10,000-LPAR "
        "batched `getmacs` or `rnetboot` costs real CPU seconds that a cluster would spend in "
        "parallel on its HMCs, and the per-resource baseline sends tens of thousands of "
        "commands. Together that takes far beyond the suite's 20-minute budget on 2 cores; run "
        "it with `python -m benchmarks run --apply-sizes 10000`.",
        "",
    ])
    paths = [out / "REPORT.md", out / "results.json"]
    paths[0].write_text(text, encoding="utf-8")
    raw = {"settings": {**dataclasses.asdict(results.settings), "out": str(out)},
           "validate": results.validate, "plan": results.plan, "apply": results.apply,
           "profile": results.profile, "seconds": results.seconds,
           "finished": results.finished}
    paths[1].write_text(json.dumps(raw, indent=1, default=str) + "\n", encoding="utf-8")
    return paths + charts.write_charts(results, compared, out)
