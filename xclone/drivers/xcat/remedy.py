"""Network boots the runbook blames on the install server's boot services, and their remedy.

bootpd and tftpd run under inetd and the client mounts the SPOT over NFS (IBM AIX, "Debugging a
network boot problem"): when they stop answering, rnetboot still says `Success` (it only starts
the boot: docs/formats.md "rnetboot") while NIM never sees the client, so its Cstate stays "BOS
installation has been enabled" until the wait's limits strike. The runbook's remedy restarts
inetd, the tftp subserver and the nfs group on the install server, then boots the node again.
`xclone apply --remediate boot-services` puts `remediate` in the install waits: each node whose
boot went unanswered gets that remedy once (every command is the wait's, so journaled), then
is booted again with the command that booted it; never by default.
"""

from __future__ import annotations

from xclone.apply.waits import Progress, Run
from xclone.base.command import Command
from xclone.base.noderange import compact
from xclone.plan.action import MN_ENV, Action

BOOT_SERVICES = "boot-services"
ENABLED = "BOS installation has been enabled"
RESTARTS = (("stopsrc", "-s", "inetd"), ("startsrc", "-s", "inetd"),
            ("stopsrc", "-t", "tftp"), ("startsrc", "-t", "tftp"),
            ("stopsrc", "-g", "nfs"), ("startsrc", "-g", "nfs"))
REMEDY = ("`stopsrc -s inetd; startsrc -s inetd`, `stopsrc -t tftp; startsrc -t tftp` and "
          "`stopsrc -g nfs; startsrc -g nfs`")


def extra(requested: frozenset[str], blade: bool) -> tuple[tuple[str, str], ...]:
    """What an install wait carries when apply was asked to remedy boot services: the remedy and
    the program that booted its nodes (blade.py: rpower; else rnetboot)."""
    if BOOT_SERVICES not in requested:
        return ()
    return (("reboot", "rpower" if blade else "rnetboot"), ("remediate", BOOT_SERVICES))


def reboot_program(action: Action) -> str | None:
    """The program to boot an unanswered node again with, when the wait may remedy."""
    if action.extra_value("remediate") != BOOT_SERVICES:
        return None
    return action.extra_value("reboot") or "rnetboot"


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


def remediate(run: Run, nodes: list[str], reboot: str, progress: Progress) -> str | None:
    """Restart the boot services, then boot `nodes` again; why it failed, or None."""
    for node in nodes:
        progress(node, "boot never answered: restarting inetd, tftp and nfs, then booting again")
    for argv in RESTARTS:
        result = run(Command(argv, MN_ENV))
        if result.exit_status != 0:
            return f"`{' '.join(argv)}` failed (exit {result.exit_status}): " \
                   f"{(result.stderr or result.stdout).strip()}"
    words = ("rpower", compact(nodes), "reset") if reboot == "rpower" else \
        ("rnetboot", compact(nodes))
    result = run(Command(words, MN_ENV))
    if result.exit_status != 0:
        return f"`{' '.join(words)}` failed (exit {result.exit_status}): " \
               f"{(result.stdout or result.stderr).strip()}"
    return None
