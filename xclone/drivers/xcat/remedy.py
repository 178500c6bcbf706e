"""Network boots the runbook blames on the install server's boot services, and their remedy.

bootpd and tftpd run under inetd and the client mounts the SPOT over NFS (IBM AIX, "Debugging a
network boot problem"): when they stop answering, rnetboot still says `Success` (it only starts
the boot: docs/formats.md "rnetboot") while NIM never sees the client, so its Cstate stays "BOS
installation has been enabled" until the wait's limits strike. The runbook's remedy restarts
inetd, the tftp subserver and the nfs group on the install server, then boots the node again.
`xclone apply --remediate boot-services` puts `remediate` in the install waits: each node whose
boot went unanswered gets that remedy once (every command is the wait's, so journaled), then
is booted again as it was booted (xCAT `mgt=fsp`, a Flex blade: `rpower reset`, blade.py; else
`rnetboot`); never by default.
"""

from __future__ import annotations

from collections.abc import Mapping

from xclone.apply.waits import Progress, Run
from xclone.base.command import Command
from xclone.base.noderange import compact
from xclone.drivers.bootservices import OPTION, REMEDY, RESTARTS
from xclone.plan.action import MN_ENV, Action

BOOT_SERVICES = OPTION
ENABLED = "BOS installation has been enabled"


def extra(requested: frozenset[str]) -> tuple[tuple[str, str], ...]:
    """What an install wait carries when apply was asked to remedy boot services."""
    return (("remediate", BOOT_SERVICES),) if BOOT_SERVICES in requested else ()


def wanted(action: Action) -> bool:
    return action.extra_value("remediate") == BOOT_SERVICES


def unanswered(cstate: str) -> bool:
    """The node was booted but NIM never saw it: its install is still only enabled."""
    return cstate == ENABLED


def advice(mn: str | None, remediated: bool) -> str:
    where = f" on {mn}" if mn else " on the install server"
    if remediated:
        return (f"; still unanswered after restarting the boot services ({REMEDY}){where} "
                "and booting it again: look at the install server's network and NIM setup")
    return (f"; the network boot was never answered, which the runbook attributes to the boot "
            f"services: restart them with {REMEDY}{where}, or apply again with "
            "`--remediate boot-services` to have xclone do it and retry the node once")


def remediate(run: Run, nodes: list[str], xcat: Mapping[str, Mapping[str, str]],
              progress: Progress, restart: Run | None = None) -> str | None:
    """Restart the boot services on the nodes' install server (`restart`: a service node's
    own for its nodes, default `run`, the management node), then boot `nodes` again from the
    management node (`xcat`: their attributes, for `mgt`); why it failed, or None."""
    for node in nodes:
        progress(node, "boot never answered: restarting inetd, tftp and nfs, then booting again")
    for argv in RESTARTS:
        result = (restart or run)(Command(argv, MN_ENV))
        if result.exit_status != 0:
            return f"`{' '.join(argv)}` failed (exit {result.exit_status}): " \
                   f"{(result.stderr or result.stdout).strip()}"
    blades = [n for n in nodes if xcat.get(n, {}).get("mgt") == "fsp"]
    others = [n for n in nodes if n not in blades]
    boots = ([("rpower", compact(blades), "reset")] if blades else []) + \
        ([("rnetboot", compact(others))] if others else [])
    for words in boots:
        result = run(Command(words, MN_ENV))
        if result.exit_status != 0:
            return f"`{' '.join(words)}` failed (exit {result.exit_status}): " \
                   f"{(result.stdout or result.stderr).strip()}"
    return None
