"""Judging a NIM or HMC command's result: exit status AND what the output says.

Sources: docs/formats.md "NIM" (messages and exit status) and "HMC" (`lpar_netboot`, `rmvterm`).

NIM exits with the number of a fatal `0042-NNN` message and prints warnings (`warning: 0042-...`)
that leave the status alone, so only error lines fail a command; the `0042-001` wrapper says
where NIM failed and the indented lines after it say why, so the whole text is the reason. The
HMC names its errors with `HSCLxxxx` codes. `lpar_netboot` narrates on stdout with `# ` lines
and reports a started boot with "# Network boot proceeding..." (IBM's script and xCAT's port of
it, LparNetbootExp.pm): a boot that exits 0 without that line did not show that the boot began.
Every NIM and HMC command names one object, so an action is judged whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from xclone.apply.checks import Verdict
from xclone.base.remote import Result
from xclone.drivers.nim.kinds import KINDS, ActionKind, Judging
from xclone.observed.parsers.messages import errors_in
from xclone.plan.action import Action


@dataclass(frozen=True)
class Rule:
    """What a kind's output must show beyond exit 0 and no error line.

    `done`: a line that must be there (a boot that proceeded); `failed`: a line that fails the
    command even with exit 0; `started`: a line that proves the command got past connecting,
    after which a connection failure is no longer worth another try (the LPAR was touched)."""

    done: re.Pattern[str] | None = None
    failed: re.Pattern[str] | None = None
    started: re.Pattern[str] | None = None


# lpar_netboot's own lines (LparNetbootExp.pm 2.9.2: "# Network boot proceeding - matched BOOTP,
# exiting." lines 1978-2007; "# Finished in an error." line 3302; the power-off/on narration
# lines 2712-2993). The discovery form (-M -n) lists adapters instead of booting.
_NETBOOT_DONE = re.compile(r"^# Network boot proceeding\b", re.MULTILINE)
_NETBOOT_LISTED = re.compile(r"^# Type\b|^#Type:", re.MULTILINE)
_NETBOOT_FAILED = re.compile(r"^# Finished in an error\.|^Unable to boot network adapter|"
                             r"^Can not find (mac address|physical location)|"
                             r"The network boot ended in an error", re.MULTILINE | re.IGNORECASE)
_MAC = re.compile(r"[0-9A-Fa-f]{12}")
_NETBOOT_STARTED = re.compile(r"^# (Checking for power off|Power off|Power on)\b", re.MULTILINE)

# A link failure on the way to the HMC or the partition's console, before anything happened
# (LparNetbootExp.pm: "Cannot connect to NODE", "Unable to open console."; HMC busy texts as
# xCAT's own expect layer sees them).
_TRANSIENT = re.compile(
    r"Cannot connect to|Unable to open console|HMC is busy|temporarily unavailable|"
    r"Connection (reset|refused|timed out)|ssh connection terminated unexpectedly",
    re.IGNORECASE,
)

_NIM = Rule()
RULES: dict[ActionKind, Rule] = {
    **{kind: _NIM for kind, info in KINDS.items() if info.judging is Judging.WHOLE},
    ActionKind.RMVTERM: Rule(),
    ActionKind.LPAR_NETBOOT: Rule(_NETBOOT_DONE, _NETBOOT_FAILED, _NETBOOT_STARTED),
}


def judge(action: Action, nodes: tuple[str, ...], result: Result, mn: str | None) -> Verdict:
    """The whole command: ok, or failed with the text that says why (and whether another try
    may help: only a hardware command whose link failed before it touched the LPAR)."""
    kind = ActionKind(action.kind.value)
    rule = RULES.get(kind, _NIM)
    text = result.stdout + "\n" + result.stderr
    errors = [m for m in errors_in(text, mn) if m.severity == "error"]
    failed_line = rule.failed.search(text) if rule.failed else None
    done = rule.done
    discovery = kind is ActionKind.LPAR_NETBOOT and "-M" in action.before
    if discovery:
        done = _NETBOOT_LISTED
    missing_done = done is not None and not done.search(result.stdout)
    if result.exit_status == 0 and not errors and not failed_line and not missing_done:
        if not discovery:
            return Verdict((), {}, False)
        return _discovered(action, nodes, result.stdout)
    why = _reason(kind, result, missing_done)
    # An action naming its LPAR as its node fails that node, so the install wait of the other
    # LPARs on its managed system still runs (the executor skips only that node's branch).
    return Verdict((), dict.fromkeys(nodes or ("",), why), _transient(kind, rule, text))


def adapter_macs(stdout: str) -> tuple[str, ...]:
    """The Ethernet MACs of a `lpar_netboot -M -n` table, in its order: after the `# Type`
    header, one row per adapter, `TYPE LOCATION MAC PATH PING DEVICE_TYPE` blank-separated, or
    the same fields joined by `:` under the `#Type:` header (LparNetbootExp.pm 2.9.2, lines
    3010-3072; HMC man page LPAR_NETBOOT: `-M -n` lists MAC addresses and location codes)."""
    macs = []
    for line in stdout.splitlines():
        fields = line.split(":") if line.startswith("ent:") else line.split()
        if len(fields) > 2 and fields[0] == "ent" and _MAC.fullmatch(fields[2]):
            macs.append(fields[2].lower())
    return tuple(macs)


def _discovered(action: Action, nodes: tuple[str, ...], stdout: str) -> Verdict:
    """The first adapter's MAC, under the key the planner named (extra `reads`), for the
    commands that carry its marker; a table with no Ethernet adapter fails the LPAR."""
    key = dict(action.extra).get("reads", "")
    macs = adapter_macs(stdout)
    if not macs or not key:
        why = ("lpar_netboot -M -n listed no Ethernet adapter with a MAC: the partition has "
               "no network adapter to install over; set `mac:` or add one")
        return Verdict((), dict.fromkeys(nodes or ("",), why), False)
    return Verdict((), {}, False, ((key, macs[0]),))


def _reason(kind: ActionKind, result: Result, missing_done: bool) -> str:
    if kind is ActionKind.LPAR_NETBOOT:
        lines = [ln.strip() for ln in (result.stdout + "\n" + result.stderr).splitlines()
                 if ln.strip() and (not ln.startswith("#") or "error" in ln.lower())]
        if result.exit_status == 0 and missing_done and not lines:
            return ("lpar_netboot exited 0 without reporting '# Network boot proceeding': the "
                    "network boot may not have started")
        why = "\n".join(lines[-6:])
    else:
        why = _tail(result.stderr) or _tail(result.stdout)
    return why or f"exit status {result.exit_status}"


def _transient(kind: ActionKind, rule: Rule, text: str) -> bool:
    """Worth another try only when the HMC or console link failed before the LPAR was touched."""
    if KINDS[kind].judging is not Judging.HARDWARE:
        return False
    started = rule.started.search(text) if rule.started else None
    return bool(_TRANSIENT.search(text)) and not started


def _tail(text: str, lines: int = 8) -> str:
    return "\n".join(ln.rstrip() for ln in text.strip().splitlines()[-lines:])
