"""`Lab`: one simulated world (an xCAT MN / NIM master and its HMCs) persisted in a directory.

Everything callers need goes through here: seed or open a world, run one command line on one of
its hosts the way a remote shell would, move the clock, inject faults, describe the world.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager, nullcontext
from pathlib import Path
from typing import Any

from xclone.sim import run
from xclone.sim.clock import Clock
from xclone.sim.errors import ConnectionDropped, LabError, SimResult
from xclone.sim.faults import ALL_COMMANDS, Fault
from xclone.sim.settle import settle
from xclone.sim.store import DB_NAME, Session, connect, kept, transaction, wipe
from xclone.sim.world import Block, Out, Reply, World

# Seeding (YAML, the lab-file checker, the seed rows) and `world_summary` import their modules
# when called: `lab serve` starts one process per command, which needs none of them.

STATE_ENV = "XCLONE_LAB_STATE"


def _read(lab_file: Path) -> str:
    try:
        return lab_file.read_text(encoding="utf-8")
    except OSError as exc:
        raise LabError(f"{lab_file}: cannot read lab file ({exc.strerror})") from None


def _digest(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


class Lab:
    """A world on disk; every method opens its own short transaction, so Labs in several
    processes (or threads) may share one state directory."""

    def __init__(self, state_dir: Path) -> None:
        self.state_dir = state_dir
        # Why `for_file` seeded the world just now ("first use", "the lab file changed"), or
        # None: a reseed throws the world away, which the CLI says rather than doing silently.
        self.seeded: str | None = None

    # --- making and finding worlds ---
    @classmethod
    def init(cls, lab_file: Path, state_dir: Path) -> Lab:
        """(Re)seed the world in `state_dir` from the lab file."""
        from xclone.sim.labfile import parse
        from xclone.sim.seed import populate

        text = _read(lab_file)
        spec = parse(text, str(lab_file))
        lab = cls(state_dir)
        with lab._session() as session:
            wipe(session.conn)
            populate(session.session, spec, _digest(text))
        return lab

    @classmethod
    def from_dict(cls, data: dict[str, Any], state_dir: Path, source: str = "<lab>") -> Lab:
        """Seed a world from a lab document built in Python (benchmarks: see `generate.py`),
        skipping YAML, which is slow for 10,000 LPARs."""
        from xclone.base.digest import digest
        from xclone.sim.labfile import check
        from xclone.sim.seed import populate
        from xclone.sim.yamlmarks import Marked, mark_plain

        root = mark_plain(data, source)
        if not isinstance(root, Marked):
            raise LabError(f"{source}: a lab is a mapping")
        spec = check(root, source)
        lab = cls(state_dir)
        with lab._session() as session:
            wipe(session.conn)
            populate(session.session, spec, digest(data))
        return lab

    @classmethod
    def open(cls, state_dir: Path) -> Lab:
        if not (state_dir / DB_NAME).exists():
            raise LabError(f"{state_dir}: no lab world here (run `xclone lab init LAB` first)")
        lab = cls(state_dir)
        with lab._session() as session:
            if session.session.meta("mn") is None:
                raise LabError(f"{state_dir}: the lab world is empty (run `xclone lab init`)")
        return lab

    @classmethod
    def for_file(cls, lab_file: Path, state_root: Path | None = None, *,
                 state_dir: Path | None = None) -> Lab:
        """The world of `--lab FILE`, seeded on first use and again whenever the file changes.

        Its state lives in `<state_root>/<file stem>` (root: $XCLONE_LAB_STATE, else
        ./.xclone/lab), or exactly in `state_dir` when given."""
        root = state_root or Path(os.environ.get(STATE_ENV) or Path(".xclone") / "lab")
        state_dir = state_dir or root / lab_file.stem
        text = _read(lab_file)
        lab = cls(state_dir)
        if (state_dir / DB_NAME).exists():
            with lab._session() as session:
                if session.session.meta("digest") == _digest(text):
                    return lab
        from xclone.sim.labfile import parse
        from xclone.sim.seed import populate

        spec = parse(text, str(lab_file))
        with lab._session() as session:
            # check again under the write lock: another process may have seeded it meanwhile
            before = session.session.meta("digest")
            if before != _digest(text):
                wipe(session.conn)
                populate(session.session, spec, _digest(text))
                lab.seeded = "first use" if before is None else "the lab file changed"
        return lab

    # --- running commands ---
    def hostnames(self) -> dict[str, str]:
        with self._session() as session:
            hosts: dict[str, list[str]] = session.session.meta("hosts", {})
        return {name: kind_face[0] for name, kind_face in sorted(hosts.items())}

    def execute(self, host: str, command: str, stdin: str | None = None, *,
                user: str | None = None, password: str | None = None,
                startup_cpu: float = 0.0) -> SimResult:
        """Run one command line at `host`'s shell.

        The thread's kept connection (`store.kept`) and, unless the command has to wait, one
        transaction: the host check, the count, the faults and the handler share it. A wait (a
        fault's delay, the command's cost on a running clock, a blocking command) releases the
        world meanwhile. The CPU the
        lab spends on the command is recorded (`sim_cpu`); `startup_cpu` is what the calling
        process spent before (`lab serve`'s login process: interpreter and imports)."""
        began = time.thread_time()
        with nullcontext(kept(self.state_dir)) as conn:
            with transaction(conn) as s:
                kind, face, xcat = run.face(s, host, user, password)
                found = run.words(kind, xcat, command)
                if isinstance(found, SimResult):
                    return found
                name, args, handler = found
                delay, failure, drop = run.faults(s, face, name, args)
                world = World(s, face, stdin)
                cost = world.duration(world.costs.command_seconds(name))
                if failure is None and cost > 0 and world.clock.scale <= 0:
                    world.advance(cost)  # a frozen clock: the command's time passes at once
                    cost = 0.0
                wait = delay + world.clock.wall_seconds(cost)
                reply: Reply | None = None
                if failure is None and wait <= 0:
                    reply = run.handle(world, handler, args)
                    if not isinstance(reply, Block):
                        run.account(s, name, time.thread_time() - began, startup_cpu)
            if wait > 0:
                time.sleep(wait)
            if failure is run.REFUSED:
                raise LabError(f"{host}: ssh: connect to host {host} port 22: Connection "
                               "refused", host=host, transient=True)
            if failure is not None:
                return SimResult(*failure)
            if reply is None:
                with transaction(conn) as s:
                    world = World(s, face, stdin)
                    reply = run.handle(world, handler, args)
                    if not isinstance(reply, Block):
                        run.account(s, name, time.thread_time() - began, startup_cpu)
            done = Out()
            while isinstance(reply, Block):
                done.extend(reply.partial)
                block = reply
                time.sleep(world.clock.wall_seconds(block.seconds))
                with transaction(conn) as s:
                    world = World(s, face, stdin)
                    if world.clock.scale <= 0:
                        world.advance(world.duration(block.seconds))
                    settle(world)
                    reply = block.then(world)
                    if not isinstance(reply, Block):
                        run.account(s, name, time.thread_time() - began, startup_cpu)
            done.extend(reply)
        if drop:
            raise ConnectionDropped(f"{host}: connection dropped after {name} ran", host=host)
        return SimResult("".join(done.stdout), "".join(done.stderr), done.status)

    def advance(self, seconds: float) -> None:
        with self._session() as session:
            world = World(session.session, "", None)
            world.advance(seconds)
            settle(world)

    def add_fault(self, fault: Fault) -> None:
        with self._session() as session:
            s = session.session
            script = (fault.command or "").startswith("/")  # a site script by its path
            if fault.install is None and fault.refcode is None and not fault.down \
                    and fault.command not in ALL_COMMANDS and not script:
                raise LabError(f"fault names an unknown command '{fault.command}'")
            hosts: dict[str, list[str]] = s.meta("hosts", {})
            if fault.host is not None and fault.host not in hosts:
                raise LabError(f"{fault.host}: no such host in the lab")
            count = int(s.meta("faults", 0))
            s.put("fault", f"{count:06d}", {**fault.to_json(), "used": 0})
            s.set_meta("faults", count + 1)

    def clear_faults(self) -> None:
        """The faults end: what an operator does after fixing the cause (tests of reruns)."""
        with self._session() as session:
            for key in session.session.all("fault"):
                session.session.delete("fault", key)

    def now(self) -> float:
        """The lab clock now: simulated seconds since the Unix epoch (UTC)."""
        with self._session() as session:
            return World(session.session, "", None).now

    def time_scale(self) -> float:
        """Simulated seconds per real second while time runs on its own (1.0 when the clock is
        instant or frozen): what apply divides its install limits by to wait in lab time."""
        with self._session() as session:
            clock = World(session.session, "", None).clock
        return clock.scale if clock.scale > 0 and not clock.instant else 1.0

    def set_scale(self, scale: float) -> None:
        """Run the clock at `scale` from now on (0 freezes it), lab time going on from where it
        is: a test holds the world at a moment (a boot under way) and lets it run again."""
        with self._session() as session:
            world = World(session.session, "", None)
            clock = Clock(world.now, time.time(), scale, world.clock.instant)
            session.session.set_meta("clock", clock.to_json())

    def command_counts(self) -> dict[str, int]:
        """How many times each command line ran, keyed `FACE COMMAND ARGS...` (env words and
        stdin left out), counted when the lab received it, before any fault or delay."""
        with self._session() as session:
            return {k: int(v["n"]) for k, v in sorted(session.session.all("count").items())}

    def netboot_peaks(self) -> dict[str, int]:
        """The most `lpar_netboot` commands that ever ran at once against each HMC (by HMC
        name): what proves a per-HMC session limit held."""
        with self._session() as session:
            sessions: dict[str, dict[str, Any]] = session.session.meta("netboot_sessions") or {}
        return {face: int(counts["peak"]) for face, counts in sorted(sessions.items())}

    def sim_cpu(self) -> dict[str, tuple[int, float]]:
        """The CPU the lab itself spent, per command name: (calls, seconds), counted from the
        moment `execute` was called to its answer (sleeps excluded), plus, under `lab serve`,
        each login process's start-up under "(process start)". What a benchmark subtracts to
        report xclone's own share of an apply's CPU."""
        with self._session() as session:
            table: dict[str, list[Any]] = session.session.meta(run.SIM_CPU) or {}
        return {k: (int(v[0]), float(v[1])) for k, v in sorted(table.items())}

    def world_summary(self) -> str:
        with self._session() as session:
            world = World(session.session, "", None)
            settle(world)
            from xclone.sim.summary import describe

            text = describe(world)
        return text

    # --- internals ---
    @contextmanager
    def _session(self) -> Iterator[_Open]:
        with closing(connect(self.state_dir)) as conn, transaction(conn) as session:
            yield _Open(conn, session)

class _Open:
    """An open connection and the session of its current transaction."""

    def __init__(self, conn: sqlite3.Connection, session: Session) -> None:
        self.conn = conn
        self.session = session
