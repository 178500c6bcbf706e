"""AIX's System Resource Controller on the management node: `stopsrc` and `startsrc` for a
subsystem (-s), an inetd subserver (-t) or a group (-g), as the runbook's remedy for failing
network boots uses them. Restarting inetd, the tftp subserver and the nfs group cures an
`install: boot-services` fault (bootservices.py).
"""

from __future__ import annotations

from xclone.sim import bootservices
from xclone.sim.args import UsageError, parse
from xclone.sim.world import Out, World

# [inf] the members of the nfs group on an AIX NIM master
NFS_GROUP = ("biod", "nfsd", "rpc.mountd", "rpc.statd", "rpc.lockd")
USAGE = "Usage: {cmd} {{-a Argument | -g Group | -s Subsystem | -t Type}}"
STOPPING = "0513-044 The {name} Subsystem was requested to stop."
STARTED = "0513-059 The {name} Subsystem has been started. Subsystem PID is {pid}."
SUBSERVER = "0513-124 The {name} subserver has been {done}."  # [inf] wording
UNKNOWN = "0513-085 The {name} Subsystem is not on file."
STOPPED = "src_stopped"  # meta (+ the master's scope): services stopped, not yet started again


def stopsrc(world: World, args: list[str]) -> Out:
    return _src(world, args, start=False)


def startsrc(world: World, args: list[str]) -> Out:
    return _src(world, args, start=True)


def _src(world: World, args: list[str], *, start: bool) -> Out:
    cmd = "startsrc" if start else "stopsrc"
    out = Out()
    try:
        opts = parse(args, "s:g:t:a:fc")
    except UsageError:
        return out.err(USAGE.format(cmd=cmd)).fail(1)
    service, lines = _lines(opts.value("-s"), opts.value("-g"), opts.value("-t"), start,
                            world.s.meta("src_pid", 20000))
    if service is None:
        return out.err(lines[0] if lines else USAGE.format(cmd=cmd)).fail(1)
    for line in lines:
        out.out(line)
    world.s.set_meta("src_pid", int(world.s.meta("src_pid", 20000)) + len(lines))
    stopped = set(world.s.meta(STOPPED + world.scope) or [])
    restarted = set(world.s.meta(bootservices.RESTARTED + world.scope) or [])
    if not start:
        stopped.add(service)
    elif service in stopped:
        stopped.discard(service)
        restarted.add(service)
    world.s.set_meta(STOPPED + world.scope, sorted(stopped))
    bootservices.restarted(world, restarted)
    return out


def _lines(subsystem: str | None, group: str | None, subserver: str | None, start: bool,
           pid: int) -> tuple[str | None, list[str]]:
    if subserver is not None:
        return subserver, [SUBSERVER.format(name=subserver, done="started" if start
                                            else "stopped")]
    names = NFS_GROUP if group == "nfs" else (subsystem,) if subsystem else ()
    if group is not None and group != "nfs":
        return None, [f"0513-086 The {group} Group is not on file."]
    if not names:
        return None, []
    if subsystem not in (None, "inetd", "bootpd", "tftpd", "nfsd", *NFS_GROUP):
        return None, [UNKNOWN.format(name=subsystem)]
    if start:
        return group or subsystem, [STARTED.format(name=n, pid=pid + i)
                                    for i, n in enumerate(names)]
    return group or subsystem, [STOPPING.format(name=n) for n in names]
