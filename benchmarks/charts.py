"""The report's charts, drawn with matplotlib (the `bench` extra): each says in its title and
axis labels what it measures, in which unit and on which clock, so it reads without its caption.
"""

from __future__ import annotations

import statistics
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no display

import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure as Canvas  # noqa: E402

from benchmarks.compare import Figure  # noqa: E402
from benchmarks.suite import MODES, Results  # noqa: E402

LABELS = {"xclone": "xclone", "runbook-noderanges": "runbook with noderanges",
          "runbook-node": "runbook node by node (naive)", "blocking": "Terraform-like, blocking",
          "per-resource": "Terraform-like, per resource"}
COLOURS = {"xclone": "tab:red", "runbook-noderanges": "tab:orange",
           "runbook-node": "tab:brown", "blocking": "tab:purple", "per-resource": "tab:blue"}
DRIVER_TITLES = {"xcat": "xCAT driver", "nim": "NIM driver"}
# Deterministic files: no matplotlib version or date in the PNG's text chunks.
METADATA = {"Software": None}

Table = dict[tuple[str, str], dict[int, Figure]]


def _save(canvas: Canvas, path: Path) -> Path:
    canvas.tight_layout()
    canvas.savefig(path, dpi=110, metadata=METADATA)
    plt.close(canvas)
    return path


def _plan_chart(results: Results, path: Path) -> Path:
    canvas, axes = plt.subplots(figsize=(7, 4.5))
    sizes = sorted(results.plan)

    def median(key: str) -> list[float]:
        return [statistics.median(r[key] for r in results.plan[n]) for n in sizes]

    axes.plot(sizes, median("plan_wall"), "o-", color="tab:red",
              label="make_plan function, wall (in-process)")
    axes.plot(sizes, median("plan_cpu"), "x--", color="tab:red",
              label="make_plan function, CPU (in-process)")
    axes.plot(sizes, median("observe_seconds"), "s-", color="tab:blue",
              label="observation, wall (fixed probes over the lab transport)")
    validate = sorted(results.validate)
    axes.plot(validate, [statistics.median(results.validate[n]) for n in validate], "^-",
              color="tab:green", label="xclone validate, wall (whole process)")
    axes.set(xscale="log", yscale="log", xlabel="LPARs in the spec",
             ylabel="seconds (median of runs)",
             title="Validate, observe, plan: seconds against cluster size")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize=8)
    return _save(canvas, path)


def _series(axes: Axes, table: Table, driver: str, key: str) -> None:
    for mode in MODES:
        figures = table.get((driver, mode))
        if not figures:
            continue
        points = sorted(figures.values(), key=lambda f: f.n)
        xs, ys = [f.n for f in points], [float(getattr(f, key)) for f in points]
        axes.plot(xs, ys, "-", color=COLOURS[mode], label=LABELS[mode])
        measured = [(f.n, float(getattr(f, key))) for f in points if f.measured]
        guessed = [(f.n, float(getattr(f, key))) for f in points if not f.measured]
        if measured:
            axes.plot(*zip(*measured, strict=True), "o", color=COLOURS[mode])
        if guessed:
            axes.plot(*zip(*guessed, strict=True), "o", mfc="white", color=COLOURS[mode])


def _per_driver(table: Table, drivers: tuple[str, ...], key: str, ylabel: str, title: str,
                path: Path, critical: bool = False) -> Path:
    canvas, grid = plt.subplots(1, len(drivers), figsize=(6.5 * len(drivers), 4.8),
                                squeeze=False)
    for axes, driver in zip(grid[0], drivers, strict=True):
        _series(axes, table, driver, key)
        mine = sorted(table.get((driver, "xclone"), {}).values(), key=lambda f: f.n)
        if critical and mine:
            axes.plot([f.n for f in mine], [f.critical for f in mine], ":", color="black",
                      label="xclone's critical path (lower bound)")
        axes.plot([], [], "o", mfc="white", color="grey", label="extrapolated (hollow)")
        axes.set(xscale="log", yscale="log", xlabel="LPARs installed",
                 ylabel=ylabel, title=f"{title}: {DRIVER_TITLES.get(driver, driver)}")
        axes.grid(True, which="both", alpha=0.3)
        axes.legend(fontsize=7)
    return _save(canvas, path)


def _realtime_chart(table: Table, drivers: tuple[str, ...], n: int, path: Path) -> Path:
    canvas, axes = plt.subplots(figsize=(8, 4.5))
    height = 0.8 / max(len(drivers), 1)
    for index, driver in enumerate(drivers):
        rows = [(mode, table[(driver, mode)][n]) for mode in MODES
                if n in table.get((driver, mode), {})]
        ys = [MODES.index(mode) + index * height for mode, _ in rows]
        hours = [f.realtime / 3600 for _, f in rows]
        bars = axes.barh(ys, hours, height=height, label=DRIVER_TITLES.get(driver, driver),
                         color="tab:green" if driver == "nim" else "tab:gray")
        for bar, (_, figure) in zip(bars, rows, strict=True):
            note = "" if figure.measured else " (extrapolated)"
            axes.text(bar.get_width(), bar.get_y() + bar.get_height() / 2,
                      f" {bar.get_width():,.1f} h{note}", va="center", fontsize=7)
    axes.set_yticks([i + height * (len(drivers) - 1) / 2 for i in range(len(MODES))],
                    [LABELS[m] for m in MODES], fontsize=8)
    axes.invert_yaxis()
    longest = max((f.realtime / 3600 for figures in table.values() for f in figures.values()
                   if f.n == n), default=1.0)
    axes.set(xscale="log", xlim=(None, longest * 6),
             xlabel="hours on a real cluster (modelled schedule, the lab's costs unscaled)",
             title=f"Real-time model of installing {n:,} LPARs")
    axes.grid(True, axis="x", which="both", alpha=0.3)
    axes.legend(fontsize=8, loc="upper right")
    return _save(canvas, path)


def write_charts(results: Results, table: Table, out: Path) -> list[Path]:
    drivers = tuple(d for d in results.settings.drivers if (d, "xclone") in table)
    written = [_plan_chart(results, out / "plan_time.png")] if results.plan else []
    if not drivers:
        return written
    written.append(_per_driver(table, drivers, "wall", "seconds of wall time on the lab clock",
                               "Apply wall time", out / "apply_time.png", critical=True))
    written.append(_per_driver(table, drivers, "commands", "remote commands sent (count)",
                               "Commands during apply", out / "commands.png"))
    largest = max(results.settings.apply_sizes)
    written.append(_realtime_chart(table, drivers, largest, out / "realtime.png"))
    return written
