"""After an install, when a node runs the `confignimsh` postscript: does nimsh answer?

The runbook checks a client's NIM service handler after confignimsh with `nim -o lslpp NODE`
(NIM runs lslpp on the client through nimsh) and `nimquery -a host=NODE` showing `_ssl:yes`
(IBM AIX, "Using NIM service handler for client communication"). A node that booted but fails
either had its postscript fail: the wait reports it so, with what each command answered. Both
drivers' install waits use it (each knows its own way of telling which nodes run confignimsh);
the checks of the nodes one poll found installed run at the same time.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from xclone.apply.waits import Run
from xclone.base.command import Command
from xclone.base.errors import XcloneError
from xclone.observed.parsers.nimquery import parse_nimquery
from xclone.plan.action import MN_ENV

POSTSCRIPT = "confignimsh"
# How many nimsh checks one poll sends at once (each waits on the runner's per-host limit).
CHECKS_AT_ONCE = 16


def checks(run: Run, nodes: list[str]) -> dict[str, str]:
    """The failed checks of `nodes`, all sent at the same time: two commands per node, and a
    thousand nodes installed together must not wait for each other's answers (the runner
    still holds the master's session limit)."""
    if not nodes:
        return {}
    with ThreadPoolExecutor(max_workers=min(CHECKS_AT_ONCE, len(nodes))) as pool:
        found = dict(zip(nodes, pool.map(lambda n: problem(run, n), nodes), strict=True))
    return {n: why for n, why in found.items() if why is not None}


def problem(run: Run, node: str) -> str | None:
    """Why the node's nimsh check failed, with the evidence; None when nimsh answers with SSL."""
    lslpp = run(Command(("nim", "-o", "lslpp", node), MN_ENV))
    if lslpp.exit_status != 0:
        return _failed(node, f"`nim -o lslpp {node}` failed (exit {lslpp.exit_status}): "
                             f"{_text(lslpp.stderr or lslpp.stdout)}")
    query = run(Command(("nimquery", "-a", f"host={node}"), MN_ENV))
    if query.exit_status != 0:
        return _failed(node, f"`nimquery -a host={node}` failed (exit {query.exit_status}): "
                             f"{_text(query.stderr or query.stdout)}")
    try:
        ssl = parse_nimquery(query.stdout).get("_ssl")
    except XcloneError as exc:
        return _failed(node, exc.message)
    if ssl != "yes":
        return _failed(node, f"`nimquery -a host={node}` shows _ssl:{ssl or '(none)'}, not "
                             f"_ssl:yes: {_text(query.stdout)}")
    return None


def _failed(node: str, evidence: str) -> str:
    return (f"postscript {POSTSCRIPT} failed: {node} booted, but nimsh does not answer with "
            f"SSL: {evidence}")


def _text(text: str) -> str:
    return " ".join(line.strip() for line in text.strip().splitlines()) or "no output"
