"""The world on disk: one SQLite row per object with a JSON body, changed in short transactions.

Every command runs inside one `BEGIN IMMEDIATE` transaction, so two processes (two xclone runs,
several sshd forced commands) never lose each other's updates, and a command touching one node
rewrites one row, not the world. Rows carry a `grp` (e.g. the managed system of an LPAR) for
cheap partial scans and a `due` time when a lazy state change is pending (see `settle`).
"""

from __future__ import annotations

import atexit
import json
import os
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager, nullcontext
from pathlib import Path
from typing import Any, TypeVar

Body = dict[str, Any]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS objects (
    kind TEXT NOT NULL, name TEXT NOT NULL, grp TEXT, due REAL, body TEXT NOT NULL,
    PRIMARY KEY (kind, name));
CREATE INDEX IF NOT EXISTS objects_grp ON objects (kind, grp);
CREATE INDEX IF NOT EXISTS objects_due ON objects (due) WHERE due IS NOT NULL;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

DB_NAME = "world.db"


class _Keep:
    """Marks an argument left out of `Session.put`: keep what is stored."""


KEEP = _Keep()


class _Connection(sqlite3.Connection):
    """A connection carrying its world's in-process write lock (`transaction`)."""

    writer: threading.RLock


_WRITERS: dict[str, threading.RLock] = {}
_WRITERS_LOCK = threading.Lock()


def _writer(path: Path) -> threading.RLock:
    """One lock per world file in this process: its threads queue for the write transaction
    here, woken the moment it ends, instead of in SQLite's busy handler, which sleeps up to
    100 ms between tries (a minute of lab time on a clock running 600x)."""
    name = os.path.abspath(path)
    with _WRITERS_LOCK:
        return _WRITERS.setdefault(name, threading.RLock())


def connect(state_dir: Path, *, any_thread: bool = False) -> sqlite3.Connection:
    """A connection to the world in `state_dir`; `any_thread` lets another thread close it (a
    connection kept for its thread is closed by whichever thread frees that thread's state)."""
    state_dir.mkdir(parents=True, exist_ok=True)
    path = state_dir / DB_NAME
    known = _held(path)
    conn = sqlite3.connect(path, timeout=60.0, isolation_level=None, factory=_Connection,
                           check_same_thread=not any_thread)
    conn.writer = _writer(path)
    # A lab world must survive a killed process (the crash tests kill applies and sshd's
    # commands), which SQLite guarantees without syncing; only a power cut needs the sync, and
    # syncing made creating a world and every checkpoint wait for the disk.
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA busy_timeout=60000")
    if not known:  # WAL mode and the tables persist in the file: set up once per file
        conn.execute("PRAGMA journal_mode=WAL")
    if not known:
        conn.executescript(_SCHEMA)
        _hold_open(path)
    return conn


_HELD: OrderedDict[tuple[int, int], sqlite3.Connection] = OrderedDict()
_HELD_LOCK = threading.Lock()
HELD_WORLDS = 8  # worlds a process keeps a spare connection to (tests touch many, one at a time)


def _file_key(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    return (info.st_dev, info.st_ino)


def _held(path: Path) -> bool:
    """Whether this process holds a spare connection to exactly this file (and so set it up).

    The spare keeps the file open, so its inode cannot be reused by another file meanwhile:
    a world deleted and made again at the same path is a new key."""
    key = _file_key(path)
    with _HELD_LOCK:
        if key is None or key not in _HELD:
            return False
        _HELD.move_to_end(key)
        return True


def _hold_open(path: Path) -> None:
    """Keep one idle connection to each recently used world open in this process.

    When the last connection to a WAL database closes, SQLite checkpoints the log into the file
    and syncs it to disk; every lab command opens and closes its own connection, so without a
    spare one each command paid that flush (about 10 ms, most of an in-process command's cost).
    The spare holds no lock between statements, so other processes and threads are unaffected.
    """
    key = _file_key(path)
    spare = sqlite3.connect(path, timeout=60.0, isolation_level=None, check_same_thread=False)
    spare.execute("PRAGMA synchronous=OFF")  # its close checkpoints: no sync then either
    spare.execute("SELECT 1 FROM meta LIMIT 1").fetchall()  # attach it to the shared log
    with _HELD_LOCK:
        if key is None or key in _HELD:
            spare.close()
            return
        _HELD[key] = spare
        while len(_HELD) > HELD_WORLDS:
            _HELD.popitem(last=False)[1].close()


_Kept = tuple[int, "tuple[int, int] | None", sqlite3.Connection]  # pid, file key, connection


class _ThreadConnections(OrderedDict[str, _Kept]):
    """One thread's kept connections, closed when the thread ends and frees its local state.

    Left to the garbage collector, a connection (which sits in reference cycles with its
    statement cache) held its three files (database, log, shared memory) open until the next
    full collection: each lab command run under a timeout gets a thread of its own, and a long
    test run reached thousands of open files."""

    def __del__(self) -> None:
        pid = os.getpid()
        for owner, _, conn in self.values():
            if owner == pid:
                conn.close()


_THREAD = threading.local()  # each thread's kept connections (`kept`)


def kept(state_dir: Path) -> sqlite3.Connection:
    """This thread's connection to the world in `state_dir`, opened on its first command there
    and kept for the next ones: a connection per command paid its opening and the preparation
    of every statement again, about a third of a plain command's CPU. A world file made anew
    since (another inode) or a forked child (another pid) gets a new connection; a thread keeps
    at most HELD_WORLDS."""
    path = state_dir / DB_NAME
    name, pid, file = os.path.abspath(path), os.getpid(), _file_key(path)
    conns: _ThreadConnections = _THREAD.__dict__.setdefault("conns", _ThreadConnections())
    found = conns.pop(name, None)
    if found is not None and found[:2] == (pid, file) and file is not None:
        conns[name] = found
        return found[2]
    if found is not None and found[0] == pid:
        found[2].close()
    conn = connect(state_dir, any_thread=True)
    conns[name] = (pid, _file_key(path), conn)
    while len(conns) > HELD_WORLDS:
        old_pid, _, old = conns.popitem(last=False)[1]
        if old_pid == pid:
            old.close()
    return conn


def copy_world(source_dir: Path, target_dir: Path) -> None:
    """Make `target_dir` (holding no world yet) an exact copy of the world in `source_dir`.

    Tests seed one world per lab file and copy it per case instead of parsing and seeding the
    same YAML hundreds of times. SQLite's online backup copies a consistent state even while the
    source's log holds commits; the copy is written unjournalled and unsynced (a half-written new
    file is simply not a world yet), and keeps the source's WAL mode, which lives in the file.
    """
    target_dir.mkdir(parents=True, exist_ok=True)
    with closing(connect(source_dir)) as source, \
            closing(sqlite3.connect(target_dir / DB_NAME, isolation_level=None)) as target:
        target.execute("PRAGMA synchronous=OFF")
        target.execute("PRAGMA journal_mode=OFF")
        source.backup(target)


@atexit.register
def _release_held() -> None:
    with _HELD_LOCK:
        while _HELD:
            _HELD.popitem()[1].close()


T = TypeVar("T")
PARSED_KEPT = 64  # parsed meta values a process keeps (`Session.meta_parsed`)
_PARSED: dict[tuple[str, str | None, Callable[[Any], Any]], Any] = {}
_PARSED_LOCK = threading.Lock()


class Session:
    """A cached view of the world inside one transaction; `flush` writes what was `put`."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._cache: dict[tuple[str, str], tuple[str | None, float | None, Body] | None] = {}
        self._names: dict[str, set[str]] = {}  # kind -> names in the cache: no full scans
        self._grouped: dict[tuple[str, str], set[str]] = {}  # (kind, grp) -> cached names
        self._dirty: set[tuple[str, str]] = set()
        self._complete: set[str] = set()
        self._meta: dict[str, Any] = {}
        self._raw: dict[str, str] | None = None  # every meta row as stored, once read
        self._meta_dirty: set[str] = set()

    # --- objects ---
    def _remember(self, kind: str, name: str,
                  entry: tuple[str | None, float | None, Body] | None) -> None:
        old = self._cache.get((kind, name))
        if old is not None and old[0] is not None:
            self._grouped.get((kind, old[0]), set()).discard(name)
        self._cache[(kind, name)] = entry
        self._names.setdefault(kind, set()).add(name)
        if entry is not None and entry[0] is not None:
            self._grouped.setdefault((kind, entry[0]), set()).add(name)

    def get(self, kind: str, name: str) -> Body | None:
        key = (kind, name)
        if key not in self._cache:
            if kind in self._complete:
                return None
            row = self._conn.execute(
                "SELECT grp, due, body FROM objects WHERE kind=? AND name=?", key
            ).fetchone()
            self._remember(kind, name,
                           None if row is None else (row[0], row[1], json.loads(row[2])))
        entry = self._cache[key]
        return None if entry is None else entry[2]

    def put(self, kind: str, name: str, body: Body, *, grp: str | None | _Keep = KEEP,
            due: float | None | _Keep = KEEP) -> None:
        """Store `body`; `grp` and `due` keep their stored values unless given."""
        old = self._cache.get((kind, name))
        if old is None and (isinstance(grp, _Keep) or isinstance(due, _Keep)):
            self.get(kind, name)
            old = self._cache.get((kind, name))
        new_grp = (old[0] if old else None) if isinstance(grp, _Keep) else grp
        new_due = (old[1] if old else None) if isinstance(due, _Keep) else due
        self._remember(kind, name, (new_grp, new_due, body))
        self._dirty.add((kind, name))

    def insert(self, kind: str, name: str, body: Body, grp: str | None = None) -> None:
        """Store a row known to be new (seeding): no lookup of what was there."""
        self._remember(kind, name, (grp, None, body))
        self._dirty.add((kind, name))

    def delete(self, kind: str, name: str) -> None:
        self._remember(kind, name, None)
        self._dirty.add((kind, name))

    def all(self, kind: str) -> dict[str, Body]:
        """Every object of a kind, sorted by name."""
        if kind not in self._complete:
            rows = self._conn.execute(
                "SELECT name, grp, due, body FROM objects WHERE kind=?", (kind,)
            ).fetchall()
            for name, grp, due, body in rows:
                if (kind, name) not in self._cache:
                    self._remember(kind, name, (grp, due, json.loads(body)))
            self._complete.add(kind)
        found = {n: e[2] for n in self._names.get(kind, ())
                 if (e := self._cache[(kind, n)]) is not None}
        return dict(sorted(found.items()))

    def group(self, kind: str, grp: str) -> dict[str, Body]:
        """Every object of a kind in one group, sorted by name: one query for the rows not
        cached yet (a managed system's 40 LPARs are one read, not 40)."""
        rows = self._conn.execute(
            "SELECT name, grp, due, body FROM objects WHERE kind=? AND grp=?", (kind, grp)
        ).fetchall()
        for name, stored_grp, due, body in rows:
            if (kind, name) not in self._cache:
                self._remember(kind, name, (stored_grp, due, json.loads(body)))
        names = {r[0] for r in rows}
        names |= self._grouped.get((kind, grp), set())
        found = {n: self.get(kind, n) for n in names}
        return {n: b for n, b in sorted(found.items()) if b is not None}

    def grp_of(self, kind: str, name: str) -> str | None:
        self.get(kind, name)
        entry = self._cache.get((kind, name))
        return None if entry is None else entry[0]

    def due_now(self, now: float) -> list[tuple[str, str]]:
        rows = self._conn.execute(
            "SELECT kind, name FROM objects WHERE due IS NOT NULL AND due <= ? ORDER BY due",
            (now,),
        ).fetchall()
        pending = {(r[0], r[1]) for r in rows}
        for key, entry in self._cache.items():
            if entry is not None and entry[1] is not None and entry[1] <= now:
                pending.add(key)
            elif key in pending and (entry is None or entry[1] is None or entry[1] > now):
                pending.discard(key)
        return sorted(pending)

    # --- meta ---
    def meta(self, key: str, default: Any = None) -> Any:
        """A meta value; the first read of a transaction fetches every row (a command reads a
        dozen: the clock, hosts, costs, counts...), each decoded when first asked for."""
        if key not in self._meta:
            if self._raw is None:
                self._raw = dict(self._conn.execute("SELECT key, value FROM meta").fetchall())
            raw = self._raw.get(key)
            self._meta[key] = default if raw is None else json.loads(raw)
        return self._meta[key]

    def meta_parsed(self, key: str, parse: Callable[[Any], T]) -> T:
        """`parse` of a meta value, kept per process under the value's stored text: every
        command builds its clock and costs from the same few hundred bytes, which change only
        when the clock is moved or the lab reseeded. `parse` must make an object its callers
        never change; a value set in this transaction is parsed afresh."""
        if key in self._meta:
            return parse(self._meta[key])
        if self._raw is None:
            self._raw = dict(self._conn.execute("SELECT key, value FROM meta").fetchall())
        raw = self._raw.get(key)
        cache = (key, raw, parse)
        with _PARSED_LOCK:
            if cache in _PARSED:
                found: T = _PARSED[cache]
                return found
        value = parse(None if raw is None else json.loads(raw))
        with _PARSED_LOCK:
            if len(_PARSED) >= PARSED_KEPT:
                _PARSED.clear()
            _PARSED[cache] = value
        return value

    def set_meta(self, key: str, value: Any) -> None:
        self._meta[key] = value
        self._meta_dirty.add(key)

    def flush(self) -> None:
        gone: list[tuple[str, str]] = []
        rows: list[tuple[str, str, str | None, float | None, str]] = []
        for kind, name in sorted(self._dirty):
            entry = self._cache[(kind, name)]
            if entry is None:
                gone.append((kind, name))
            else:
                grp, due, body = entry
                rows.append((kind, name, grp, due, json.dumps(body, separators=(",", ":"))))
        if gone:  # most commands delete nothing: no statement then
            self._conn.executemany("DELETE FROM objects WHERE kind=? AND name=?", gone)
        if rows:
            self._conn.executemany(
                "INSERT OR REPLACE INTO objects (kind, name, grp, due, body) "
                "VALUES (?, ?, ?, ?, ?)", rows)
        for key in sorted(self._meta_dirty):
            self._conn.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                (key, json.dumps(self._meta[key])),
            )
        self._dirty.clear()
        self._meta_dirty.clear()


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[Session]:
    """One exclusive-write transaction; committed only when the block finishes without error.
    Threads of this process take the world's lock first (`_writer`); other processes meet at
    SQLite's own lock."""
    writer = getattr(conn, "writer", None)
    with writer if writer is not None else nullcontext():
        conn.execute("BEGIN IMMEDIATE")
        session = Session(conn)
        try:
            yield session
            session.flush()
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def wipe(conn: sqlite3.Connection) -> None:
    """Empty the world inside the caller's transaction (reseeding keeps the same file)."""
    conn.execute("DELETE FROM objects")
    conn.execute("DELETE FROM meta")
