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

from benchmarks import charts, process_report, servers
from benchmarks.compare import Figure, at, compare, median_of
from benchmarks.critical import GETMACS, INSTALL, NIM_INSTALL
from benchmarks.suite import MODES, Results, Spread
from benchmarks.targets import targets_section
from xclone.sim import choices

Table = dict[tuple[str, str], dict[int, Figure]]


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


def _sizes(sizes: tuple[int, ...]) -> str:
    return ", ".join(f"{n:,}" for n in sizes)


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
        f"- Sizes run{' (`--quick`)' if s.quick else ''}: validate, observe and plan at "
        f"{_sizes(s.sizes)} LPARs; apply with xclone, the runbook with noderanges and the "
        f"per-resource baseline at {_sizes(s.apply_sizes)}; the blocking baseline at "
        f"{_sizes(s.blocking_sizes)}; the node-by-node runbook at {_sizes(s.runbook_sizes)}; "
        f"drivers: {', '.join(s.drivers)}.",
        f"- Runs per measurement: {s.runs} for xclone, {s.baseline_runs} for each baseline "
        "(each in a fresh subprocess); cells show the median and, in brackets, the lowest and "
        "highest run.",
        f"- Lab costs: `{s.costs or 'none'}` (docs/lab.md \"Costs\"): each command's "
        "real-cluster latency spent on the lab clock (1 s an xCAT command, 1 s `nim`, 0.3 s "
        "`lsnim`, 1.5 s an HMC command, 0.05 s a file command), xCAT's fan-out of `getmacs -D` "
        "and `rnetboot` (half of the site's `maxssh` per HMC, `ppcmaxp` 64 in all, 0.1 s "
        "between forks: xCAT 2.9.2 PPC.pm), installs sharing the NIM master's 1 GbE for a "
        "2 GB mksysb each (about 110 installs saturate it), mksysb 25 min and SPOT 10 min."
        + (f" Plus {s.latency * 1000:g} ms of real time per command." if s.latency else "")
        + f" Lab clock: {scale:g} simulated seconds per real second, so a real-cluster hour "
        f"is {3600 / scale:g} s of wall time here.",
        "- Synthetic clusters (`xclone.sim.generate.synthetic_lab`): 40 LPARs per managed "
        "system, 8 managed systems per HMC, one network per HMC, all LPARs wanted "
        "`installed` from osimage `610sysb` (a mksysb of `node27`, SPOT `610spot`), declared "
        "with one `lpar_ranges` entry per managed system. The NIM driver's world is the same "
        "cluster on a NIM master without xCAT (`nim_only=True`); its spec differs only in "
        "`driver: nim` and the xCAT-only `site:` it leaves out. The xCAT spec sets site "
        f"`maxssh: {s.maxssh}` (8 rnetboot and getmacs -D per HMC, the 8 sessions per HMC the "
        "NIM driver's lpar_netboot uses) for xclone and the Terraform-like variants; both "
        "runbooks, typed from the seed document, keep xCAT's default 8 (4 per HMC). IBM "
        "documents no session limit of the HMC's command line that we could find; one HMC "
        "manages up to 48 servers (an IBM Redbook on System i5 HMCs, 2005-2006, chapter "
        "*HMC duplication and redundancy*), and the synthetic cluster puts 8 on each.",
        "- Variants, all built from xclone's own plan so every one sends the same commands "
        "through the same lab and transport in the same run (`benchmarks/expand.py`): "
        "*runbook with noderanges* (the headline baseline: the plan's commands one after "
        "another with their noderanges, each long step waited for; on the NIM driver the "
        "by-hand procedure, with `bos_inst` on one NIM machine group since NIM takes a group "
        "there, and a loop for everything else, which NIM and the HMC take one object at a "
        "time); *runbook node by node* (the naive script: each LPAR to the end of its install "
        "before the next); *Terraform-like, blocking* (one resource per LPAR whose create "
        "blocks until its install ends, ten at a time, after every shared resource); "
        "*Terraform-like, per resource* (one command per resource, the dependency graph kept, "
        "installs waited for as their own steps). The Terraform-like variants run at "
        "Terraform's default `-parallelism=10`; xclone with `--parallelism` of every session "
        "the spec gives its hosts (the management node's 10 and 8 per HMC, summed), so each "
        "host's `max_sessions` decides, as a user who sized them would run it.",
        f"- Simulated durations (`xclone.sim.choices`), before sharing and fan-out: mksysb "
        f"backup {real(choices.MKSYSB_SECONDS)}; getmacs discovery {real(GETMACS)}; nimnodeset "
        f"{choices.NIMNODESET_SECONDS:g} s + {choices.NIMNODESET_PER_NODE_SECONDS:g} s per node; "
        f"rnetboot {real(choices.RNETBOOT_SECONDS)}; network install to `booted` "
        f"{real(INSTALL)} (NIM driver: to `ready for a NIM operation`, "
        f"{real(NIM_INSTALL)}); lpar_netboot as rnetboot.",
        "- Install waits poll every 2 s at first, backing off to 30 s, in simulated time "
        f"({2 / scale * 1000:.1f} ms to {30 / scale * 1000:.0f} ms real): the polling a real "
        "cluster would see.",
        "",
    ]


def _plan_section(results: Results) -> list[str]:
    lines = [
        "## Validate, observe, plan",
        "",
        "xCAT driver. `validate` is the **whole process** `python -m xclone validate SPEC` "
        "(wall, interpreter start-up and imports included); `load_spec` is the same work as a "
        "**function** in-process (wall). Observation is the fixed probes through SimTransport "
        "on an instant lab clock (wall, in-process: the lab's and the parsers' work, no "
        "latency). *plan wall* and *plan CPU* are the "
        "**function** `make_plan` alone, in-process, without start-up, imports or rendering: "
        "not what `xclone plan` costs as a command. Its peak is what planning allocates "
        "(tracemalloc, in a second, untimed pass); max RSS is the whole worker process "
        "(lab world, observation and both plans).",
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
              "*Seconds against LPARs, log-log, medians of the runs.*", ""]
    if results.profile:
        lines += [f"Where planning {max(results.plan):,} LPARs spends its time (cProfile, "
                  "share of the profiled total, cumulative so nested entries overlap):", ""]
        lines += [f"- `{name}`: {share * 100:.0f}%" for name, share in results.profile]
        lines.append("")
    return lines


MODE_NAMES = {"xclone": "xclone", "runbook-noderanges": "runbook with noderanges",
              "runbook-node": "runbook node by node (naive)",
              "blocking": "Terraform-like, blocking (parallelism 10)",
              "per-resource": "Terraform-like, per resource (non-blocking)"}
DRIVER_NAMES = {"xcat": "xCAT driver", "nim": "NIM driver"}


def _share(part: float, whole: float) -> str:
    return f"{part / whole * 100:.0f}%" if whole > 0 else "—"


def _mark(figure: Figure) -> str:
    return "" if figure.measured else " (extrapolated)"


def _headline(results: Results, table: Table) -> list[str]:
    """Every variant at the largest apply size against the runbook with noderanges."""
    n = max(results.settings.apply_sizes)
    lines = [f"## Headline: {n:,} LPARs, every variant against the runbook with noderanges", "",
             "*wall* and *CPU* are the executor's run on the lab clock (CPU of the whole worker "
             "process, which also holds the simulator; *sim* is the simulator's own share, "
             "`Lab.sim_cpu`). *critical path* is the variant's longest dependency chain and "
             "*modelled* its schedule under the executor's limits (parallelism, sessions per "
             "host), both on the lab clock from the lab's own costs (`benchmarks/model.py`); "
             "*real-time model* is that schedule in hours on a real cluster (durations "
             "unscaled, each command's latency as the realistic costs give it). The last "
             "column divides the runbook with noderanges by the variant: above 1, the variant "
             "is faster.", ""]
    for driver in results.settings.drivers:
        base = at(table, driver, "runbook-noderanges", n)
        if base is None or at(table, driver, "xclone", n) is None:
            continue
        lines += [f"**{DRIVER_NAMES.get(driver, driver)}**", "",
                  "| variant | wall s (lab) | CPU s (sim) | commands | critical path s (lab) "
                  "| modelled s (lab) | real-time model h | runbook with noderanges / variant: "
                  "lab wall, real-time model |",
                  "|---|---:|---:|---:|---:|---:|---:|---|"]
        for mode in MODES:
            f = at(table, driver, mode, n)
            if f is None:
                continue
            lines.append(
                f"| {MODE_NAMES[mode]}{_mark(f)} | {_fmt(f.wall, 1)} | {_fmt(f.cpu, 1)} "
                f"({_share(f.sim_cpu, f.cpu)}) | {_fmt(f.commands, 0)} | {_fmt(f.critical, 1)} | "
                f"{_fmt(f.modelled, 1)} | {_fmt(f.realtime / 3600, 2)} "
                f"| {base.wall / f.wall:.2f}x, {base.realtime / f.realtime:.2f}x |")
        lines.append("")
    lines += ["![apply time](apply_time.png)", "", "![real-time model](realtime.png)", "",
              "![commands](commands.png)", ""]
    return lines


def _apply_section(results: Results, table: Table) -> list[str]:
    lines = [
        "## Apply, every measured run",
        "",
        "Each run seeds a fresh lab, observes, plans, turns the plan into the variant "
        "(`benchmarks/expand.py`), runs the executor (the wall and CPU columns: the executor's "
        "run alone, lab clock; CPU is the whole worker process, simulator included), then "
        "observes and plans again: *converged* means that plan is empty. Commands count "
        "everything sent during the run, install polls included (in brackets: read-only "
        "commands). *critical path* is the variant's own longest dependency chain and "
        "*modelled* its schedule under the executor's limits, each action weighted with what "
        "the lab's costs make it last (`benchmarks/model.py`), on the lab clock; *real-time "
        "model* is the modelled schedule unscaled. *wall / observed path* weighs the "
        "dependency chain with each action's measured duration instead: it isolates the "
        "executor's own scheduling from the time the lab spends simulating.",
        "",
        "| driver | variant | LPARs | runs | wall s | CPU s (sim share) | commands (reads) | "
        "critical path s | modelled s | real-time model h | wall / critical | wall / modelled "
        "| wall / observed path | converged |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for driver in results.settings.drivers:
        for mode in MODES:
            for n, rows in sorted(results.apply.get(f"{driver}/{mode}", {}).items()):
                walls = [r["wall"] for r in rows]
                crit, modelled = median_of(rows, "critical_path"), median_of(rows, "modelled")
                wall, cpu = statistics.median(walls), median_of(rows, "cpu")
                observed = median_of(rows, "observed_path")
                lines.append(
                    f"| {driver} | {MODE_NAMES[mode]} | {n:,} | {len(rows)} | {_cell(walls)} | "
                    f"{_cell([r['cpu'] for r in rows])} "
                    f"({_share(median_of(rows, 'sim_cpu'), cpu)}) | "
                    f"{_fmt(median_of(rows, 'commands'), 0)} "
                    f"({_fmt(median_of(rows, 'reads'), 0)}) | {_fmt(crit)} | {_fmt(modelled)} | "
                    f"{_fmt(median_of(rows, 'realtime_model') / 3600)} | "
                    f"{_fmt(wall / crit) if crit else '—'} | "
                    f"{_fmt(wall / modelled) if modelled else '—'} | "
                    f"{_fmt(wall / observed) if observed else '—'} | "
                    f"{all(r['converged'] and r['ok'] for r in rows)} |")
    s = results.settings
    lines += ["", "**Extrapolated figures.** The naive node-by-node runbook waits for each install "
              "before the next LPAR, so it is measured at "
              f"{', '.join(map(str, s.runbook_sizes))} LPARs only; the blocking Terraform-like "
              f"baseline runs ten LPARs at a time and is measured at "
              f"{', '.join(map(str, s.blocking_sizes))}. Their figures at "
              f"{', '.join(f'{n:,}' for n in s.apply_sizes)} LPARs are **extrapolated** with a "
              "least-squares line through those runs: in LPARs for the runbook (every LPAR runs "
              "the same chain after the previous one: the cost is exactly linear), in rounds of "
              "ten for the blocking baseline (each lane is a chain of identical LPAR chains). It "
              "is sound on this lab because every LPAR of the synthetic cluster takes the same "
              "simulated time and the installs a variant runs at once do not depend on N; what "
              "it leaves out is the lab's own CPU per command growing with the size of its "
              "tables, which can only make the measured figure larger.", ""]
    return lines


def write_all(results: Results) -> list[Path]:
    out = results.settings.out
    out.mkdir(parents=True, exist_ok=True)
    table = compare(results)
    text = "\n".join([
        "# xclone benchmarks",
        "",
        "Generated by `python -m benchmarks run` (see the command below); do not edit by hand.",
        "",
        *targets_section(results, table),
        *_headline(results, table),
        *_settings_section(results),
        *_plan_section(results),
        *process_report.section(results),
        *_apply_section(results, table),
        *servers.section(results),
        "## Why 10,000-LPAR apply is opt-in",
        "",
        "On the lab every LPAR is simulated in one SQLite world on this machine, so a 10,000-LPAR "
        "batched `getmacs` or `rnetboot` costs real CPU seconds that a cluster would spend in "
        "parallel on its HMCs, and the per-resource baseline sends tens of thousands of "
        "commands. The default run already takes close to half an hour on 2 cores (the "
        "NIM runbook with noderanges boots 1,000 LPARs one `lpar_netboot` after another); "
        "`--quick` measures smaller sizes in a few minutes and says so above; run 10,000 with "
        "`python -m benchmarks run --apply-sizes 10000`. The machine was shared with other "
        "engineers' work during this run: the spread of the xclone cells shows how much.",
        "",
    ])
    paths = [out / "REPORT.md", out / "results.json"]
    paths[0].write_text(text, encoding="utf-8")
    raw = {"settings": {**dataclasses.asdict(results.settings), "out": str(out)},
           "validate": results.validate, "plan": results.plan, "apply": results.apply,
           "profile": results.profile, "seconds": results.seconds,
           "finished": results.finished, "masters": results.masters,
           "startup": results.startup, "process": results.process, "sshd": results.sshd}
    paths[1].write_text(json.dumps(raw, indent=1, default=str) + "\n", encoding="utf-8")
    return paths + charts.write_charts(results, table, out)
