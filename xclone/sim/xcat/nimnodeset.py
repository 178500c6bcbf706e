"""`nimnodeset`: NIM standalone machines made ready for a BOS install, with xCAT 2.9.2's checks
in its order (docs/formats.md "NIM from xCAT"; aixinstall.pm prenimnodeset lines 8213-9010,
nimnodeset 598-1390).

Before anything changes (each stop is one message, then `Error: Return=1.`): an `-i` image
that is not defined (no `<mn>:` prefix), a node the management node cannot resolve, a NIM
resource named by the image that NIM does not have. Then per node, failures only fail that
node: no image name, and for a machine NIM does not know yet the network mask, gateway and
the image's SPOT, each reported; machines it defines get `netboot_kernel=mp`.
"""

from __future__ import annotations

from xclone.sim import choices, install
from xclone.sim.args import UsageError, parse
from xclone.sim.nim.model import allocate, define_machine, find_net
from xclone.sim.seed import network, resource
from xclone.sim.world import Attrs, Block, Out, Reply, World
from xclone.sim.xcat import dispatch, sncopy
from xclone.sim.xcat import objects as ob
from xclone.sim.xcat.aixusage import failed, usage
from xclone.sim.xcat.hw import network_of, resolve_host


def _mac(attrs: Attrs) -> str:
    return attrs.get("mac", "").split("|")[0].replace(":", "")


def _bos_inst(world: World, mn: str, node: str, osimage: Attrs) -> str | None:
    """Allocate the osimage's resources and enable the BOS install; an error line or None."""
    machine = world.nim(node)
    if machine is None:
        return f"Error: {mn}: The NIM machine '{node}' is not defined.\n"
    wanted = {k: osimage[k] for k in sorted(osimage)
              if k in choices.NIM_RESOURCE_TYPES and k != "script"}
    wanted.update({"script": choices.NIM_SCRIPT_RESOURCE, "boot": "boot",
                   "nim_script": "nim_script"})
    failure = f"Error: {mn}: The NIM bos_inst operation failed for '{node}'.\n"
    if any(world.nim(n) is None for n in wanted.values()) or "spot" not in wanted:
        return failure
    for rtype, rname in wanted.items():
        if allocate(world, machine, rtype, rname) is not None:
            return failure
    machine["prev_state"], machine["Cstate"] = machine["Cstate"], install.ENABLED
    machine.pop("Cstate_result", None)
    machine.pop("err_info", None)
    world.put_nim(node, machine)
    return None


def _define_client(world: World, mn: str, node: str, attrs: Attrs, osimage: Attrs | None,
                   image: str, out: Out) -> bool:
    """Define the NIM machine as nimnodeset does (lines 810-980); False when the node failed."""
    ip = resolve_host(world, node) or ""
    if not ip:
        out.err(f"Error: {mn}: Could not get valid IP address for node {node}.\n")
        return False
    net = network_of(world, ip)
    net_attrs = net[1] if net is not None else {}
    problems = []
    if not net_attrs.get("mask"):
        problems.append(f"Error: {mn}: Missing network mask for node '{node}'.\n")
    if not net_attrs.get("gateway"):
        problems.append(f"Error: {mn}: Missing network gateway for node '{node}'.\n")
    if not (osimage or {}).get("spot"):
        problems.append(f"Error: {mn}: Missing spot name for osimage \n'{image}'.\n")
    if problems:
        out.stderr += [p + "\n" for p in problems]
        return False
    out.out(f"{mn}: Creating NIM client definition '{node}.'\n")
    if isinstance(find_net(world, node), str):
        # net_definition: NIM defines a network for the node when none matches its address
        name = "net_" + net_attrs["net"].replace(".", "_")
        world.put_nim(name, network({"net_addr": net_attrs["net"], "snm": net_attrs["mask"],
                                     "routing1": f"default {net_attrs['gateway']}"}))
    ifs = {"if1": f"find_net {node} {_mac(attrs)} ent", "cable_type1": "N/A"} if _mac(attrs) \
        else {}
    defined = define_machine(world, node, {**ifs, "netboot_kernel": "mp",
                                           "net_settings1": "100 full"})
    if defined.status or not ifs:
        out.err(f"Error: {mn}: Could not create a NIM definition for '{node}'.\n")
        return False
    return True


def _one(world: World, mn: str, node: str, image: str, force: bool, out: Out) -> bool:
    attrs = ob.effective(world, node, world.xcat("node", node) or {})
    osimage = world.xcat("osimage", image)
    machine = world.nim(node)
    if machine is None:
        if not _define_client(world, mn, node, attrs, osimage, image, out):
            return False
        machine = world.nim(node) or {}
    if force:
        install.deallocate(world, machine)
        machine["Cstate"] = install.READY
        world.put_nim(node, machine)
    problem = None
    if "ready" not in str(machine.get("Cstate", "")):
        problem = (f"Error: {mn}: The NIM machine named {node} is not in the ready state and "
                   f"cannot be initialized. Use -f flag to forcely initialize it.\n")
    elif (osimage or {}).get("nimtype", "standalone") != "standalone":
        problem = f"Error: {mn}: Use the mkdsklsnode command to initialize diskless/dataless " \
                  f"nodes.\n"
    else:
        problem = _bos_inst(world, mn, node, osimage or {})
    if problem:
        out.err(problem)
        return False
    own = world.xcat("node", node) or {}
    own["os"] = "AIX"
    own["profile"] = own["provmethod"] = image
    world.put_xcat("node", node, own)
    return True


def _images(world: World, nodes: list[str], given: str | None, out: Out) -> dict[str, str]:
    """node -> image name: -i, else provmethod, else profile (prenimnodeset lines 8445-8475)."""
    chosen: dict[str, str] = {}
    for node in nodes:
        attrs = ob.effective(world, node, world.xcat("node", node) or {})
        image = given or attrs.get("provmethod") or attrs.get("profile")
        if image:
            chosen[node] = image
        else:
            out.err(f"Error: Could not determine an OS image name for node '{node}'.\n")
    return chosen


def _missing_resource(world: World, images: set[str]) -> str | None:
    for image in sorted(images):
        for rtype, value in sorted((world.xcat("osimage", image) or {}).items()):
            if rtype not in choices.NIM_RESOURCE_TYPES:
                continue
            for name in ob.split_list(value):
                if world.nim(name) is None:
                    return name
    return None


def nimnodeset(world: World, args: list[str]) -> Reply:
    out, mn = Out(), world.mn["name"]
    try:
        opts = parse(args, "Vfi:l:pbhdknrSuv", ("help", "verbose", "force"))
    except UsageError:
        return failed(usage(out, "nimnodeset"))
    if not args or opts.has("-h", "--help"):
        return usage(out, "nimnodeset")
    given = opts.value("-i")
    if given is not None and world.xcat("osimage", given) is None:
        return failed(out.err(f"Error: The xCAT osimage named '{given}' is not defined.\n"))
    words = [w for w in opts.rest if "=" not in w]
    if len(words) != 1:
        return failed(usage(out, "nimnodeset"))
    found, unknown = ob.resolve_nodes(world, words[0])
    if unknown:
        return out.err(ob.invalid_noderange(unknown)).fail()
    for node in found:
        if resolve_host(world, node) is None:
            return failed(out.err(f"Error: {mn}: Could not resolve node {node}.\n"))
    images = _images(world, found, given, out)
    missing = _missing_resource(world, set(images.values()))
    if missing is not None:
        return failed(out.err(f"Error: NIM resource {missing} is not defined on {mn}.\n"))
    if world.nim(choices.NIM_SCRIPT_RESOURCE) is None:
        world.put_nim(choices.NIM_SCRIPT_RESOURCE, resource(choices.NIM_SCRIPT_RESOURCE, "script", {
            "location": f"/install/nim/scripts/{choices.NIM_SCRIPT_RESOURCE}"}))
    force, verbose = opts.has("-f", "--force"), opts.has("-V", "--verbose")
    groups = dispatch.split(world, found)
    remote = {dest: nodes for dest, nodes in groups.items() if dest != dispatch.LOCAL}
    if not remote:
        done = _part(world, found, images, force, verbose, out)
        seconds = choices.NIMNODESET_SECONDS + choices.NIMNODESET_PER_NODE_SECONDS * len(found)
        return Block(seconds, lambda _w: done)
    stop = sncopy.unreachable(world, remote)
    if stop is not None:
        return failed(out.extend(stop))
    copies = sncopy.start(world, remote, images, verbose, out)
    began = world.now
    longest = max(choices.NIMNODESET_PER_NODE_SECONDS * len(n) for n in groups.values())
    work = choices.NIMNODESET_SECONDS + longest

    def wait(later: World) -> Reply:
        left = max(sncopy.seconds_left(later, face, began, sncopy.size(later, got))
                   for face, got in copies.items())
        if left > 1e-6:
            return sncopy.after(left, wait)
        for face, got in copies.items():
            if got:
                sncopy.copied(later, face, began)
        return sncopy.after(work, lambda final: _parts(final, groups, images, force, verbose,
                                                      copies, out))

    first = max(sncopy.seconds_left(world, face, began, sncopy.size(world, got))
                for face, got in copies.items())
    return sncopy.after(first, wait)


def _parts(world: World, groups: dict[str, list[str]], images: dict[str, str], force: bool,
           verbose: bool, copies: dict[str, sncopy.Resources], out: Out) -> Out:
    """Each server's part of the request, as xcatd runs them (an SN it cannot reach: its
    dispatch error alone); the management node's first."""
    for dest, nodes in groups.items():
        if dest == dispatch.LOCAL:
            _part(world, nodes, images, force, verbose, out)
            continue
        why = dispatch.problem(world, dest)
        if why is not None:
            out.err(dispatch.error_text(dest, why).rstrip("\n")).fail()
            continue
        face = dispatch.face_of(world, dest) or ""
        sn = world.serving(face)
        sncopy.define(sn, world, nodes, images, copies.get(face, []), out)
        _part(sn, nodes, images, force, verbose, out)
    return out


def _part(world: World, nodes: list[str], images: dict[str, str], force: bool, verbose: bool,
          out: Out) -> Out:
    """nimnodeset on one NIM server (process_request): each node, then the summary."""
    mn = world.mn["name"]
    failed_nodes: list[str] = []
    for node in nodes:
        if node not in images:
            out.err(f"Error: {mn}: Could not determine an OS image name for node '{node}'.\n")
            failed_nodes.append(node)
    for node in (n for n in nodes if n in images):
        if not _one(world, mn, node, images[node], force, out):
            failed_nodes.append(node)
    if not any(n in images for n in nodes):
        failed(out)
    elif failed_nodes:
        out.out(f"{mn}: One or more errors occurred when attempting to initialize AIX NIM "
                f"nodes.\n")
        if verbose:
            out.out(f"{mn}: The following node(s) could not be initialized.\n")
            out.stdout += [f"{n}\n" for n in failed_nodes]
        failed(out)
    else:
        out.out(f"{mn}: AIX/NIM nodes were initialized.\n")
    return out
