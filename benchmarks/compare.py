"""xclone against its baselines at each apply size; the runbook extrapolated where unmeasured."""

from __future__ import annotations

import dataclasses
import statistics
from typing import Any

from benchmarks.suite import Results, fit_line


def median_of(rows: list[dict[str, Any]], key: str) -> float:
    return float(statistics.median(float(r[key]) for r in rows))


@dataclasses.dataclass(frozen=True)
class Compared:
    """One apply size: xclone against both baselines (runbook possibly extrapolated)."""

    n: int
    xclone_wall: float
    xclone_commands: float
    critical: float
    observed_path: float
    per_resource_wall: float | None
    per_resource_commands: float | None
    runbook_wall: float
    runbook_commands: float
    runbook_measured: bool


def compare(results: Results) -> list[Compared]:
    apply = results.apply
    runbook = apply.get("runbook", {})
    wall_fit = fit_line([(n, median_of(rows, "wall")) for n, rows in runbook.items()])
    cmd_fit = fit_line([(n, median_of(rows, "commands")) for n, rows in runbook.items()])
    rows: list[Compared] = []
    for n, mine in sorted(apply.get("xclone", {}).items()):
        per = apply.get("per-resource", {}).get(n)
        measured = n in runbook
        rows.append(Compared(
            n, median_of(mine, "wall"), median_of(mine, "commands"),
            median_of(mine, "critical_path"), median_of(mine, "observed_path"),
            median_of(per, "wall") if per else None, median_of(per, "commands") if per else None,
            median_of(runbook[n], "wall") if measured else wall_fit[0] + wall_fit[1] * n,
            median_of(runbook[n], "commands") if measured else cmd_fit[0] + cmd_fit[1] * n,
            measured))
    return rows
