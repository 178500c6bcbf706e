"""One apply per cluster: a lock directory on the management node that appears with its holder.

Acquiring builds `LOCK_ROOT/.new-ID/holder-ID` (who, where, when, pid, plan) and renames that
directory onto `LOCK_ROOT/CLUSTER` with one `mv`: rename(2) is atomic, so the lock never exists
without its holder record, and an apply killed half-way leaves only a `.new-ID` directory, never
a lock that looks stale. When the lock already exists, POSIX `mv` moves the new directory *into*
it instead; the loser sees that the record inside is not its own and removes what it moved.

Releasing removes `holder-ID` (one unlink: it succeeds only while the record is ours, so a lock
taken over by another apply after a force-unlock is never deleted) and then `rmdir`s the lock,
which succeeds only when nothing else is in it. A lock whose holder ran on this machine and
whose process is gone (a killed apply) is taken over the same way, and so is a lock directory
with no record at all (what a release killed between its two steps leaves).
"""

from __future__ import annotations

import getpass
import json
import os
import secrets
import socket
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from xclone.base.command import C_LOCALE, Command
from xclone.base.errors import XcloneError
from xclone.base.log import get_logger
from xclone.base.remote import Transport

log = get_logger("xclone.apply")

LOCK_ROOT = "/var/lib/xclone/locks"
_RECORD = "holder-"
_LEGACY = "holder"  # the record name of locks made before records carried their id
POLL_FIRST, POLL_MAX = 0.5, 15.0  # seconds between looks at a held lock, while waiting


def lock_dir(cluster: str) -> str:
    return f"{LOCK_ROOT}/{cluster}"


@dataclass(frozen=True)
class Lock:
    id: str
    host: str
    cluster: str
    holder: dict[str, str]

    @property
    def path(self) -> str:
        return lock_dir(self.cluster)

    @property
    def record(self) -> str:
        return f"{self.path}/{_RECORD}{self.id}"


@dataclass(frozen=True)
class _Answer:
    status: int
    stdout: str
    stderr: str

    def why(self) -> str:
        return (self.stderr or self.stdout).strip() or f"exit status {self.status}"


def _run(transport: Transport, host: str, *argv: str, stdin: str | None = None) -> _Answer:
    """In the C locale: a lost race is told from `mv`'s English "File exists" text."""
    result = transport.run(host, Command(argv, C_LOCALE, stdin), timeout=60)
    return _Answer(result.exit_status, result.stdout, result.stderr)


def _must(answer: _Answer, host: str, what: str) -> None:
    """A lock step that failed for its own reason (permission, space): say so, as it is."""
    if answer.status != 0:
        raise XcloneError(f"cannot {what} on {host}: {answer.why()}")


def read_holder(transport: Transport, host: str, cluster: str) -> dict[str, str] | None:
    """The lock's holder record, or None when there is no lock or no readable record."""
    listing = _run(transport, host, "ls", lock_dir(cluster))
    if listing.status != 0:
        return None
    names = [n for n in listing.stdout.split() if n.startswith(_RECORD) or n == _LEGACY]
    if len(names) != 1:
        return None
    answer = _run(transport, host, "cat", f"{lock_dir(cluster)}/{names[0]}")
    if answer.status != 0:
        return None
    try:
        data = json.loads(answer.stdout)
    except json.JSONDecodeError:
        return None
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else None


def describe(holder: dict[str, str] | None, spec: str = "SPEC") -> str:
    """The holder in one line. Its plan digest is written only once that apply has planned, so
    a lock taken a moment ago says it is still planning instead of showing an empty field."""
    if holder is None:
        return f"an unknown holder (no holder record: use `xclone force-unlock {spec} unknown`)"
    plan = holder.get("plan", "")
    return (f"lock {holder.get('id')} held by {holder.get('who')}@{holder.get('where')} "
            f"(pid {holder.get('pid')}) since {holder.get('when')}, "
            + (f"plan {plan[:19]}" if plan else "still planning"))


def _dead_here(holder: dict[str, str] | None) -> bool:
    """A holder on this machine whose process is gone (killed apply): safe to take over."""
    if holder is None or holder.get("where") != socket.gethostname():
        return False
    try:
        os.kill(int(holder.get("pid", "")), 0)
    except ProcessLookupError:
        return True
    except (ValueError, PermissionError):
        return False
    return False


def _try_take(transport: Transport, host: str, cluster: str, holder: dict[str, str]) -> bool:
    """One attempt: build the lock beside its place, rename it into place, check it is ours."""
    new = f"{LOCK_ROOT}/.new-{holder['id']}"
    _must(_run(transport, host, "mkdir", new), host, f"create {new}")
    _must(_run(transport, host, "tee", f"{new}/{_RECORD}{holder['id']}",
               stdin=json.dumps(holder)), host, f"write the lock record in {new}")
    moved = _run(transport, host, "mv", new, lock_dir(cluster))
    mine = _run(transport, host, "cat", f"{lock_dir(cluster)}/{_RECORD}{holder['id']}")
    if moved.status == 0 and mine.status == 0:
        return True
    # Lost: `mv` put our directory inside the other lock (or failed); take ours back out, and
    # remove the lock directory too if its holder released it meanwhile (rmdir: only if empty).
    inside = f"{lock_dir(cluster)}/.new-{holder['id']}"
    _run(transport, host, "rm", "-r", "-f", inside, new)
    _run(transport, host, "rmdir", lock_dir(cluster))
    if moved.status != 0 and "exist" not in moved.why().lower():
        raise XcloneError(f"cannot move the lock into place on {host}: {moved.why()}")
    return False


def acquire(transport: Transport, host: str, cluster: str, plan_digest: str = "", *,
            spec: str = "SPEC", wait: float = 0.0) -> Lock:
    """Take the cluster's lock. A lock held by a live apply is polled for up to `wait` seconds
    (`--lock-wait`, Terraform's `-lock-timeout`), with backoff; then the same refusal as
    without waiting. `spec` is the path the refusal names in its force-unlock hint."""
    _must(_run(transport, host, "mkdir", "-p", LOCK_ROOT), host, f"create {LOCK_ROOT}")
    _clear_dead_builds(transport, host)
    holder = {"id": secrets.token_hex(6), "who": getpass.getuser(), "where": socket.gethostname(),
              "when": datetime.now(UTC).isoformat(timespec="seconds"), "pid": str(os.getpid()),
              "plan": plan_digest}
    deadline, pause = time.monotonic() + wait, POLL_FIRST
    while True:
        taken, other = _attempt(transport, host, cluster, holder)
        if taken:
            return Lock(holder["id"], host, cluster, holder)
        left = deadline - time.monotonic()
        if left <= 0:
            break
        log.info("lock.waiting", cluster=cluster, holder=describe(other, spec),
                 seconds_left=round(left))
        time.sleep(min(pause, left))
        pause = min(pause * 2, POLL_MAX)
    raise XcloneError(f"cluster {cluster} is locked by another apply on {host}: "
                      f"{describe(other, spec)}. If that apply is gone, run "
                      f"`xclone force-unlock {spec} {other.get('id') if other else 'unknown'}`"
                      + (f" (waited {wait:g} s)" if wait else ""))


def _attempt(transport: Transport, host: str, cluster: str,
             holder: dict[str, str]) -> tuple[bool, dict[str, str] | None]:
    """One round: take the lock, clearing a recordless leftover or a dead local holder on the
    way; when it stays held, the holder record in the way (None when unreadable)."""
    if _try_take(transport, host, cluster, holder):
        return True, None
    if _clear_recordless(transport, host, cluster) and _try_take(transport, host, cluster, holder):
        return True, None
    other = read_holder(transport, host, cluster)
    if _dead_here(other) and other is not None:
        log.warning("lock.stale", cluster=cluster, holder=describe(other))
        _remove(transport, host, cluster, other.get("id", ""))
        if _try_take(transport, host, cluster, holder):
            return True, None
        other = read_holder(transport, host, cluster)
    return False, other


def _clear_dead_builds(transport: Transport, host: str) -> None:
    """Remove the `.new-ID` directories of applies killed on this machine before their `mv`:
    such a directory is never a lock, and one whose holder process still runs is a lock being
    taken right now, so it stays (as does one whose record cannot be read)."""
    listing = _run(transport, host, "ls", "-a", LOCK_ROOT)
    for name in listing.stdout.split() if listing.status == 0 else ():
        if not name.startswith(".new-"):
            continue
        build = f"{LOCK_ROOT}/{name}"
        answer = _run(transport, host, "cat", f"{build}/{_RECORD}{name.removeprefix('.new-')}")
        try:
            holder = json.loads(answer.stdout) if answer.status == 0 else None
        except json.JSONDecodeError:
            holder = None
        if isinstance(holder, dict) and _dead_here({str(k): str(v) for k, v in holder.items()}):
            log.warning("lock.dead_build", entry=name)
            _run(transport, host, "rm", "-r", "-f", build)


def _clear_recordless(transport: Transport, host: str, cluster: str) -> bool:
    """Remove a lock directory that holds no record: a live lock has its record from the moment
    it appears (the `mv` above) until its release starts, so a recordless one is what a release
    or a lost race left when its apply was killed between two steps. Only the names listed are
    removed and the directory itself only by `rmdir`, so a lock another apply renames into
    place meanwhile survives. Returns whether the place is worth another try: it was such a
    leftover, or there is no lock there any more (the losing `_try_take` removed an empty one)."""
    listing = _run(transport, host, "ls", "-a", lock_dir(cluster))
    if listing.status != 0:
        return True
    names = [n for n in listing.stdout.split() if n not in (".", "..")]
    if any(n.startswith(_RECORD) or n == _LEGACY for n in names):
        return False
    log.warning("lock.leftover", cluster=cluster, entries=names)
    for name in names:
        _run(transport, host, "rm", "-r", "-f", f"{lock_dir(cluster)}/{name}")
    _run(transport, host, "rmdir", lock_dir(cluster))
    return True


def record_plan(transport: Transport, lock: Lock, plan_digest: str) -> Lock:
    """Write the digest of the plan this apply runs into its record (known only after planning
    when no saved plan was given). Only our own record is rewritten: `tee` to our id's file."""
    holder = {**lock.holder, "plan": plan_digest}
    if _run(transport, lock.host, "cat", lock.record).status != 0:
        log.warning("lock.lost", cluster=lock.cluster, lock=lock.id)
        return lock
    _run(transport, lock.host, "tee", lock.record, stdin=json.dumps(holder))
    return Lock(lock.id, lock.host, lock.cluster, holder)


def _remove(transport: Transport, host: str, cluster: str, lock_id: str) -> str | None:
    """Compare-and-delete: unlink the record named by our id (fails if it is not there), then
    remove the then-empty directory. Never touches a lock whose record has another id.
    Returns None when removed, else why `rm` failed."""
    unlinked = _run(transport, host, "rm", f"{lock_dir(cluster)}/{_RECORD}{lock_id}")
    if unlinked.status != 0:
        return unlinked.why()
    _run(transport, host, "rmdir", lock_dir(cluster))
    return None


def release(transport: Transport, lock: Lock) -> str | None:
    """Release our lock; returns a warning when it was no longer ours (force-unlocked, maybe
    taken by another apply), in which case nothing is removed, or when removing it failed."""
    why = _remove(transport, lock.host, lock.cluster, lock.id)
    if why is None:
        return None
    if _run(transport, lock.host, "cat", lock.record).status == 0:
        log.warning("lock.release_failed", cluster=lock.cluster, lock=lock.id, error=why)
        return (f"cannot remove lock {lock.id} on {lock.host} ({why}): remove "
                f"{lock.path} by hand or run `xclone force-unlock SPEC {lock.id}`")
    now = read_holder(transport, lock.host, lock.cluster)
    warning = (f"lock {lock.id} on {lock.host} was no longer ours when this apply ended "
               f"(force-unlocked?); left alone: "
               f"{describe(now) if now else 'the cluster is not locked now'}")
    log.warning("lock.not_ours", cluster=lock.cluster, lock=lock.id)
    return warning


def force_unlock(transport: Transport, host: str, cluster: str, lock_id: str) -> str:
    holder = read_holder(transport, host, cluster)
    if _run(transport, host, "ls", lock_dir(cluster)).status != 0:
        raise XcloneError(f"cluster {cluster} is not locked on {host}")
    if holder is not None and holder.get("id") != lock_id:
        raise XcloneError(
            f"lock id {lock_id} does not match the lock on {host}: {describe(holder)}")
    if holder is None and lock_id != "unknown":
        raise XcloneError(f"the lock on {host} has no holder record: use lock id 'unknown'")
    if holder is None or _remove(transport, host, cluster, lock_id) is not None:
        # No record with an id (an empty or legacy lock): remove the directory as it is.
        _must(_run(transport, host, "rm", "-r", "-f", lock_dir(cluster)), host,
              f"remove {lock_dir(cluster)}")
    return describe(holder)
