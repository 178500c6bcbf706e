"""What a partition last showed, for the error of an install that failed or stalled.

The HMC's virtual terminal (`mkvterm -m SYS -p LPAR`) is an interactive session: the HMC CLI has
no command that prints a console's output and returns (IBM HMC commands: mkvterm opens a
terminal, rmvterm closes one, nothing reads one), so xclone opens none, and has none to close.
What the HMC does keep is the partition's reference-code history: `lsrefcode -r lpar -m SYS
--filter lpar_names=LPAR -n N` lists its last N codes, newest first (IBM HMC lsrefcode). Those are
the firmware and AIX install progress a console would have shown, between two polls too.
"""

from __future__ import annotations

from xclone.apply.waits import RunOn
from xclone.base.command import Command
from xclone.base.errors import TransportError, XcloneError
from xclone.observed.parsers.hmc import parse_fields
from xclone.plan.action import Action

CODES = 10
FIELDS = ("time_stamp", "refcode")


def history_command(system: str, lpar: str) -> Command:
    return Command(("lsrefcode", "-r", "lpar", "-m", system, "--filter", f"lpar_names={lpar}",
                    "-n", str(CODES), "-F", ",".join(FIELDS)), ())


def last_codes(run_on: RunOn, action: Action, node: str) -> str:
    """The partition's last reference codes, oldest first, or "" when the HMC gave none."""
    hmc, system = action.extra_value("hmc"), action.extra_value("system")
    if not hmc or not system:
        return ""
    try:
        result = run_on(hmc, history_command(system, node))
        if result.exit_status != 0:
            return ""
        records = parse_fields(result.stdout, FIELDS)
    except (TransportError, XcloneError):
        return ""
    if not records:
        return ""
    lines = [f"    {r['time_stamp']}  {r['refcode'].strip() or '(blank)'}"
             for r in reversed(records)]
    return f"\nlast reference codes on the HMC (lsrefcode -n {CODES}):\n" + "\n".join(lines)
