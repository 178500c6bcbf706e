"""nimnodeset's replication of an osimage to the service nodes that serve its nodes.

Sources (xCAT 2.9.2 aixinstall.pm): prenimnodeset adds the `xcataixscript` script to each
standalone image (lines 8616-8630) and, on the management node, calls doSNcopy2 (lines
8985-8998, 9610-9780): it copies /etc/hosts and /install/postscripts to every service node of
the request (xdcp; a failure is only reported), asks each one for its NIM resources
(`xdsh SN "lsnim -c resources"`, a failure stops the whole command: "Could not get NIM resource
definitions from SN.", then "Could not copy NIM resources to the xCAT service nodes." and
Return=1, nothing done for any node), and copies every resource of the nodes' images the SN
lacks by name, for the types mksysb, resolv_conf, script, installp_bundle, bosinst_data,
lpp_source (standalone images only), spot and image_data. copyres2 (lines 9409-9600) makes the
directory, checks the SN's free space (`df -m`, `chfs` to grow it), and prsyncs the resource to
the same location on every SN at once. On the SN, nimnodeset's make_SN_resource (lines
12959-13650) prints "Checking NIM resources on SN.", checks the nodes' NIM networks
(checkNIMnetworks, lines 12692-12935: one is defined when none has the node's net and mask),
says "Using existing resource called 'NAME'." for each image resource it already had, and
defines each copied one with `nim -Fo define -t TYPE -a server=master -a location=LOC NAME`.

The lab's copy: the missing resources' megabytes (an image's mksysb is costs `nim` mksysb_mb;
a SPOT and an lpp_source our sizes below; the small file resources nothing) go at the service
node's own throughput (costs `servers`), and with costs `nim` the copies of every nimnodeset
running at once share the management node's network as scp's copies do (their meta pool).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from xclone.sim import choices, install
from xclone.sim.aix.scp import POOL
from xclone.sim.costs import NimCosts
from xclone.sim.seed import covers, network
from xclone.sim.transfer import Sharing, Transfer
from xclone.sim.world import Attrs, Block, Out, Reply, World
from xclone.sim.xcat import dispatch
from xclone.sim.xcat import objects as ob
from xclone.sim.xcat.hw import network_of, resolve_host

COPIED = ("mksysb", "resolv_conf", "script", "installp_bundle", "bosinst_data", "lpp_source",
          "spot", "image_data")
SPOT_MB = 1024.0  # a SPOT (the /usr of a BOS image): ours, within the 1-2 GB of a NIM resource
LPP_SOURCE_MB = 4096.0  # an lpp_source of one AIX level's filesets: ours

Resources = list[tuple[str, str]]  # (NIM type, name)


def image_resources(osimage: Attrs) -> Resources:
    """An image's NIM resources in make_SN_resource's order: lpp_source, spot, then the others;
    a standalone image's scripts end with xcataixscript."""
    found: Resources = []
    types = [t for t in ("lpp_source", "spot") if t in osimage] + sorted(
        t for t in osimage if t not in ("lpp_source", "spot"))
    for rtype in types:
        if rtype in choices.NIM_RESOURCE_TYPES:
            found += [(rtype, name) for name in ob.split_list(osimage[rtype])]
    if osimage.get("nimtype", "standalone") == "standalone":
        found.append(("script", choices.NIM_SCRIPT_RESOURCE))
    return list(dict.fromkeys(found))


def _needed(world: World, images: set[str]) -> Resources:
    found: Resources = []
    for image in sorted(images):
        osimage = world.xcat("osimage", image) or {}
        standalone = osimage.get("nimtype", "standalone") == "standalone"
        found += [(t, n) for t, n in image_resources(osimage)
                  if t in COPIED and (standalone or t != "lpp_source")]
    return list(dict.fromkeys(found))


def unreachable(world: World, remote: dict[str, list[str]]) -> Out | None:
    """doSNcopy2's stop when a service node cannot be reached over xdsh (a down host, a name
    nobody resolves): the errors, or None when every one answers."""
    lost = [dest for dest in remote
            if (face := dispatch.face_of(world, dest)) is None or dispatch.down(world, face)]
    if not lost:
        return None
    out = Out().err("Error: Could not copy /etc/hosts to service nodes.\n")
    out.err("Error: Could not copy /install/postscripts to service nodes.\n")
    out.err(f"Error: Could not get NIM resource definitions from {lost[0]}.")
    return out.err("Error: Could not copy NIM resources to the xCAT service nodes.\n")


def _size(world: World, rtype: str) -> float:
    if rtype == "mksysb":
        return (world.costs.nim or NimCosts()).mksysb_mb
    return {"spot": SPOT_MB, "lpp_source": LPP_SOURCE_MB}.get(rtype, 0.0)


def start(world: World, remote: dict[str, list[str]], images: dict[str, str],
          verbose: bool, out: Out) -> dict[str, Resources]:
    """Begin the copies: /etc/hosts at once, each SN's missing resources as a transfer out of
    the management node. Returns what each SN (by face) gets."""
    hosts = world.read("/etc/hosts")
    copies: dict[str, Resources] = {}
    for dest, nodes in remote.items():
        face = dispatch.face_of(world, dest) or ""
        sn = world.serving(face)
        sn.write("/etc/hosts", hosts)
        wanted = _needed(world, {images[n] for n in nodes if n in images})
        copies[face] = [(t, n) for t, n in wanted if sn.nim(n) is None]
    if verbose:
        for _rtype, name in dict.fromkeys(r for rs in copies.values() for r in rs):
            out.out(f"Copying NIM resource {name} to service nodes.\n")
    if install.shared(world):
        pool = list(world.s.meta(POOL) or [])
        pool += [[_key(face, world.now), world.now, size(world, got), False]
                 for face, got in copies.items() if got]
        world.s.set_meta(POOL, pool)
    return copies


def size(world: World, got: Resources) -> float:
    """The megabytes of the copied resources."""
    return sum(_size(world, rtype) for rtype, _name in got)


def _key(face: str, began: float) -> str:
    return f"nimnodeset>{face}@{began!r}"


def seconds_left(world: World, face: str, began: float, size: float) -> float:
    """Until the copy to `face` (of `size` MB, begun at `began`) has moved all of it: at the
    SN's own throughput, and with costs `nim` no sooner than its fair share of the management
    node's network allows."""
    end = began + world.duration(size / world.costs.bandwidth(face)) if size else began
    if install.shared(world) and size:
        transfers = [Transfer(str(k), float(t), float(mb))
                     for k, t, mb, _ in world.s.meta(POOL) or []]
        sharing = Sharing(transfers, world.costs.bandwidth(str(world.s.meta("mn")["name"])),
                          float("inf"))
        if _key(face, began) in sharing:
            end = max(end, sharing.finish[_key(face, began)])
    return max(end - world.now, 0.0)


def copied(world: World, face: str, began: float) -> None:
    """The copy to `face` has ended: the pool forgets it once every copy in it has."""
    key = _key(face, began)
    pool = [[k, t, mb, done or k == key] for k, t, mb, done in world.s.meta(POOL) or []]
    world.s.set_meta(POOL, [] if all(e[3] for e in pool) else pool)


def after(seconds: float, then: Callable[[World], Reply]) -> Block:
    """A Block whose continuation may wait again (Lab.execute runs a returned Block too)."""
    return Block(max(seconds, 0.0), cast("Callable[[World], Out]", then))


def define(sn: World, mn: World, nodes: list[str], images: dict[str, str],
           got: Resources, out: Out) -> None:
    """make_SN_resource on the service node `sn`: its NIM networks for the nodes, then each
    image resource, existing ones said, copied ones (same location) defined."""
    name = sn.mn["name"]
    out.out(f"Checking NIM resources on {name}.\n")
    _networks(sn, nodes)
    for rtype, rname in _needed(mn, {images[n] for n in nodes if n in images}):
        if (rtype, rname) not in got:
            if sn.nim(rname) is not None:
                out.out(f"Using existing resource called '{rname}'.\n")
            continue
        body = dict(mn.nim(rname) or {})
        if not body:
            out.err(f"Error: Could not create NIM resource {rname} on {name} \n")
            continue
        body.update({"alloc_count": "0", "Rstate": "ready for use", "server": "master"})
        sn.put_nim(rname, body)
        location = str(body.get("location", ""))
        content = mn.file(location)
        if content is not None and content.get("type") == "file":
            _parents(sn, location)
            sn.write(location, str(content.get("content", "")))


def _parents(sn: World, path: str) -> None:
    parts = path.split("/")[1:-1]
    for i in range(1, len(parts) + 1):
        folder = "/" + "/".join(parts[:i])
        if sn.file(folder) is None:
            sn.mkdir(folder)


def _networks(sn: World, nodes: list[str]) -> None:
    """checkNIMnetworks: a NIM network on the SN for each node's xCAT network none matches."""
    for node in nodes:
        ip = resolve_host(sn, node)
        net = network_of(sn, ip) if ip else None
        if net is None or not net[1].get("mask"):
            continue
        attrs = net[1]
        if any(b.get("class") == "networks" and covers(b, ip or "")
               and b.get("snm") == attrs["mask"] for b in sn.nim_all().values()):
            continue
        sn.put_nim(net[0], network({"net_addr": attrs["net"], "snm": attrs["mask"],
                                    "routing1": f"default {attrs.get('gateway', '')}"}))
