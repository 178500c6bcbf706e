"""The report's three charts: plan-side times, apply times and apply commands against N."""

from __future__ import annotations

import statistics
from pathlib import Path

from benchmarks.compare import Compared
from benchmarks.png import Colour, Series, chart
from benchmarks.suite import Results

RED: Colour = (200, 30, 30)
BLUE: Colour = (30, 70, 200)
GREEN: Colour = (20, 150, 60)
ORANGE: Colour = (230, 130, 0)
BLACK: Colour = (0, 0, 0)


def _plan_chart(results: Results) -> bytes:
    def points(key: str) -> tuple[tuple[float, float], ...]:
        return tuple((float(n), statistics.median(r[key] for r in rows))
                     for n, rows in sorted(results.plan.items()))

    validate = tuple((float(n), statistics.median(v)) for n, v in sorted(results.validate.items()))
    return chart([Series("plan", RED, points("plan_wall")),
                  Series("observe", BLUE, points("observe_seconds")),
                  Series("validate", GREEN, validate)])


def _apply_charts(compared: list[Compared]) -> tuple[bytes, bytes]:
    def line(values: list[tuple[int, float | None]]) -> tuple[tuple[float, float], ...]:
        return tuple((float(n), v) for n, v in values if v is not None)

    times = chart([
        Series("xclone", RED, line([(c.n, c.xclone_wall) for c in compared])),
        Series("critical path", BLACK, line([(c.n, c.critical) for c in compared]), True),
        Series("per-resource", BLUE, line([(c.n, c.per_resource_wall) for c in compared])),
        Series("runbook", ORANGE, line([(c.n, c.runbook_wall) for c in compared]), True),
    ])
    commands = chart([
        Series("xclone", RED, line([(c.n, c.xclone_commands) for c in compared])),
        Series("per-resource", BLUE, line([(c.n, c.per_resource_commands) for c in compared])),
        Series("runbook", ORANGE, line([(c.n, c.runbook_commands) for c in compared]), True),
    ])
    return times, commands


def write_charts(results: Results, compared: list[Compared], out: Path) -> list[Path]:
    times, commands = _apply_charts(compared)
    written = []
    for name, data in (("plan_time.png", _plan_chart(results)), ("apply_time.png", times),
                       ("commands.png", commands)):
        path = out / name
        path.write_bytes(data)
        written.append(path)
    return written
