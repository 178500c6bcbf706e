"""Each variant's figures at each apply size, measured or extrapolated, and the ratios to xclone.

A variant measured at small sizes only is extrapolated with a least-squares line through its
measurements, on the quantity that its schedule makes it linear in: the number of LPARs for
the node-by-node runbook (every LPAR runs the same chain after the previous one), the number of
rounds of `parallelism` LPARs for the blocking baseline (each lane is a chain of identical LPAR
chains; the shared steps are the line's intercept).
"""

from __future__ import annotations

import dataclasses
import math
import statistics
from typing import Any

from benchmarks.suite import MODES, Results, fit_line

METRICS = ("wall", "cpu", "sim_cpu", "commands", "critical_path", "modelled", "realtime_model")


def median_of(rows: list[dict[str, Any]], key: str) -> float:
    return float(statistics.median(float(r[key]) for r in rows))


@dataclasses.dataclass(frozen=True)
class Figure:
    """One variant of one driver at one size. `wall` and `cpu` are the executor's run on the
    lab clock (CPU of the whole process; `sim_cpu` the simulator's part of it); `critical` is the
    variant's own critical path and `modelled` its schedule under the executor's limits, both on
    the lab clock (`benchmarks.model`); `realtime` is that schedule in real-cluster seconds."""

    driver: str
    mode: str
    n: int
    wall: float
    cpu: float
    sim_cpu: float
    commands: float
    critical: float
    modelled: float
    realtime: float
    measured: bool
    runs: int
    converged: bool
    observed_path: float | None = None


def _named(values: dict[str, float]) -> dict[str, float]:
    """Result keys as Figure's field names."""
    renamed = {"critical_path": "critical", "realtime_model": "realtime"}
    return {renamed.get(key, key): value for key, value in values.items()}


def _x(mode: str, n: int, parallelism: int) -> float:
    return float(math.ceil(n / parallelism)) if mode == "blocking" else float(n)


def _figures(driver: str, mode: str, by_n: dict[int, list[dict[str, Any]]],
             sizes: tuple[int, ...]) -> dict[int, Figure]:
    found: dict[int, Figure] = {}
    for n, rows in by_n.items():
        values = {key: median_of(rows, key) for key in METRICS}
        found[n] = Figure(driver, mode, n, **_named(values), measured=True, runs=len(rows),
                          converged=all(r["converged"] and r["ok"] for r in rows),
                          observed_path=median_of(rows, "observed_path"))
    missing = [n for n in sizes if n not in found]
    if not missing or not by_n:
        return found
    parallelism = int(next(iter(by_n.values()))[0].get("parallelism", 10))
    fits = {key: fit_line([(_x(mode, n, parallelism), median_of(rows, key))
                           for n, rows in by_n.items()]) for key in METRICS}
    converged = all(f.converged for f in found.values())
    for n in missing:
        x = _x(mode, n, parallelism)
        values = {key: fits[key][0] + fits[key][1] * x for key in METRICS}
        found[n] = Figure(driver, mode, n, **_named(values), measured=False, runs=0,
                          converged=converged)
    return found


def compare(results: Results) -> dict[tuple[str, str], dict[int, Figure]]:
    """(driver, mode) -> LPARs -> figure, at every measured size and every apply size."""
    table: dict[tuple[str, str], dict[int, Figure]] = {}
    for driver in results.settings.drivers:
        for mode in MODES:
            by_n = results.apply.get(f"{driver}/{mode}", {})
            if by_n:
                table[(driver, mode)] = _figures(driver, mode, by_n,
                                                 results.settings.apply_sizes)
    return table


def at(table: dict[tuple[str, str], dict[int, Figure]], driver: str, mode: str,
       n: int) -> Figure | None:
    return table.get((driver, mode), {}).get(n)
