"""One measurement in a fresh interpreter: `python -m benchmarks worker JSON` prints a JSON result.

A subprocess per measurement keeps runs from polluting each other (allocator state, caches,
threads left by an earlier apply, peak RSS). Everything here goes through the same objects the
CLI wires together (`xclone/cli/apply.py`): SimTransport over a Lab, observe, make_plan, Executor.
"""

from __future__ import annotations

import cProfile
import logging
import os
import pstats
import resource
import threading
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import structlog

from benchmarks import expand, scenario
from benchmarks.critical import longest_path
from benchmarks.model import Cluster, command_seconds, simulate
from xclone.apply.events import Event
from xclone.apply.executor import ExecOptions, Executor
from xclone.apply.journal import Journal
from xclone.apply.runner import CommandRunner
from xclone.base.command import Command
from xclone.base.log import configure_lazily
from xclone.base.remote import Result, Transport
from xclone.cli.connect import logins_for, targets_for
from xclone.observed.canonical import digest_of
from xclone.observed.observe import observe
from xclone.plan.context import PlanOptions
from xclone.plan.document import Plan
from xclone.plan.planner import make_plan
from xclone.plan.sessions import default_parallelism, session_limits
from xclone.sim import Lab
from xclone.sim.costs import OFF, REALISTIC, Costs
from xclone.sim.xcat.fanout import DEFAULT_MAXSSH, DEFAULT_PPCMAXP
from xclone.spec import Spec, load_spec
from xclone.transport.sim import SimTransport

READ_ONLY = frozenset({"lsdef", "lsnim", "lssyscfg", "lshwres", "lsrefcode", "cat"})
# A real install is polled every 2 s at first, backing off to 30 s (ExecOptions' defaults); on
# the lab those intervals shrink with the clock, so polling costs what it would on a cluster.
REAL_POLL_FIRST, REAL_POLL_MAX = 2.0, 30.0


class Counting:
    """A transport that counts what passes through it, per host and per program."""

    def __init__(self, inner: Transport) -> None:
        self.inner = inner
        self._lock = threading.Lock()
        self.per_host: Counter[str] = Counter()
        self.per_program: Counter[str] = Counter()

    def run(self, host: str, command: Command, *, timeout: float | None = None) -> Result:
        with self._lock:
            self.per_host[host] += 1
            self.per_program[command.name] += 1
        return self.inner.run(host, command, timeout=timeout)

    def close(self) -> None:
        self.inner.close()

    @property
    def total(self) -> int:
        return sum(self.per_host.values())

    @property
    def reads(self) -> int:
        return sum(n for p, n in self.per_program.items() if p in READ_ONLY)


class Timing:
    """An executor sink keeping each action's real duration, for the observed critical path."""

    def __init__(self) -> None:
        self._started: dict[str, float] = {}
        self.seconds: dict[str, float] = {}

    def __call__(self, event: Event) -> None:
        if event.kind == "start":
            self._started[event.action_id] = time.perf_counter()
        elif event.kind in ("done", "partial", "failed") and event.action_id in self._started:
            self.seconds[event.action_id] = time.perf_counter() - self._started[event.action_id]


def _quiet() -> None:
    """Log at WARNING as the CLI does (xclone/cli/logs.py): the events below it are dropped
    before structlog binds them, as in `xclone apply` without `-v`."""
    configure_lazily(logging.WARNING, lambda: structlog.configure(
        wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING)))


def open_lab(task: dict[str, Any]) -> tuple[scenario.Scenario, Spec, Counting, Lab]:
    work = Path(task["workdir"])
    built = scenario.build(int(task["n"]), work, latency=float(task["latency"]),
                           scale=float(task.get("scale", 0.0)),
                           driver=str(task.get("driver", "xcat")), costs=task.get("costs"),
                           maxssh=task.get("maxssh"))
    os.environ.update(built.env)
    lab = Lab.from_dict(built.lab, work / "state", source=f"synthetic-{built.n_lpars}")
    spec = load_spec(built.spec_path)
    return built, spec, Counting(SimTransport(lab, logins_for(spec))), lab


def open_scenario(task: dict[str, Any]) -> tuple[scenario.Scenario, Spec, Counting]:
    built, spec, transport, _ = open_lab(task)
    return built, spec, transport


def cluster_of(spec: Spec, costs: Costs) -> Cluster:
    """The model's view of the spec: each LPAR's HMC and each host's session limit."""
    site = spec.site.attributes
    return Cluster({name: spec.hmcs[lpar.hmc].host for name, lpar in spec.lpars.items()},
                   session_limits(spec), costs,
                   int(site.get("maxssh", DEFAULT_MAXSSH)),
                   int(site.get("ppcmaxp", DEFAULT_PPCMAXP)))


def _sim_cpu(lab: Lab) -> float:
    return sum(seconds for _, seconds in lab.sim_cpu().values())


def observe_and_plan(spec: Spec, transport: Counting) -> Plan:
    observation = observe(transport, targets_for(spec))
    return make_plan(spec, observation.observed, digest_of(observation.observed), PlanOptions())


def measure_plan(task: dict[str, Any]) -> dict[str, Any]:
    """Spec load, observation (commands, time), plan (wall, CPU), then the plan's peak memory in
    a second, untimed pass under tracemalloc (which slows Python down several times)."""
    built, _, transport = open_scenario(task)
    started = time.perf_counter()
    spec = load_spec(built.spec_path)
    load_seconds = time.perf_counter() - started
    started = time.perf_counter()
    observation = observe(transport, targets_for(spec))
    observe_seconds = time.perf_counter() - started
    mn_commands = transport.per_host[spec.management_node.host]
    wall, cpu = time.perf_counter(), time.process_time()
    plan = make_plan(spec, observation.observed, digest_of(observation.observed), PlanOptions())
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    tracemalloc.start()
    make_plan(spec, observation.observed, digest_of(observation.observed), PlanOptions())
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    hot = _profile(lambda: make_plan(spec, observation.observed, digest_of(observation.observed),
                                     PlanOptions())) if task.get("profile") else []
    return {
        "profile": hot,
        "n": built.n_lpars, "hmcs": built.hmcs, "systems": built.systems,
        "load_seconds": load_seconds, "observe_seconds": observe_seconds,
        "observe_commands": transport.total, "observe_mn_commands": mn_commands,
        "plan_wall": wall, "plan_cpu": cpu, "plan_peak_mb": peak / 2**20,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "actions": len(plan.actions),
    }


def _profile(call: Callable[[], object], top: int = 8) -> list[tuple[str, float]]:
    """Where planning spends its time: the share of the profiled total of the heaviest xclone
    planner and networkx algorithm functions (cumulative, so nested entries overlap)."""
    profiler = cProfile.Profile()
    profiler.runcall(call)
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    total = max(ct for (_, _, _, ct, _) in stats.values())
    rows = []
    for (path, _, function), (_, _, _, cumulative, _) in stats.items():
        where = path.replace(os.sep, "/")
        for marker in ("/xclone/plan/", "/networkx/algorithms/"):
            if marker in where and function != "make_plan":
                module = where.split(marker, 1)[1].removesuffix(".py").replace("/", ".")
                rows.append((f"{marker.strip('/').split('/')[-1]}.{module}.{function}",
                             cumulative / total))
    return sorted(rows, key=lambda r: -r[1])[:top]


# Each variant and the parallelism it runs with: the two runbooks are typed one command after
# another; the Terraform-like ones run at Terraform's default -parallelism=10; xclone with
# apply's own default (SESSIONS: xclone/plan/sessions.py, every session the spec gives its
# hosts), so each host's max_sessions decides (the NIM driver's 1,000 lpar_netboots, one per
# LPAR and 3 minutes each, would otherwise use 10 of 32 HMC sessions).
SESSIONS = 0
VARIANTS: dict[str, tuple[Callable[[Plan], Plan], int]] = {
    "xclone": (lambda plan: plan, SESSIONS),
    "runbook-noderanges": (expand.runbook_noderanges, 1),
    "runbook-node": (expand.runbook, 1),
    "blocking": (expand.blocking, 10),
    "per-resource": (expand.per_resource, 10),
}


def _variant(plan: Plan, mode: str) -> tuple[Plan, int]:
    if mode not in VARIANTS:
        raise ValueError(f"unknown apply mode {mode!r}")
    build, parallelism = VARIANTS[mode]
    return build(plan), parallelism


def measure_apply(task: dict[str, Any]) -> dict[str, Any]:
    """Observe and plan, turn the plan into the chosen variant, run it, then check the cluster
    converged (a fresh plan is empty). Wall and CPU are the executor's run alone, in this one
    process that also holds the lab (the simulator's CPU is part of it)."""
    built, spec, transport, lab = open_lab(task)
    scale = float(task["scale"])
    plan = observe_and_plan(spec, transport)
    variant, parallelism = _variant(plan, str(task["mode"]))
    mn = spec.management_node
    limits = session_limits(spec)
    parallelism = int(task.get("parallelism") or parallelism or default_parallelism(spec))
    costs = REALISTIC if task.get("costs") == "realistic" else OFF
    cluster = cluster_of(spec, costs)
    path = simulate(variant.actions, cluster)
    modelled = simulate(variant.actions, cluster, parallelism=parallelism, limited=True)
    counted = Counting(transport.inner)
    runner = CommandRunner(counted, Journal(Path(task["workdir"]) / "runs"), limits, parallelism)
    options = ExecOptions(parallelism=parallelism, host_limits=limits, mn_name=mn.xcat_name,
                          command_timeout=float(spec.site.timeouts.command), backoff=0.05,
                          poll_first=REAL_POLL_FIRST / scale, poll_max=REAL_POLL_MAX / scale,
                          time_scale=scale)
    timing = Timing()
    sim_cpu = _sim_cpu(lab)
    started, cpu = time.perf_counter(), time.process_time()
    summary = Executor(variant, runner, options, timing, threading.Event()).run()
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    sim_cpu = _sim_cpu(lab) - sim_cpu
    observed, _ = longest_path(variant.actions, lambda a: timing.seconds.get(a.id, 0.0))
    after = observe_and_plan(spec, Counting(transport.inner))
    return {
        "n": built.n_lpars, "mode": task["mode"], "driver": spec.driver, "wall": wall,
        "cpu": cpu, "ok": summary.ok,
        "failed": len(summary.failed), "skipped": len(summary.skipped),
        "failures": [str(f)[:300] for f in list(summary.failed)[:3]],
        "converged": after.empty, "left": _left(after), "commands": counted.total,
        "reads": counted.reads,
        "per_host": dict(counted.per_host), "per_program": dict(counted.per_program),
        "actions": len(variant.actions), "parallelism": parallelism,
        "sim_cpu": sim_cpu,
        # the model's figures in real-cluster seconds, and on this lab's clock
        "critical_realtime": path.seconds, "realtime_model": modelled.seconds,
        "critical_path": path.seconds / scale, "modelled": modelled.seconds / scale,
        "observed_path": observed,
        "timing": [[a.kind.value, max(len(a.nodes), 1), timing.seconds.get(a.id, 0.0),
                    command_seconds(a, cluster) / scale] for a in variant.actions]
        if task["mode"] == "xclone" else [],
    }


def measure_masters(task: dict[str, Any]) -> dict[str, Any]:
    """A driver's apply of N LPARs on k install servers (NIM masters or xCAT service nodes),
    planned against the lab and modelled with the realistic costs (benchmarks/masters.py):
    real-cluster seconds, not a lab run."""
    from benchmarks import masters

    cpu = time.process_time()
    driver = str(task.get("driver", "nim"))
    m = masters.modelled(int(task["n"]), int(task["masters"]), Path(task["workdir"]), driver)
    return {"driver": driver, "n": m.n_lpars, "masters": m.masters, "seconds": m.seconds,
            "critical": m.critical,
            "bound": m.bound, "ratio": m.ratio, "cpu": time.process_time() - cpu}


def _left(plan: Plan, most: int = 5) -> list[str]:
    """What a plan after the run still wants, for a run that did not converge (a few)."""
    return [f"{a.kind.value} {' '.join(a.nodes) or a.before[-1]}" for a in plan.actions[:most]]


def run_task(task: dict[str, Any]) -> dict[str, Any]:
    _quiet()
    if task["task"] == "plan":
        return measure_plan(task)
    if task["task"] == "apply":
        return measure_apply(task)
    if task["task"] == "masters":
        return measure_masters(task)
    if task["task"] in ("process", "startup", "sshd"):
        from benchmarks import process

        measure = {"process": process.measure_plans, "startup": process.measure_startup,
                   "sshd": process.measure_sshd}[task["task"]]
        return measure(task)
    raise ValueError(f"unknown task {task['task']!r}")

