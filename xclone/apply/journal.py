"""The run journal: `.xclone/runs/<UTC time>-<id>.jsonl`, one JSON object per line.

Every command (masked), host, exit status, duration and the tail of its output, then the run
summary. Every string of a record is redacted before the record is encoded (`xclone.base.redact`:
the secrets resolved in this process, the values given to `redact`, and xCAT `password=`
attributes in kept output such as a listing's tail holding the HMC's stanza), as a second line
of defence: after JSON escaping a password with `"` or `\\` would no longer match.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from xclone.apply.events import Summary
from xclone.base.command import Command
from xclone.base.redact import redact_data, register
from xclone.base.remote import Result, Transport
from xclone.base.secret import masked

TAIL_LINES = 20


def _tail(text: str) -> str:
    return "\n".join(text.splitlines()[-TAIL_LINES:])


class Journal:
    def __init__(self, directory: Path, *, kind: str = "apply", cluster: str = "",
                 spec: str = "") -> None:
        now = datetime.now(UTC)
        self.run_id = secrets.token_hex(4)
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / f"{now.strftime('%Y%m%dT%H%M%SZ')}-{self.run_id}.jsonl"
        self._lock = threading.Lock()
        self.write({"event": "run.start", "kind": kind, "run_id": self.run_id,
                    "cluster": cluster, "spec": spec})

    def redact(self, value: str) -> None:
        """Mask `value` in every later record (and in every other sink of this process)."""
        register(value)

    def write(self, record: dict[str, Any]) -> None:
        record = {"ts": datetime.now(UTC).isoformat(timespec="milliseconds"), **record}
        clean = redact_data(record)
        line = json.dumps(clean, ensure_ascii=False, sort_keys=False)
        with self._lock, self.path.open("a", encoding="utf-8") as out:
            out.write(line + "\n")

    def command(self, action_id: str, host: str, command: Command, exit_status: int | None,
                duration: float, stdout: str, stderr: str) -> None:
        self.write({"event": "command", "action": action_id, "host": host,
                    "command": command.display(),
                    "stdin": None if command.stdin is None else _tail(masked(command.stdin)),
                    "exit_status": exit_status,
                    "duration": round(duration, 3), "stdout_tail": _tail(stdout),
                    "stderr_tail": _tail(stderr)})

    @staticmethod
    def end_record(summary: Summary, extra: dict[str, Any] | None = None) -> dict[str, Any]:
        """The closing `run.end` record of a run that got as far as executing."""
        return {"event": "run.end", "ok": summary.ok, "done": list(summary.done),
                    "failed": [{"action": f.action_id, "command": f.command,
                                "nodes": list(f.nodes), "output": f.output}
                               for f in summary.failed],
                    "skipped": [list(s) for s in summary.skipped],
                "interrupted": list(summary.interrupted), "commands": summary.commands,
                **(extra or {})}


class JournaledTransport:
    """A transport whose every command lands in the journal under a label (observe, lock):
    the executor's own commands are journaled by its runner, with their action ids."""

    def __init__(self, inner: Transport, journal: Journal, label: str) -> None:
        self.inner, self.journal, self.label = inner, journal, label

    def run(self, host: str, command: Command, *, timeout: float | None = None) -> Result:
        started = time.monotonic()
        result = self.inner.run(host, command, timeout=timeout)
        self.journal.write({"event": "command", "action": self.label, "host": host,
                            "command": command.display(), "exit_status": result.exit_status,
                            "duration": round(time.monotonic() - started, 3),
                            "stdout_tail": _tail(result.stdout),
                            "stderr_tail": _tail(result.stderr)})
        return result

    def close(self) -> None:
        self.inner.close()


def run_state(end: dict[str, Any] | None) -> str:
    """How a run ended: ok, failed, interrupted (Ctrl-C: its unfinished actions are listed, or a
    second Ctrl-C abandoned it; applying again converges), not confirmed (its plan was shown
    and not approved: nothing ran), or running or killed (no closing record yet)."""
    if end is None:
        return "running or killed"
    if end.get("interrupted") or end.get("abandoned"):
        return "interrupted"
    if end.get("declined"):
        return "not confirmed"
    return "ok" if end.get("ok") else "failed"


def read_run(path: Path) -> list[dict[str, Any]]:
    """Every record of one journal file, in order; a line cut short by a kill is left out."""
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return records


def find_run(directory: Path, run_id: str) -> Path | None:
    """The journal file of run `run_id` (its name ends with the id; `last`: the newest run),
    or None."""
    matches = sorted(directory.glob("*.jsonl" if run_id == "last" else f"*-{run_id}.jsonl"))
    return matches[-1] if matches else None


def list_runs(directory: Path, limit: int = 20) -> list[dict[str, Any]]:
    """The most recent runs, newest first: start, end (if it ended), state, cluster, spec, file."""
    runs = []
    for path in sorted(directory.glob("*.jsonl"), reverse=True)[:limit]:
        records = read_run(path)
        first = records[0] if records else {}
        last = records[-1] if records and records[-1].get("event") == "run.end" else None
        runs.append({"file": str(path), "run_id": first.get("run_id", ""),
                     "kind": first.get("kind", ""), "started": first.get("ts", ""),
                     "cluster": first.get("cluster", ""), "spec": first.get("spec", ""),
                     "ended": last.get("ts") if last else None,
                     "ok": last.get("ok") if last else None, "state": run_state(last),
                     "commands": sum(1 for r in records if r.get("event") == "command")})
    # file names hold the start to the second; two runs of one second go by their first record
    return sorted(runs, key=lambda run: str(run["started"]), reverse=True)
