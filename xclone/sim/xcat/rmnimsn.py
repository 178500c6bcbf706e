"""Which NIM masters `rmnimimage` removes an osimage's resources from, and the removal on each.

Sources (xCAT 2.9.2): xCAT-client/pods/man1/rmnimimage.1.pod (by default the management node
and every service node that holds replicated copies; `-M` the management node only; `-s
SNRANGE` those service nodes only); aixinstall.pm prermnimimage (lines 5860-5890: without -M
or -s the servers are getSNformattedhash of every node, so the management node and each
node's `servicenode`) and preprocess_request (lines 210-260: one request per server, its
`_xcatdest`, sent as xcatd sends every hierarchical request, so one it cannot reach fails
alone: dispatch.py); rmnimimage (lines 6260-6500) on each server removes the image's
resources it has, by NIM type (lpp_source only with -d), says "$Sname: The resource named
'NAME' is currently allocated. It will not be removed." for one still allocated there, and
with -d removes the files too.
"""

from __future__ import annotations

from xclone.sim.nim.model import allocated
from xclone.sim.world import Out, World
from xclone.sim.xcat import dispatch
from xclone.sim.xcat import objects as ob


def servers(world: World, only_mn: bool, serverlist: str | None) -> list[str]:
    """The destinations (dispatch.LOCAL the management node) in the request's order."""
    if only_mn:
        return [dispatch.LOCAL]
    if serverlist is not None:
        return list(dict.fromkeys(ob.split_list(serverlist)))
    found = [dispatch.servicenode(world, node) for node in sorted(world.xcat_all("node"))]
    return [dispatch.LOCAL, *sorted(set(found) - {dispatch.LOCAL})]


def remove(world: World, names: list[str], label: str, delete: bool, out: Out) -> None:
    """The resources `names` that `world`'s NIM has, each removed unless allocated."""
    for name in names:
        body = world.nim(name)
        if body is None:
            continue
        if int(body.get("alloc_count", "0")) > 0 or allocated(body):
            out.out(f"{label}: The resource named '{name}' is currently allocated. It will not "
                    f"be removed.\n")
            continue
        world.del_nim(name)
        if delete and "location" in body:
            world.s.delete("file", str(body["location"]))
        out.out(f"{label}: Removed the NIM resource named '{name}'.\n")


def remove_everywhere(world: World, names: list[str], dests: list[str], delete: bool,
                      out: Out) -> None:
    """Each destination's part: the management node's own, or a service node's over xcatd
    (an unreachable one is its dispatch error, exit 1, the others go on)."""
    for dest in dests:
        if dest == dispatch.LOCAL:
            remove(world, names, world.mn["name"], delete, out)
            continue
        why = dispatch.problem(world, dest)
        face = dispatch.face_of(world, dest)
        if why is not None or face is None:
            out.err(dispatch.error_text(dest, why or f"Bad hostname '{dest}'").rstrip("\n"))
            out.fail()
            continue
        remove(world.serving(face), names, dest, delete, out)
