"""xcatd's hierarchical dispatch: which install server runs each node's part of a request.

Sources (xCAT 2.9.2): a plugin's preprocess_request groups the nodes with
ServiceNodeUtils.pm getSNformattedhash(nodes, "xcat", "MN"), which keys each node by its
`noderes.servicenode` (the service node's name as the management node knows it), else by site
`master` (get_ServiceNode lines 441-520); aixinstall.pm (nimnodeset, lines 290-320) and
xcat2nim.pm (lines 97-130) key by the node itself, PPC.pm (rnetboot, rpower, getmacs, lines
1985-2015) by the node's hardware control point (`hcp`), unless site `hwctrldispatch` is 0 or
no. xcatd (lines 1905-1960) sends each group to its destination's xcatd on port 3001 in a fork
of its own; one it cannot reach fails alone with `Unable to dispatch hierarchical sub-command to
HOST:3001.  Error: <the error>. ` (errorcode 1, so the command exits 1) and the other groups
go on. The error is what xCAT::Client::submit_request dies with (Client.pm lines 219-237,
IO::Socket::INET with `Timeout => 15`): `Connection failure: IO::Socket::INET: ...` and Perl's
` at /opt/xcat/lib/perl/xCAT/Client.pm line 236.` plus a newline.

The lab's service node is a host of `nim_masters:` whose xCAT node is in group `service` (its
xcatd runs); a NIM master outside that group has no xcatd (connection refused), a name the lab
does not know is a bad hostname, and a host with a `down: true` fault does not answer (the
15-second connect timeout).
"""

from __future__ import annotations

from collections.abc import Callable

from xclone.sim.world import Out, World
from xclone.sim.xcat import objects as ob

LOCAL = ""  # the management node's own part of a request
CLIENT_PM = "/opt/xcat/lib/perl/xCAT/Client.pm"
CONNECT_TIMEOUT = 15.0  # Client.pm: IO::Socket::INET->new(..., Timeout => 15)


def down(world: World, face: str) -> bool:
    """Whether a `down: true` fault names one of this face's host names."""
    hosts: dict[str, list[str]] = world.s.meta("hosts", {})
    return any(body.get("down") and hosts.get(str(body.get("host")), ["", None])[1] == face
               for body in world.s.all("fault").values())


def face_of(world: World, name: str) -> str | None:
    """The lab face (LOCAL for the management node) a host name or address stands for."""
    for face, master in world.masters().items():
        if name == master["ip"] or name in (master["name"], *master.get("hostnames", [])):
            return face
    if name == world.site().get("master"):
        return LOCAL
    return None


def _has_xcatd(world: World, face: str) -> bool:
    """Whether the master `face` is an xCAT service node: the xCAT node of one of its names (or
    of its address) is in group `service`."""
    master = world.masters()[face]
    names = {master["name"], *master.get("hostnames", [])}
    for name in names:
        attrs = world.xcat("node", name)
        if attrs is not None:
            return "service" in ob.split_list(ob.effective(world, name, attrs).get("groups", ""))
    return any(attrs.get("ip") == master["ip"] and "service" in ob.split_list(
        ob.effective(world, name, attrs).get("groups", ""))
        for name, attrs in world.xcat_all("node").items())


def problem(world: World, dest: str) -> str | None:
    """Why xcatd cannot reach destination `dest` (IO::Socket::INET's words), or None."""
    face = face_of(world, dest)
    if face is None:
        return f"Bad hostname '{dest}'"
    if face == LOCAL:
        return None
    if down(world, face):
        return "connect: timeout"
    return None if _has_xcatd(world, face) else "connect: Connection refused"


def error_text(dest: str, why: str) -> str:
    """The error line xcatd sends back (the client prints `Error: ` before it)."""
    return (f"Error: Unable to dispatch hierarchical sub-command to {dest}:3001.  Error: "
            f"Connection failure: IO::Socket::INET: {why} at {CLIENT_PM} line 236.\n. \n")


def servicenode(world: World, node: str) -> str:
    """The node's `servicenode`, first of a list (the lab models one per node), or LOCAL."""
    attrs = ob.effective(world, node, world.xcat("node", node) or {})
    first = ob.split_list(attrs.get("servicenode", ""))[:1]
    if not first or face_of(world, first[0]) == LOCAL:
        return LOCAL
    return first[0]


def by_hcp(world: World, node: str) -> str:
    """PPC.pm's key for a hardware command: the service node of the node's `hcp`."""
    if ob.split_list(world.site().get("hwctrldispatch", ""))[:1] in (["0"], ["n"], ["no"]):
        return LOCAL
    hcp = ob.effective(world, node, world.xcat("node", node) or {}).get("hcp", "")
    return servicenode(world, hcp) if hcp else LOCAL


def split(world: World, nodes: list[str], key: Callable[[World, str], str] = servicenode) \
        -> dict[str, list[str]]:
    """Destination -> its nodes, in the noderange's order, the management node's part first."""
    groups: dict[str, list[str]] = {LOCAL: []}
    for node in nodes:
        groups.setdefault(key(world, node), []).append(node)
    if not groups[LOCAL]:
        del groups[LOCAL]
    return groups


def reachable(world: World, nodes: list[str], out: Out,
              key: Callable[[World, str], str] = servicenode) -> list[str]:
    """The nodes whose destination answers; each other destination's error goes to `out`."""
    kept: list[str] = []
    for dest, members in split(world, nodes, key).items():
        why = problem(world, dest) if dest else None
        if why is None:
            kept += members
        else:
            out.err(error_text(dest, why).rstrip("\n")).fail()
    return kept


def slowest(world: World, nodes: list[str], key: Callable[[World, str], str]) -> float:
    """Seconds the slowest unreachable destination keeps its fork (a down host's timeout)."""
    faces = {face_of(world, dest) for dest in split(world, nodes, key) if dest}
    return CONNECT_TIMEOUT if any(f and down(world, f) for f in faces) else 0.0
