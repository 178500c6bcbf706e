"""The last lines of a node's console, for the error of an install that failed or stalled.

The runbook watches a network install with `rcons NODE`; conserver, which xCAT configures with
makeconservercf, also logs each console to `/var/log/consoles/NODE` on the management node
(xCAT 2.9.2 conserver.pm: `logfile /var/log/consoles/&`). Reading its tail is read-only and
needs no console session, so a failed wait can attach what the node last printed.
"""

from __future__ import annotations

from xclone.apply.waits import Run
from xclone.base.command import Command
from xclone.base.errors import TransportError
from xclone.plan.action import MN_ENV

LINES = 40
LOG_DIR = "/var/log/consoles"


def last_lines(run: Run, node: str) -> str:
    """`tail -n 40` of the node's console log, indented, or "" when there is none to read."""
    try:
        result = run(Command(("tail", "-n", str(LINES), f"{LOG_DIR}/{node}"), MN_ENV))
    except TransportError:
        return ""
    text = result.stdout.rstrip()
    if result.exit_status != 0 or not text:
        return ""
    body = "\n".join(f"    {line}" for line in text.splitlines())
    return f"\nlast console lines ({LOG_DIR}/{node}):\n{body}"
