"""nimsh on installed clients: `nim -o lslpp NODE` and `nimquery -a host=NODE`.

`nim -o lslpp` runs lslpp on the client through its NIM communication service, so it answers
only when the client's nimsh (or rsh) answers; `nimquery -a host=NAME` asks a host's nimsh for
its NIM settings and prints them as `name:value:` pairs on one line, `_ssl:yes` when nimsh runs
with SSL (IBM AIX, "Using NIM service handler for client communication" and nimquery). xCAT's
`confignimsh` postscript sets nimsh up with SSL at the end of the install.

The lab: a client answers once xCAT's status is `booted`; it runs nimsh with SSL when its
postscripts (as xCAT resolves them: the node's own, else its first group's) include
confignimsh. On a NIM master without xCAT: once NIM shows its install ended with success, with
SSL when confignimsh was among the `script` resources its install ran. An `install: nimsh`
fault on the LPAR: nimsh never comes up (lslpp and nimquery cannot connect).
"""

from __future__ import annotations

from xclone.sim.args import UsageError, parse
from xclone.sim.nim import ops
from xclone.sim.nim.model import READY, missing, wrapped
from xclone.sim.world import Out, Reply, World
from xclone.sim.xcat import objects as ob
from xclone.sim.xcat.bootfaults import has
from xclone.sim.xcat.hw import resolve_host

NIMSH_FAULT = "nimsh"
# [inf] the connect failure NIM reports for a client whose nimsh does not answer
NO_ANSWER = "0042-006 m_lslpp: (From_Master) connect Connection timed out"
NIMQUERY_NO_ANSWER = "nimquery: 0042-006 unable to connect to {host}: Connection timed out"
NIMQUERY_USAGE = "Usage: nimquery -a host=HostName [-p] [-d]"
LSLPP = ("  Fileset                      Level  State  Type  Description (Uninstaller)\n"
         "  " + "-" * 76 + "\n"
         "  bos.rte                   6.1.9.45    C     F    Base Operating System Runtime\n"
         "  bos.sysmgt.nim.client     6.1.9.45    C     F    Network Install Manager - Client\n")


def nim(world: World, args: list[str]) -> Reply:
    """`nim -o lslpp NAME` here; every other operation in ops.py."""
    if args[:2] != ["-o", "lslpp"] or len(args) != 3:
        return ops.nim(world, args)
    name = args[2]
    machine = world.nim(name)
    if machine is None:
        return missing("nim", name)
    state = _client(world, name)
    if state is None:
        return wrapped(NO_ANSWER)
    return Out().out(LSLPP.rstrip("\n"))


def _client(world: World, node: str) -> bool | None:
    """None: the client does not answer; else whether its nimsh runs with SSL."""
    attrs = world.xcat("node", node)
    lpar = world.find_lpar(node)
    if attrs is None:  # a NIM master without xCAT: the install's own end and its scripts
        machine = world.nim(node) or {}
        if lpar is None or (machine.get("Cstate"), machine.get("Cstate_result")) != (
                READY, "success"):
            return None
        scripts = [str(s) for s in lpar.get("nim_scripts", [])]
    elif attrs.get("status") != "booted":
        return None
    else:
        scripts = ob.effective(world, node, attrs).get("postscripts", "").split(",")
    names = (node, str(lpar["name"])) if lpar is not None else (node,)
    if has(world, NIMSH_FAULT, *names):
        return None
    return "confignimsh" in scripts


def nimquery(world: World, args: list[str]) -> Out:
    out = Out()
    try:
        opts = parse(args, "a:pd")
    except UsageError:
        return out.err(NIMQUERY_USAGE).fail(1)
    wanted = opts.value("-a") or ""
    if not wanted.startswith("host=") or opts.rest:
        return out.err(NIMQUERY_USAGE).fail(1)
    host = wanted[len("host="):]
    ip = resolve_host(world, host)
    ssl = _client(world, host) if world.nim(host) is not None else None
    if ip is None or ssl is None:
        return out.err(NIMQUERY_NO_ANSWER.format(host=host)).fail(1)
    net = world.nim(host) or {}
    return out.out(f"host:{host}:addr:{ip}:_pif:en0:_ssl:{'yes' if ssl else 'no'}:"
                   f"_psh:no:_res:no:asyn:no:cpuid:{net.get('cpuid', '')}:")
