"""The remedies the runbook gives for failures it names, attached to the failure's text.

A network boot that times out waiting for the HMC: the runbook's advice is to raise `ppctimeout`
in the site table. xCAT waits that many seconds for each HMC answer (0 means 60: xCAT 2.9.2
PPCcli.pm `connect`, DEFAULT_TIMEOUT), and prints `Timeout waiting for prompt` when an answer
takes longer (PPCcli.pm `send_cmd`); the planner keeps the value rnetboot runs with in the
action (`extra` ppctimeout), so the advice names it and the spec line that changes it.
"""

from __future__ import annotations

from xclone.drivers.xcat.kinds import ActionKind
from xclone.plan.action import Action

TIMEOUT = "Timeout waiting for prompt"
DEFAULT_PPCTIMEOUT = 60  # seconds xCAT waits when site ppctimeout is 0 or unset
RUNBOOK_PPCTIMEOUT = 180  # the runbook's example value


def is_boot_timeout(action: Action, text: str) -> bool:
    return action.kind is ActionKind.RNETBOOT and TIMEOUT in text


def ppctimeout_advice(action: Action) -> str:
    """What to change, with the value the boot ran with and a larger one to try."""
    raw = action.extra_value("ppctimeout") or "0"
    current = int(raw) if raw.isdigit() else 0
    waited = current or DEFAULT_PPCTIMEOUT
    now = f"{current} (so {waited} s)" if current == 0 else f"{current} s"
    suggest = max(RUNBOOK_PPCTIMEOUT, waited * 2)
    return (f"rnetboot timed out waiting for the HMC; the runbook's remedy is to raise "
            f"ppctimeout in the xCAT site table (now {now}): set `site: {{ppctimeout: "
            f"{suggest}}}` in the spec and apply again")
