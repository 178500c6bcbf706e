"""Whole-process measurements: `xclone plan` of N LPARs from a snapshot, `xclone --version`, the
seed plan from a snapshot and the seed applied over a real sshd (`lab serve`), each a fresh
`python -m xclone` whose CPU (user + sys) and peak RSS come from `os.wait4` for that one child.

Interpreter start-up, imports, loading and validating the spec, reading the snapshot, planning
and writing the text plan to a file are all in the figure: what a user's shell would report
with `/usr/bin/time`. The snapshot is recorded once per size from the benchmark's synthetic lab
(`benchmarks.scenario`), so the plan creates every LPAR, the largest plan a cluster of that
size can have. The child runs with its bytecode cached (`PYTHONPYCACHEPREFIX` in the scratch
directory, warmed by a first run that is not counted), as an installed xclone has it: a
`PYTHONDONTWRITEBYTECODE` left in the caller's environment would otherwise make every run
compile every module again.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks import scenario

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "specs" / "examples"
SEED_SPEC, SEED_LAB = "seed-cluster.yaml", "seed-lab.yaml"
SEED_ENV = {"HMC01_PASSWORD": "abc123"}
# A fixed amount of pure-Python work: this machine's speed at the time of the run, so CPU
# figures from runs on different (or differently loaded) machines can be compared.
LOOP = "total = 0\nfor i in range(10_000_000):\n    total += i"
# The login measured alone: a read-only command (the observation's node table) sent to the seed
# lab's management node, so repeating it changes nothing but the lab's command counts.
LOGIN_HOST, LOGIN_COMMAND = "xcataixmn", "lsdef -t node -l"


@dataclass(frozen=True)
class Recorded:
    """A spec and the snapshot of the lab it plans against."""

    n_lpars: int
    spec_path: Path
    snapshot: Path
    env: dict[str, str]


@dataclass(frozen=True)
class Usage:
    """One child process: CPU seconds (user + sys), peak RSS in MiB, wall seconds, how many
    bytes it wrote to stdout and its exit status."""

    cpu: float
    rss_mib: float
    wall: float
    out_bytes: int
    exit_code: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"cpu": self.cpu, "rss_mib": self.rss_mib, "wall": self.wall,
                "out_bytes": self.out_bytes}


def _quiet() -> None:
    import structlog

    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))


def _snapshot_of(spec_path: Path, lab: Any, env: dict[str, str], where: Path) -> Path:
    """Observe `lab` for the spec as `xclone observe --save` does; the snapshot's directory."""
    from xclone.cli.connect import logins_for, targets_for
    from xclone.observed.observe import observe
    from xclone.observed.snapshot import save_snapshot
    from xclone.spec import load_spec
    from xclone.transport.sim import SimTransport

    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        spec = load_spec(spec_path)
        transport = SimTransport(lab, logins_for(spec))
        try:
            observation = observe(transport, targets_for(spec))
        finally:
            transport.close()
        return save_snapshot(where / "snapshot", observation.entries,
                             datetime.now(UTC)).parent
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def record(n_lpars: int, where: Path, *, driver: str = "xcat") -> Recorded:
    """The benchmark's synthetic lab of N LPARs, freshly seeded (nothing defined yet), its spec
    and snapshot under `where`."""
    from xclone.sim import Lab

    _quiet()
    built = scenario.build(n_lpars, where, latency=0.0, scale=0.0, driver=driver)
    lab = Lab.from_dict(built.lab, where / "state", source=f"synthetic-{n_lpars}")
    return Recorded(n_lpars, built.spec_path, _snapshot_of(built.spec_path, lab, built.env, where),
                    built.env)


def _seed_files(where: Path) -> tuple[Path, Path]:
    where.mkdir(parents=True, exist_ok=True)
    spec, lab = where / SEED_SPEC, where / SEED_LAB
    shutil.copyfile(EXAMPLES / SEED_SPEC, spec)
    shutil.copyfile(EXAMPLES / SEED_LAB, lab)
    return spec, lab


def record_seed(where: Path) -> Recorded:
    """The seed spec (specs/examples) and a snapshot of its freshly seeded lab."""
    from xclone.sim import Lab

    _quiet()
    spec, lab_file = _seed_files(where)
    lab = Lab.init(lab_file, where / "state")
    return Recorded(2, spec, _snapshot_of(spec, lab, SEED_ENV, where), dict(SEED_ENV))


def child_env(cache: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a measured child: this checkout first on the path, no colour, and
    bytecode cached in `cache` whatever the caller's PYTHONDONTWRITEBYTECODE says."""
    env = {**os.environ, **(extra or {}), "NO_COLOR": "1", "PYTHONPYCACHEPREFIX": str(cache)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


# The measured command runs as a grandchild: Linux carries a forked child's memory high-water
# mark over its exec (the parent's RSS would be the child's floor: a benchmark worker holding a
# lab of 50,000 LPARs), so a small interpreter forks it and reports its `os.wait4` figures.
_LAUNCHER = """
import json, os, sys, time
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.dup2(fd, 1)
    os.execv(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
print(json.dumps([usage.ru_utime + usage.ru_stime, usage.ru_maxrss, time.perf_counter() - started,
                  os.waitstatus_to_exitcode(status)]))
"""


def run_child(argv: list[str], where: Path, *, env: dict[str, str] | None = None,
              out: Path | None = None, cache: Path | None = None) -> Usage:
    """Run `python ARGV...` in `where`, stdout to `out` (or /dev/null), bytecode cached in
    `cache` (default `where`/pycache), and return its own
    usage as `os.wait4` reports it for that one process (RUSAGE_CHILDREN would sum every child
    waited for)."""
    target = out if out is not None else Path(os.devnull)
    done = subprocess.run([sys.executable, "-I", "-S", "-c", _LAUNCHER, str(target),
                           sys.executable, *argv], cwd=where,
                          env=child_env(cache or where / "pycache", env),
                          stdin=subprocess.DEVNULL, capture_output=True, check=False)
    try:
        cpu, rss_kib, wall, code = json.loads(done.stdout)
    except ValueError:
        code, cpu, rss_kib, wall = done.returncode or 1, 0.0, 0, 0.0
    if code not in (0, 2):  # 2: changes, under --detailed-exitcode
        text = done.stderr.decode(errors="replace")[-2000:]
        raise RuntimeError(f"python {' '.join(argv)} exited {code}: {text}")
    return Usage(cpu, rss_kib / 1024, wall, target.stat().st_size if out is not None else 0,
                 code)


def plan_argv(recorded: Recorded) -> list[str]:
    return ["-m", "xclone", "plan", str(recorded.spec_path), "--snapshot",
            str(recorded.snapshot)]


def seed_over_sshd(where: Path, *, cache: Path | None = None) -> dict[str, Any]:
    """The seed spec applied with `python -m xclone apply` over SSH to its lab behind a real
    sshd (`LabServer`, what `xclone lab serve` runs), as tests/apply/test_apply_ssh.py does;
    then a second plan must be empty (exit 0 under --detailed-exitcode). Wall is the apply
    process's; its CPU leaves out the lab's login processes (children of sshd, not of it)."""
    from xclone.sim import Lab
    from xclone.sim.serve import LabServer

    spec, lab_file = _seed_files(where)
    state = where / "served"
    Lab.init(lab_file, state)
    with LabServer(state, run_dir=where / "run") as server:
        ssh = ["--ssh-config", str(server.ssh_config), "--known-hosts", str(server.known_hosts)]
        applied = run_child(["-m", "xclone", "apply", str(spec), *ssh, "--auto-approve"], where,
                            env=SEED_ENV, cache=cache)
        again = run_child(["-m", "xclone", "plan", str(spec), *ssh, "--detailed-exitcode"],
                          where, env=SEED_ENV, cache=cache)
    return {**applied.as_dict(), "converged": again.exit_code == 0}


def phases(recorded: Recorded) -> dict[str, float]:
    """CPU seconds of the plan's stages, run again in this process (imports already done, the
    collector paused as `xclone plan` pauses it): loading and validating the spec, reading the
    snapshot and parsing the observation, planning, and rendering the text. Whatever the whole
    process spends beyond their sum is start-up, imports and writing the output."""
    from xclone.cli.planning import collector_paused, observe_state
    from xclone.observed.snapshot import load_snapshot, snapshot_file
    from xclone.plan.context import PlanOptions
    from xclone.plan.planner import make_plan
    from xclone.render.text import plain_text
    from xclone.spec import load_spec
    from xclone.transport.snapshot import SnapshotTransport

    saved = {name: os.environ.get(name) for name in recorded.env}
    os.environ.update(recorded.env)
    took: dict[str, float] = {}
    clock = time.process_time
    try:
        with collector_paused():
            started = clock()
            spec = load_spec(recorded.spec_path)
            took["load"] = clock() - started
            started = clock()
            entries = load_snapshot(snapshot_file(recorded.snapshot)).entries
            observed, digest = observe_state(spec, SnapshotTransport(entries))
            took["observe"] = clock() - started
            started = clock()
            plan = make_plan(spec, observed, digest, PlanOptions(),
                             source=f"snapshot {recorded.snapshot}")
            took["plan"] = clock() - started
            started = clock()
            plain_text(plan)
            took["render"] = clock() - started
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return took


def measure_plans(task: dict[str, Any]) -> dict[str, Any]:
    """The worker's `process` task: record N LPARs' snapshot, then `runs` whole-process plans
    of it (the first of which is preceded by an uncounted one when the bytecode cache is cold),
    and the in-process phases of one more."""
    where = Path(task["workdir"])
    cache = Path(task.get("pycache") or where / "pycache")
    recorded = record(int(task["n"]), where)
    out = where / "plan.txt"
    runs = [run_child(plan_argv(recorded), where, env=recorded.env, out=out, cache=cache)
            for _ in range(int(task.get("runs", 1)))]
    text = out.read_text(encoding="utf-8")
    return {"n": recorded.n_lpars, "runs": [u.as_dict() for u in runs],
            "lines": text.count("\n"), "commands": text.count("] run ") + text.count("] wait "),
            "summary": text.rstrip("\n").rsplit("\n", 1)[-1], "phases": phases(recorded)}


def login_argv(state: Path) -> list[str]:
    """The interpreter's arguments of one `lab serve` login, exactly as sshd runs it
    (`xclone.sim.serve.login_argv`, whose `env PYTHONPATH=...` prefix `child_env` stands in
    for), for the seed lab's management node."""
    from xclone.sim.serve import login_argv as served

    argv = served(state.resolve(), LOGIN_HOST)
    return argv[argv.index(sys.executable) + 1:]


def measure_startup(task: dict[str, Any]) -> dict[str, Any]:
    """The worker's `startup` task: a warm-up of each command fills the bytecode cache the
    other tasks share, then `runs` of `python -c pass` (the floor), a fixed pure-Python loop
    (the machine's speed), `xclone --version`, `xclone plan` of the seed spec from a
    snapshot of its lab, and one `lab serve` login process answering `lsdef -t node -l` from
    that lab (what sshd starts for each command sent to it)."""
    where = Path(task["workdir"])
    cache = Path(task.get("pycache") or where / "pycache")
    seed = record_seed(where / "seed")
    commands = {"bare": ["-c", "pass"], "loop": ["-c", LOOP],
                "version": ["-m", "xclone", "--version"], "seed-plan": plan_argv(seed),
                "login": login_argv(where / "seed" / "state")}
    env = {**seed.env, "SSH_ORIGINAL_COMMAND": LOGIN_COMMAND}
    found: dict[str, list[dict[str, Any]]] = {}
    for name, argv in commands.items():
        run_child(argv, where, env=env, cache=cache)  # warm-up, not counted
        found[name] = [run_child(argv, where, env=env, cache=cache).as_dict()
                       for _ in range(int(task.get("runs", 1)))]
    return found


def measure_sshd(task: dict[str, Any]) -> dict[str, Any]:
    """The worker's `sshd` task: the seed applied over a real sshd, or why it could not be."""
    from xclone.sim.sshd import DEFAULT_SSHD

    if not DEFAULT_SSHD.exists() or shutil.which("ssh-keygen") is None:
        return {"skipped": f"no OpenSSH sshd at {DEFAULT_SSHD} or no ssh-keygen"}
    where = Path(task["workdir"])
    return seed_over_sshd(where, cache=Path(task.get("pycache") or where / "pycache"))
