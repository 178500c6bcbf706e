"""`Lab`: one simulated world (an xCAT MN / NIM master and its HMCs) persisted in a directory.

Everything callers need goes through here: seed or open a world, run one command line on one of
its hosts the way a remote shell would, move the clock, inject faults, describe the world.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from xclone.base.digest import digest
from xclone.sim import choices
from xclone.sim.aix.dpasswd import mask
from xclone.sim.commands import handler_for
from xclone.sim.errors import ConnectionDropped, LabError, SimResult
from xclone.sim.faults import ALL_COMMANDS, XCAT_COMMANDS, Fault
from xclone.sim.labfile import check, parse
from xclone.sim.passwords import current
from xclone.sim.seed import populate
from xclone.sim.settle import settle
from xclone.sim.store import DB_NAME, Session, connect, transaction, wipe
from xclone.sim.summary import describe
from xclone.sim.world import Block, Out, World
from xclone.sim.yamlmarks import Marked, mark_plain

STATE_ENV = "XCLONE_LAB_STATE"
XCAT_ONLY = frozenset((*XCAT_COMMANDS, "tabdump", "chtab", "nodels", "nodech"))


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

    # --- making and finding worlds ---
    @classmethod
    def init(cls, lab_file: Path, state_dir: Path) -> Lab:
        """(Re)seed the world in `state_dir` from the lab file."""
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
        spec = parse(text, str(lab_file))
        with lab._session() as session:
            # check again under the write lock: another process may have seeded it meanwhile
            if session.session.meta("digest") != _digest(text):
                wipe(session.conn)
                populate(session.session, spec, _digest(text))
        return lab

    # --- running commands ---
    def hostnames(self) -> dict[str, str]:
        with self._session() as session:
            hosts: dict[str, list[str]] = session.session.meta("hosts", {})
        return {name: kind_face[0] for name, kind_face in sorted(hosts.items())}

    def execute(self, host: str, command: str, stdin: str | None = None, *,
                user: str | None = None, password: str | None = None) -> SimResult:
        kind, face, xcat = self._face(host, user, password)
        try:
            words = shlex.split(command, posix=True)
        except ValueError:
            text = choices.MN_SHELL_SYNTAX.format(text=command[:20])
            return SimResult("", text + "\n", 1 if kind == "mn" else 2)
        while words and "=" in words[0] and words[0].split("=", 1)[0].isidentifier():
            words.pop(0)
        if not words:
            return SimResult("", "", 0)
        name, args = words[0], words[1:]
        handler = handler_for(kind, name)
        if handler is None or (kind == "mn" and not xcat and
                               name.rsplit("/", 1)[-1] in XCAT_ONLY):
            template = choices.MN_SHELL_NOT_FOUND if kind == "mn" else choices.HMC_SHELL_NOT_FOUND
            status = choices.SHELL_NOT_FOUND_STATUS
            return SimResult("", template.format(cmd=name) + "\n", status)
        delay, failure, drop = self._faults(face, name, args)
        if delay > 0:
            time.sleep(delay)
        if failure is not None:
            return SimResult(*failure)
        with self._session() as session:
            world = World(session.session, face, stdin)
            settle(world)
            reply = handler(world, args)
        done = Out()
        while isinstance(reply, Block):
            done.extend(reply.partial)
            block = reply
            time.sleep(world.clock.wall_seconds(block.seconds))
            with self._session() as session:
                world = World(session.session, face, stdin)
                if world.clock.scale <= 0:
                    world.advance(world.duration(block.seconds))
                settle(world)
                reply = block.then(world)
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
            if fault.install is None and fault.refcode is None \
                    and fault.command not in ALL_COMMANDS:
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

    def time_scale(self) -> float:
        """Simulated seconds per real second while time runs on its own (1.0 when the clock is
        instant or frozen): what apply divides its install limits by to wait in lab time."""
        with self._session() as session:
            clock = World(session.session, "", None).clock
        return clock.scale if clock.scale > 0 and not clock.instant else 1.0

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

    def world_summary(self) -> str:
        with self._session() as session:
            world = World(session.session, "", None)
            settle(world)
            text = describe(world)
        return text

    # --- internals ---
    @contextmanager
    def _session(self) -> Iterator[_Open]:
        with closing(connect(self.state_dir)) as conn, transaction(conn) as session:
            yield _Open(conn, session)

    def _face(self, host: str, user: str | None, password: str | None) \
            -> tuple[str, str, bool]:
        """The host's kind and face, and whether it has xCAT's commands (a NIM master without
        xCAT, `xcat: false` in the lab file, has not)."""
        with self._session() as session:
            hosts: dict[str, list[str]] = session.session.meta("hosts", {})
            if host not in hosts:
                raise LabError(f"{host}: no such host in the lab", host=host)
            kind, face = hosts[host]
            xcat = kind == "mn" and (session.session.meta("mn") or {}).get("xcat") is not False
            if kind == "hmc" and password is not None:
                hmc = session.session.get("hmc", face) or {}
                refused = password != current(hmc.get("password"))
                if refused or user not in (None, hmc.get("username")):
                    raise LabError(f"{host}: Permission denied (publickey,password).",
                                   host=host, transient=False)
        return kind, face, xcat

    def _faults(self, face: str, name: str, args: list[str]) \
            -> tuple[float, tuple[str, str, int] | None, bool]:
        """The delay before answering, the answer a striking fault gives, and whether the
        answer is to be lost (a `drop` fault). Also counts the command (`command_counts`)."""
        delay = 0.0
        failure: tuple[str, str, int] | None = None
        drop = False
        with self._session() as session:
            s = session.session
            _count(s, face, name, args)
            world = World(s, face, None)
            delay += float((s.meta("latency") or {}).get(name, 0.0))
            hosts: dict[str, list[str]] = s.meta("hosts", {})
            for key, body in s.all("fault").items():
                data = {k: v for k, v in body.items() if k != "used"}
                fault = Fault.from_json(data)
                target = hosts.get(fault.host, ["", fault.host])[1] if fault.host else None
                if fault.install is not None or not Fault(
                        command=fault.command, host=target, args=fault.args).matches(
                        face, name, args):
                    continue
                delay += fault.latency + fault.hang
                if not fault.counted or (failure is not None and fault.fails) \
                        or (drop and fault.drop):
                    continue
                if fault.times is not None and int(body["used"]) >= fault.times:
                    continue
                if fault.probability is not None and world.chance() >= fault.probability:
                    continue
                body["used"] = int(body["used"]) + 1
                s.put("fault", key, body)
                if fault.drop:
                    drop = True
                else:
                    failure = fault.answer()
        return delay, failure, drop


def _count(s: Session, face: str, name: str, args: list[str]) -> None:
    """One more run of this command line at this face: tests assert that a command whose answer
    was lost was never sent again."""
    key = f"{face} {shlex.join(mask([name, *args]))}"
    body = s.get("count", key) or {"n": 0}
    s.put("count", key, {"n": int(body["n"]) + 1})


class _Open:
    """An open connection and the session of its current transaction."""

    def __init__(self, conn: sqlite3.Connection, session: Session) -> None:
        self.conn = conn
        self.session = session
