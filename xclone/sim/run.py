"""The steps of one command line through the lab, inside the transaction `Lab.execute` holds.

The host check, the count, the faults and the handler all read and write through one
`Session`, so a command that does not wait costs one connection and one transaction; the CPU
the lab spends on it is added to `sim_cpu` in that same transaction (`Lab.sim_cpu`).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from typing import Any

from xclone.sim import choices
from xclone.sim.aix.dpasswd import mask
from xclone.sim.aix.scriptfile import runner
from xclone.sim.commands import handler_for
from xclone.sim.errors import LabError, SimResult
from xclone.sim.faults import XCAT_COMMANDS, Fault
from xclone.sim.settle import settle
from xclone.sim.store import Session
from xclone.sim.world import MASTERS, Reply, World

XCAT_ONLY = frozenset((*XCAT_COMMANDS, "tabdump", "chtab", "nodels", "nodech"))
REFUSED = ("", "Connection refused", 255)  # a `refuse` fault's failure: nothing ran
SIM_CPU = "sim_cpu"  # meta: command name -> [calls, CPU seconds]
STARTUP = "(process start)"  # the key of lab serve's per-command process start-up
Handler = Callable[[World, list[str]], Reply]


def face(s: Session, host: str, user: str | None, password: str | None) \
        -> tuple[str, str, bool]:
    """The host's kind and face, and whether it has xCAT's commands (a NIM master without
    xCAT, `xcat: false` in the lab file, has not)."""
    hosts: dict[str, list[str]] = s.meta("hosts", {})
    if host not in hosts:
        # the names it answers to: a spec's host misspelt is then plain to see
        raise LabError(f"{host}: no such host in the lab (it has: {', '.join(sorted(hosts))})",
                       host=host)
    kind, name = hosts[host]
    if int(s.meta("faults", 0)) and any(  # a lab that never had faults skips the scan
            body.get("down") and hosts.get(str(body.get("host")), ["", None])[1] == name
            for body in s.all("fault").values()):
        # a `down` fault: the host does not answer (OpenSSH's words for a connect timeout)
        raise LabError(f"{host}: ssh: connect to host {host} port 22: Connection timed out",
                       host=host, transient=True)
    mn = (s.meta(MASTERS) or {}).get(name) or s.meta("mn") or {}
    xcat = kind == "mn" and mn.get("xcat") is not False
    if kind == "hmc" and password is not None:
        from xclone.sim.passwords import current  # only a password login reads secrets

        hmc = s.get("hmc", name) or {}
        refused = password != current(hmc.get("password"))
        if refused or user not in (None, hmc.get("username")):
            raise LabError(f"{host}: Permission denied (publickey,password).",
                           host=host, transient=False)
    return kind, name, xcat


# What makes shlex's POSIX split differ from splitting at blanks: quotes, the escape, and
# the ASCII whitespace str.split() knows but the shell does not (non-ASCII goes to shlex).
_NOT_PLAIN = re.compile(r"[\"'\\\x0b\x0c\x1c-\x1f]")


def _split(command: str) -> list[str]:
    """The shell's words of a command line: a line of plain words (nearly every one xclone
    sends) split at its blanks, the same words shlex gives without its tokenizer's cost."""
    if command.isascii() and _NOT_PLAIN.search(command) is None:
        return command.split()
    return shlex.split(command, posix=True)


def words(kind: str, xcat: bool, command: str) -> SimResult | tuple[str, list[str], Handler]:
    """The command's name, arguments and handler, or the shell's own answer (a syntax error,
    nothing to run, a command this host does not have)."""
    try:
        split = _split(command)
    except ValueError:
        text = choices.MN_SHELL_SYNTAX.format(text=command[:20])
        return SimResult("", text + "\n", 1 if kind == "mn" else 2)
    while split and "=" in split[0] and split[0].split("=", 1)[0].isidentifier():
        split.pop(0)
    if not split:
        return SimResult("", "", 0)
    name, args = split[0], split[1:]
    handler = handler_for(kind, name)
    if handler is None and kind == "mn" and name.startswith("/"):
        handler = runner(name)  # a site script by its path (a prescript)
    if handler is None or (kind == "mn" and not xcat and name.rsplit("/", 1)[-1] in XCAT_ONLY):
        template = choices.MN_SHELL_NOT_FOUND if kind == "mn" else choices.HMC_SHELL_NOT_FOUND
        return SimResult("", template.format(cmd=name) + "\n", choices.SHELL_NOT_FOUND_STATUS)
    return name, args, handler


def faults(s: Session, face: str, name: str, args: list[str]) \
        -> tuple[float, tuple[str, str, int] | None, bool]:
    """The delay before answering, the answer a striking fault gives, and whether the
    answer is to be lost (a `drop` fault). Also counts the command (`command_counts`)."""
    delay = 0.0
    failure: tuple[str, str, int] | None = None
    drop = False
    count(s, face, name, args)
    delay += float((s.meta("latency") or {}).get(name, 0.0))
    hosts: dict[str, list[str]] = s.meta("hosts", {})
    for key, body in s.all("fault").items():
        data = {k: v for k, v in body.items() if k != "used"}
        fault = Fault.from_json(data)
        target = hosts.get(fault.host, ["", fault.host])[1] if fault.host else None
        if fault.install is not None or not Fault(
                command=fault.command, host=target, args=fault.args).matches(face, name, args):
            continue
        delay += fault.latency + fault.hang
        if not fault.counted or (failure is not None and fault.fails) or (drop and fault.drop):
            continue
        if fault.times is not None and int(body["used"]) >= fault.times:
            continue
        if fault.probability is not None and World(s, face, None).chance() >= fault.probability:
            continue
        body["used"] = int(body["used"]) + 1
        s.put("fault", key, body)
        if fault.drop:
            drop = True
        else:
            failure = REFUSED if fault.refuse else fault.answer()
    return delay, failure, drop


def count(s: Session, face: str, name: str, args: list[str]) -> None:
    """One more run of this command line at this face: tests assert that a command whose answer
    was lost was never sent again."""
    key = f"{face} {shlex.join(mask([name, *args]))}"
    body = s.get("count", key) or {"n": 0}
    s.put("count", key, {"n": int(body["n"]) + 1})


def handle(world: World, handler: Handler, args: list[str]) -> Reply:
    settle(world)
    return handler(world, args)


def account(s: Session, name: str, cpu: float, startup: float = 0.0) -> None:
    """Add one command's CPU seconds (and its process's start-up, under lab serve)."""
    table: dict[str, Any] = dict(s.meta(SIM_CPU) or {})
    for key, seconds in ((name, cpu), (STARTUP, startup)):
        if key == STARTUP and startup <= 0:
            continue
        calls, total = table.get(key, [0, 0.0])
        table[key] = [int(calls) + 1, float(total) + seconds]
    s.set_meta(SIM_CPU, table)
