"""Judging an xCAT/NIM command's result: exit status AND what the output says.

Sources: docs/formats.md "Messages and exit statuses".

xCAT can print `Error:` lines and exit 0, NIM exits with the message number, the hardware
commands report per node on stdout. A batched command is judged per node, so that only the
failed nodes' branches stop.
"""

from __future__ import annotations

import re

from xclone.apply.checks import Verdict
from xclone.base.remote import Result
from xclone.drivers.xcat import advice
from xclone.drivers.xcat.outcomes import node_outcomes
from xclone.observed.parsers.messages import errors_in
from xclone.plan.action import Action

# Texts of the ssh/expect layer between xCAT and the HMC (exit 2): worth another try.
_TRANSIENT = re.compile(
    r"Timeout waiting for prompt|ssh connection terminated unexpectedly|"
    r"HMC is busy|temporarily unavailable|Connection (reset|refused|timed out)",
    re.IGNORECASE,
)


def judge(action: Action, nodes: tuple[str, ...], result: Result, mn: str | None) -> Verdict:
    """Per node for node-scoped commands (the kind says which are); the whole command
    otherwise."""
    if nodes and action.kind.per_node:
        outcomes = node_outcomes(result.stdout, result.stderr, result.exit_status, nodes, mn=mn)
        failed = {n: o.text or f"exit status {result.exit_status}"
                  for n, o in outcomes.items() if not o.ok}
        ok = tuple(n for n in nodes if n not in failed)
        if any(advice.is_boot_timeout(action, t) for t in failed.values()):
            # The same ppctimeout times out again: the remedy is the spec's, not a retry.
            return Verdict(ok, {n: f"{t}\n{advice.ppctimeout_advice(action)}"
                                if advice.is_boot_timeout(action, t) else t
                                for n, t in failed.items()}, False)
        transient = bool(failed) and all(_TRANSIENT.search(t) for t in failed.values())
        return Verdict(ok, failed, transient or (bool(failed) and result.exit_status == 2
                                                  and action.kind.hardware))
    errors = [m for m in errors_in(result.stdout + "\n" + result.stderr, mn)
              if m.severity == "error"]
    if result.exit_status == 0 and not errors:
        return Verdict((), {}, False)
    why = "\n".join(m.text for m in errors) or _tail(result.stderr or result.stdout)
    why = why or f"exit status {result.exit_status}"
    return Verdict((), {"": why}, bool(_TRANSIENT.search(why)))


def _tail(text: str, lines: int = 5) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])
