"""What an SSH login to `xclone lab serve` runs: one command at one face of the lab.

sshd starts this as the forced command of the key the client logged in with (one key per face),
with the command line the client sent in SSH_ORIGINAL_COMMAND, which is handed to the lab as a
string and split by it as the face's shell would: it never reaches a real shell. The command's
own stdout, stderr and exit status become the session's, so anything else this process has to
say (logs) goes to a file, never into the command's output.

sshd starts one such process per command, so it stays small: no logging framework and no
terminal rendering, one JSON line appended per command when `--log` is given, and the CPU the
process spent before reaching the lab is recorded with the command (`Lab.sim_cpu`).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from xclone.sim import Lab, LabError
from xclone.sim.aix.dpasswd import mask_line
from xclone.sim.errors import ConnectionDropped
from xclone.sim.store import DB_NAME

# What OpenSSH's client exits with when the failure is its own rather than the command's.
LOGIN_FAILED = 255


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m xclone.sim.login")
    parser.add_argument("--state", type=Path, required=True, help="the lab's state directory")
    parser.add_argument("--host", required=True, help="the face this login is for")
    parser.add_argument("--log", type=Path, help="append log lines here instead of dropping them")
    return parser.parse_args(argv)


class _Log:
    """One JSON object per line (level, timestamp, event, fields), or nothing without a file."""

    def __init__(self, path: Path | None, host: str) -> None:
        self.path, self.host = path, host

    def _write(self, level: str, event: str, **fields: object) -> None:
        if self.path is None:
            return
        line = {"host": self.host, **fields, "event": event, "level": level,
                "timestamp": datetime.now(UTC).isoformat()}
        with self.path.open("a", encoding="utf-8") as stream:
            stream.write(json.dumps(line) + "\n")

    def info(self, event: str, **fields: object) -> None:
        self._write("info", event, **fields)

    def warning(self, event: str, **fields: object) -> None:
        self._write("warning", event, **fields)


def _cut_connection() -> None:
    """End the SSH connection this command came in on, as a network failure would: sshd's
    per-connection process is our parent (the forced command is exec'd by the login shell)."""
    with contextlib.suppress(OSError):
        os.kill(os.getppid(), signal.SIGKILL)
    os._exit(LOGIN_FAILED)


def main(argv: Sequence[str] | None = None) -> int:
    args = _arguments(argv)
    command = os.environ.get("SSH_ORIGINAL_COMMAND", "").strip()
    if not command:
        sys.stderr.write(f"{args.host}: this lab accepts commands only, not interactive logins\n")
        return LOGIN_FAILED
    stdin = sys.stdin.buffer.read().decode("utf-8", errors="replace")
    log = _Log(args.log, args.host)
    shown = mask_line(command)  # a dpasswd password never reaches the log
    try:
        # Lab.open checks the world in a transaction of its own; the command's own transaction
        # finds the host or refuses, so one existing world file is all this process checks
        lab = Lab(args.state) if (args.state / DB_NAME).exists() else Lab.open(args.state)
        result = lab.execute(args.host, command, stdin or None, startup_cpu=time.process_time())
    except ConnectionDropped:
        log.warning("lab.connection_dropped", command=shown)
        _cut_connection()
        return LOGIN_FAILED
    except LabError as exc:
        log.warning("lab.login_refused", command=shown, error=exc.message)
        sys.stderr.write(f"{args.host}: {exc.message}\n")
        return LOGIN_FAILED
    log.info("lab.login_command", command=shown, exit_status=result.exit_status)
    sys.stdout.buffer.write(result.stdout.encode("utf-8"))
    sys.stdout.flush()
    sys.stderr.buffer.write(result.stderr.encode("utf-8"))
    sys.stderr.flush()
    return result.exit_status


if __name__ == "__main__":
    sys.exit(main())
