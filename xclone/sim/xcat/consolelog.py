"""conserver's console logs on the management node, and `tail` to read them.

xCAT's conserver.cf logs every console to `/var/log/consoles/<node>` (xCAT 2.9.2 conserver.pm
`docfheaders`: `default * { logfile /var/log/consoles/&; timestamp 1hab; ... }`), for the nodes
`makeconservercf` configured. The lab writes no log as an install runs: a node's log is told
from where its install stands (the NIM machine's Cstate, info and err_info, the xCAT status),
so it always matches the install timeline. Other files are tailed from the lab's filesystem.
"""

from __future__ import annotations

from xclone.sim.args import UsageError, parse
from xclone.sim.clock import stamp
from xclone.sim.world import Out, World
from xclone.sim.xcat.hw import has_console, resolve_host

LOG_DIR = "/var/log/consoles/"
USAGE = "Usage: tail [-f] [-c Number | -n Number] [File]"
# [inf] AIX tail's message for a missing file (message set 0652)
NO_FILE = "tail: 0652-006 Cannot open {path}."
ENABLED = "BOS installation has been enabled"
UNANSWERED = "BOOTP: no reply from the boot server, retrying"  # [inf] our wording


def tail(world: World, args: list[str]) -> Out:
    out = Out()
    try:
        opts = parse(args, "n:", ())
    except UsageError:
        return out.err(USAGE).fail()
    count = opts.value("-n") or "10"
    if len(opts.rest) != 1 or not count.isdigit():
        return out.err(USAGE).fail()
    path = opts.rest[0]
    node = path[len(LOG_DIR):] if path.startswith(LOG_DIR) else None
    lines = _file(world, path) if node is None else _console(world, node)
    if lines is None:
        return out.err(NO_FILE.format(path=path)).fail(2)
    for line in lines[-int(count):] if int(count) else []:
        out.out(line)
    return out


def _file(world: World, path: str) -> list[str] | None:
    body = world.file(path)
    if body is None or body.get("type") == "dir":
        return None
    return world.read(path).splitlines()


def _console(world: World, node: str) -> list[str] | None:
    """What conserver logged for the node so far; None when it has no console (no log file)."""
    if not node or not has_console(world, node):
        return None
    up = f"{stamp(world.now):%a %b %d %H:%M:%S %Y}"
    lines = ["[Enter `^Ec?' for help]", f"[-- Console up -- {up} --]"]
    machine = world.nim(node) or {}
    status = (world.xcat("node", node) or {}).get("status", "")
    cstate = str(machine.get("Cstate", ""))
    started = status in ("installing", "booted") or "being performed" in cstate or \
        "Cstate_result" in machine
    if not started:
        return lines
    lines += [
        "BOOTP: chosen-network-type = ethernet,auto,none,auto",
        f"BOOTP: server IP = {world.mn.get('ip', '')}",
        f"BOOTP: client IP = {resolve_host(world, node) or ''}",
    ]
    if cstate == ENABLED and "Cstate_result" not in machine:
        # booted, but NIM never saw it: firmware keeps asking (an unanswered boot)
        return lines + [f"BOOTP R = {n} BOOTP S = 0" for n in range(1, 4)] + [UNANSWERED]
    lines += [
        "BOOTP R = 1 BOOTP S = 2",
        f"FILE: /tftpboot/{node}",
        "FINAL Packet Count = 30004",
        "-" * 79,
        " " * 32 + "Welcome to AIX.",
        "-" * 79,
        "Installing Base Operating System",
    ]
    if machine.get("info"):
        lines.append(str(machine["info"]))
    if machine.get("Cstate_result") == "failure":
        lines += [str(machine.get("err_info", "")), "Installation failed."]
    elif "customization" in cstate or machine.get("Cstate_result") == "success":
        lines.append("Running the NIM customization scripts.")
    if status == "booted":
        lines += ["Rebooting . . .", "AIX Version 6", f"Console login: {node} login:"]
    return lines
