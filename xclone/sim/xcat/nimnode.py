"""`xcat2nim` and `nimnodeset`: from xCAT definitions to NIM machines ready for a BOS install
(FORMATS §2.8, §2.9)."""

from __future__ import annotations

from xclone.sim import choices, install
from xclone.sim.args import UsageError, parse
from xclone.sim.nim.model import allocate, allocated, define_machine, find_net, stanza
from xclone.sim.seed import network, resource
from xclone.sim.world import Attrs, Block, Out, Reply, World
from xclone.sim.xcat import objects as ob
from xclone.sim.xcat.hw import network_of, resolve_host

X2N_USAGE = "xcat2nim [-V] [-l|-r|-u] [-f] [-t node|group|network] [-o object-names] " \
            "[noderange] [attr=val [attr=val...]]"
NNS_USAGE = "nimnodeset [-V] [-f] [-i osimage_name] [-l location] [-p|-b] noderange " \
            "[attr=val [attr=val ...]]"


def _split(words: list[str]) -> tuple[list[str], Attrs]:
    return [w for w in words if "=" not in w], dict(w.split("=", 1) for w in words if "=" in w)


def _mac(attrs: Attrs) -> str:
    return attrs.get("mac", "").split("|")[0].replace(":", "")


def _remove(world: World, name: str, force: bool) -> bool:
    body = world.nim(name)
    if body is None or (allocated(body) and not force):
        return False
    install.deallocate(world, body)
    world.del_nim(name)
    return True


def _node(world: World, mn: str, node: str, opts_has: set[str], extra: Attrs, out: Out) -> bool:
    """One xcat2nim node; returns False when the node failed."""
    if "-l" in opts_has:
        body = world.nim(node)
        if body is None:
            out.err(f'0042-053 lsnim: there is no NIM object named "{node}"')
            return False
        out.stdout.append(stanza(node, body))
        return True
    if "-r" in opts_has:
        if not _remove(world, node, "-f" in opts_has):
            out.err(f"Error: {mn}: Could not remove the NIM definition for '{node}'.\n")
            return False
        return True
    existing = world.nim(node)
    if existing is not None and "-u" in opts_has:
        existing.update(extra)
        world.put_nim(node, existing)
        return True
    if existing is not None and "-f" not in opts_has:
        out.out(f"{mn}: The NIM client machine '{node}' already exists.  Use the '-f' option to "
                f"remove and recreate or the '-u' option to update an existing definition.\n")
        return False
    if existing is not None:
        _remove(world, node, True)
    attrs = world.xcat("node", node) or {}
    if not _mac(attrs):
        out.err(f"Error: {mn}: Missing the MAC for node '{node}'.\n")
        return False
    if len(node) > 39:
        out.err(f"Error: {mn}: The node name '{node}' is too long. A NIM machine name can be "
                f"no longer then 39 characters.\n")
        return False
    defined = define_machine(world, node, {"if1": f"find_net {node} {_mac(attrs)} ent",
                                           "cable_type1": "N/A", **extra})
    if defined.status:
        out.err(f"Error: {mn}: Could not create a NIM definition for '{node}'.\n")
        return False
    return True


def xcat2nim(world: World, args: list[str]) -> Out:
    out, mn = Out(), world.mn["name"]
    try:
        opts = parse(args, "Vlrufht:o:", ("help",))
    except UsageError:
        return out.out(choices.XCAT_USAGE.format(cmd="xcat2nim", usage=X2N_USAGE)).fail()
    words, extra = _split(opts.rest)
    type_ = opts.value("-t") or "node"
    text = opts.value("-o") or (words[0] if words else "")
    if not text or type_ not in ("node", "group", "network"):
        return out.out(choices.XCAT_USAGE.format(cmd="xcat2nim", usage=X2N_USAGE)).fail()
    flags = set(opts.flags)
    ok = True
    if type_ == "network":
        if "-r" in flags:
            return out.out(f"{mn}: The remove option is not supported for NIM network "
                           f"definitions.").fail()
        for name in ob.split_list(text):
            ok = _network(world, mn, name, out) and ok
    elif type_ == "group":
        for name in ob.split_list(text):
            ok = _group(world, mn, name, flags, out) and ok
    else:
        found, unknown = ob.resolve_nodes(world, text)
        if unknown:
            return out.err(ob.invalid_noderange(unknown)).fail()
        for node in found:
            ok = _node(world, mn, node, flags, extra, out) and ok
    if not ok:
        out.err(f"Error: {mn}: One or more errors occured.\n").fail()
    return out


def _network(world: World, mn: str, name: str, out: Out) -> bool:
    attrs = world.xcat("network", name)
    if attrs is None or not attrs.get("net") or not attrs.get("mask"):
        out.err(f"Error: {mn}: Could not create a NIM definition for '{name}'.\n")
        return False
    if world.nim(name) is not None:
        out.out(choices.XCAT2NIM_NETWORK_EXISTS.format(name=name) + "\n")
        return False
    body = {"net_addr": attrs["net"], "snm": attrs["mask"]}
    if attrs.get("gateway"):
        body["routing1"] = f"default {attrs['gateway']}"
    world.put_nim(name, network(body))
    return True


def _group(world: World, mn: str, name: str, flags: set[str], out: Out) -> bool:
    if "-r" in flags:
        if world.nim(name) is None:
            out.err(f"Error: {mn}: Could not remove the NIM definition for '{name}'.\n")
            return False
        world.del_nim(name)
        return True
    members = ob.memberships(world).get(name, [])
    if world.nim(name) is not None and "-f" not in flags:
        out.out(f"{mn}: The NIM group '{name}' already exists.\n")
        return False
    if len(members) > 1024 or any(world.nim(m) is None for m in members):
        out.err(f"Error: {mn}: Could not create a NIM definition for '{name}'.\n")
        return False
    body: dict[str, str] = {"class": "groups", "type": "mac_group"}
    body.update({f"member{i}": m for i, m in enumerate(members, 1)})
    world.put_nim(name, body)
    return True


def _bos_inst(world: World, mn: str, node: str, osimage: Attrs) -> str | None:
    """Allocate the osimage's resources and enable the BOS install; an error line or None."""
    machine = world.nim(node)
    if machine is None:
        return f"Error: {mn}: Could not create a NIM definition for '{node}'."
    if world.nim(choices.NIM_SCRIPT_RESOURCE) is None:
        world.put_nim(choices.NIM_SCRIPT_RESOURCE, resource(choices.NIM_SCRIPT_RESOURCE, "script", {
            "location": f"/install/nim/scripts/{choices.NIM_SCRIPT_RESOURCE}"}))
    wanted = {k: osimage[k] for k in sorted(osimage)
              if k in choices.NIM_RESOURCE_TYPES and k != "script"}
    wanted.update({"script": choices.NIM_SCRIPT_RESOURCE, "boot": "boot",
                   "nim_script": "nim_script"})
    if any(world.nim(n) is None for n in wanted.values()):
        return f"Error: {mn}: The NIM bos_inst operation failed for '{node}'."
    for rtype, rname in wanted.items():
        if allocate(world, machine, rtype, rname) is not None:
            return f"Error: {mn}: The NIM bos_inst operation failed for '{node}'."
    machine["prev_state"], machine["Cstate"] = machine["Cstate"], install.ENABLED
    machine.pop("Cstate_result", None)
    machine.pop("err_info", None)
    world.put_nim(node, machine)
    return None


def _define_client(world: World, mn: str, node: str, attrs: Attrs, out: Out) -> str | None:
    ip = attrs.get("ip") or resolve_host(world, node) or ""
    net = network_of(world, ip) if ip else None
    if net is None or not net[1].get("mask"):
        return f"Error: {mn}: Missing network mask for node '{node}'."
    if not _mac(attrs):
        return f"Error: {mn}: Could not create a NIM definition for '{node}'."
    out.out(f"{mn}: Creating NIM client definition '{node}.'\n")
    if isinstance(find_net(world, node), str) and resolve_host(world, node):
        name = "net_" + net[1]["net"].replace(".", "_")
        world.put_nim(name, network({"net_addr": net[1]["net"], "snm": net[1]["mask"],
                                     "routing1": f"default {net[1].get('gateway', '')}"}))
    defined = define_machine(world, node, {"if1": f"find_net {node} {_mac(attrs)} ent",
                                           "cable_type1": "N/A", "net_settings1": "100 full"})
    return f"Error: {mn}: Could not create a NIM definition for '{node}'." if defined.status \
        else None


def _one(world: World, mn: str, node: str, given: str | None, force: bool, out: Out) -> str | None:
    attrs = ob.effective(world, node, world.xcat("node", node) or {})
    image = given or attrs.get("provmethod") or attrs.get("profile")
    if not image:
        return f"Error: {mn}: Could not determine an OS image name for node '{node}'."
    osimage = world.xcat("osimage", image)
    if osimage is None:
        return choices.MISSING_OSIMAGE.format(image=image)
    if osimage.get("nimtype", "standalone") != "standalone":
        return f"Error: {mn}: Use the mkdsklsnode command to initialize diskless/dataless nodes."
    machine = world.nim(node)
    if machine is None:
        problem = _define_client(world, mn, node, attrs, out)
        if problem:
            return problem
        machine = world.nim(node) or {}
    if force:
        install.deallocate(world, machine)
        machine["Cstate"] = install.READY
        world.put_nim(node, machine)
    if "ready" not in str(machine.get("Cstate", "")):
        return (f"Error: {mn}: The NIM machine named {node} is not in the ready state and cannot "
                f"be initialized. Use -f flag to forcely initialize it.")
    problem = _bos_inst(world, mn, node, osimage)
    if problem:
        return problem
    own = world.xcat("node", node) or {}
    own["os"] = "AIX"
    if given:
        own["profile"] = own["provmethod"] = given
    world.put_xcat("node", node, own)
    return None


def nimnodeset(world: World, args: list[str]) -> Reply:
    out, mn = Out(), world.mn["name"]
    try:
        opts = parse(args, "Vfi:l:pbh", ("help",))
    except UsageError:
        return out.out(choices.XCAT_USAGE.format(cmd="nimnodeset", usage=NNS_USAGE)).fail()
    words, _ = _split(opts.rest)
    if len(words) != 1:
        return out.out(choices.XCAT_USAGE.format(cmd="nimnodeset", usage=NNS_USAGE)).fail()
    found, unknown = ob.resolve_nodes(world, words[0])
    if unknown:
        return out.err(ob.invalid_noderange(unknown)).fail()
    failed: list[str] = []
    for node in found:
        problem = _one(world, mn, node, opts.value("-i"), opts.has("-f"), out)
        if problem:
            out.err(problem + "\n")
            failed.append(node)
    if failed:
        out.out(f"{mn}: One or more errors occurred when attempting to initialize AIX NIM "
                f"nodes.\n").fail()
        if opts.has("-V"):
            out.out(f"{mn}: The following node(s) could not be initialized.\n")
            out.stdout += [f" {n}\n" for n in failed]
    else:
        out.out(f"{mn}: AIX/NIM nodes were initialized.\n")
    seconds = choices.NIMNODESET_SECONDS + choices.NIMNODESET_PER_NODE_SECONDS * len(found)
    done = out
    return Block(seconds, lambda _w: done)
