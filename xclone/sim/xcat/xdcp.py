"""`xdcp NODERANGE [-p] [-R] SOURCE... TARGETPATH` on the management node: copy files to nodes.

Source: xCAT 2.9.2 xCAT-client/pods/man1/xdcp.1.pod (synopsis; "Exit Status": the exit code
is 0 when every remote copy ended with 0, greater than 0 otherwise). doSNcopy2 in
aixinstall.pm copies the management node's /etc/hosts to the service nodes with `xdcp SNLIST
/etc/hosts /etc`; that is what the lab needs: a node here is a NIM master of the lab (a
service node), each source a file of the management node, written under TARGETPATH on the
node (a TARGETPATH that is not a directory there is the file's new name). A node the lab
does not have or that is down gets OpenSSH's message prefixed with its name, as xdsh/xdcp
prefix each line of a node's output; the usage text is ours.
"""

from __future__ import annotations

from xclone.sim.args import UsageError, parse
from xclone.sim.world import Out, World
from xclone.sim.xcat import dispatch
from xclone.sim.xcat import objects as ob

USAGE = "Usage: xdcp <noderange> [-p] [-R] sourcefile.... targetpath"


def xdcp(world: World, args: list[str]) -> Out:
    try:
        opts = parse(args, "pRf:t:")
    except UsageError:
        return Out().err(USAGE).fail()
    if len(opts.rest) < 3:
        return Out().err(USAGE).fail()
    nodes, sources, target = ob.split_list(opts.rest[0]), opts.rest[1:-1], opts.rest[-1]
    out = Out()
    for source in sources:
        if world.file(source) is None:
            return out.err(f"Error: {source}: No such file or directory").fail()
    for node in nodes:
        face = dispatch.face_of(world, node)
        if face is None:
            out.err(f"{node}: ssh: Could not resolve hostname {node}: Name or service not "
                    "known").fail()
            continue
        if dispatch.down(world, face):
            out.err(f"{node}: ssh: connect to host {node} port 22: Connection timed out").fail()
            continue
        there = world.serving(face)
        for source in sources:
            into = target.rstrip("/") or "/"
            existing = there.file(into)
            is_file = existing is not None and existing.get("type") == "file"
            name = source.rsplit("/", 1)[-1]
            there.write(into if is_file else f"{into.rstrip('/')}/{name}", world.read(source))
    return out
