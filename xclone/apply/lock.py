"""One apply per cluster: a lock directory on the management node, made with `mkdir`.

`mkdir` is atomic on the management node's file system, so of two applies exactly one creates the
directory. The holder record inside says who, where, when, which pid and which plan, so the
refused apply can name it and `xclone force-unlock` can remove exactly that lock. A lock whose
holder ran on this machine and whose process is gone (a killed apply) is taken over.
"""

from __future__ import annotations

import getpass
import json
import os
import secrets
import socket
from dataclasses import dataclass
from datetime import UTC, datetime

import structlog

from xclone.base.command import Command
from xclone.base.errors import XcloneError
from xclone.base.remote import Transport

log = structlog.get_logger("xclone.apply")

LOCK_ROOT = "/var/lib/xclone/locks"


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


def _run(transport: Transport, host: str, *argv: str, stdin: str | None = None) -> tuple[int, str]:
    result = transport.run(host, Command(argv).shell(), stdin=stdin, timeout=60)
    return result.exit_status, result.stdout


def read_holder(transport: Transport, host: str, cluster: str) -> dict[str, str] | None:
    status, out = _run(transport, host, "cat", f"{lock_dir(cluster)}/holder")
    if status != 0:
        return None
    try:
        data = json.loads(out)
    except json.JSONDecodeError:
        return None
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else None


def describe(holder: dict[str, str] | None) -> str:
    if holder is None:
        return "an unknown holder (no holder record: use `xclone force-unlock SPEC unknown`)"
    return (f"lock {holder.get('id')} held by {holder.get('who')}@{holder.get('where')} "
            f"(pid {holder.get('pid')}) since {holder.get('when')}, "
            f"plan {holder.get('plan', '-')[:19]}")


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


def acquire(transport: Transport, host: str, cluster: str, plan_digest: str = "") -> Lock:
    _run(transport, host, "mkdir", "-p", LOCK_ROOT)
    status, _ = _run(transport, host, "mkdir", lock_dir(cluster))
    if status != 0:
        holder = read_holder(transport, host, cluster)
        if _dead_here(holder):
            log.warning("lock.stale", cluster=cluster, holder=describe(holder))
            _run(transport, host, "rm", "-r", "-f", lock_dir(cluster))
            status, _ = _run(transport, host, "mkdir", lock_dir(cluster))
    if status != 0:
        holder = read_holder(transport, host, cluster)
        raise XcloneError(f"cluster {cluster} is locked by another apply on {host}: "
                          f"{describe(holder)}. If that apply is gone, run "
                          f"`xclone force-unlock SPEC {holder.get('id') if holder else 'unknown'}`")
    holder = {"id": secrets.token_hex(6), "who": getpass.getuser(), "where": socket.gethostname(),
              "when": datetime.now(UTC).isoformat(timespec="seconds"), "pid": str(os.getpid()),
              "plan": plan_digest}
    _run(transport, host, "tee", f"{lock_dir(cluster)}/holder", stdin=json.dumps(holder))
    return Lock(holder["id"], host, cluster, holder)


def release(transport: Transport, lock: Lock) -> None:
    _run(transport, lock.host, "rm", "-r", "-f", lock.path)


def force_unlock(transport: Transport, host: str, cluster: str, lock_id: str) -> str:
    holder = read_holder(transport, host, cluster)
    status, _ = _run(transport, host, "ls", lock_dir(cluster))
    if status != 0:
        raise XcloneError(f"cluster {cluster} is not locked on {host}")
    if holder is not None and holder.get("id") != lock_id:
        raise XcloneError(
            f"lock id {lock_id} does not match the lock on {host}: {describe(holder)}")
    if holder is None and lock_id != "unknown":
        raise XcloneError(f"the lock on {host} has no holder record: use lock id 'unknown'")
    _run(transport, host, "rm", "-r", "-f", lock_dir(cluster))
    return describe(holder)
