"""`xcat2nim`: NIM machines and groups from xCAT definitions (docs/formats.md "NIM from xCAT"; xCAT
2.9.2 xcat2nim.pm: prexcat2nim lines 195-330, x2n 685-850, mkclientdef 870-1030,
rm_or_list_nim_object 1177-1280). Its messages start with `$::msgstr`, "<mn>: " plus a space of
their own, so two spaces follow the colon; a failing call ends with `Error: Return=1.`."""

from __future__ import annotations

from xclone.sim import choices, install
from xclone.sim.args import UsageError, parse
from xclone.sim.nim.model import allocated, define_machine, stanza
from xclone.sim.seed import network
from xclone.sim.world import Attrs, Out, World
from xclone.sim.xcat import objects as ob
from xclone.sim.xcat.aixusage import failed, usage


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


def _node(world: World, msg: str, node: str, opts_has: set[str], extra: Attrs, out: Out) -> bool:
    """One xcat2nim node; returns False when the node failed."""
    if "-l" in opts_has:
        body = world.nim(node)
        if body is None:
            out.err(f"Error: {msg} Could not get the NIM definition for {node}.\n")
            return False
        out.stdout.append(stanza(node, body))
        return True
    if "-r" in opts_has:
        if not _remove(world, node, "-f" in opts_has):
            out.err(f"Error: {msg} Could not remove the NIM definition for '{node}'.\n")
            return False
        return True
    short = node.split(".", 1)[0]
    if len(short) > 39:
        out.err(f"Error: {msg} Could not define '{short}'. A NIM machine name can be no longer "
                f"then 39 characters.\n")
        return False
    existing = world.nim(short)
    if existing is not None and "-u" in opts_has:
        existing.update(extra)
        world.put_nim(short, existing)
        return True
    if existing is not None and "-f" not in opts_has:
        out.out(f"{msg} The NIM client machine '{short}' already exists.  Use the '-f' option "
                f"to remove and recreate or the '-u' option to update an existing definition.\n")
        return False
    if existing is not None:
        _remove(world, short, True)
    attrs = world.xcat("node", node) or {}
    if not _mac(attrs):
        out.err(f"Error: {msg} Missing the MAC for node '{node}'.\n")
        return False
    net = attrs.get("netname") or "find_net"
    defined = define_machine(world, short, {"if1": f"{net} {short} {_mac(attrs)} ent",
                                            "cable_type1": "N/A", **extra})
    if defined.status:
        out.err(f"Error: {msg} Could not create a NIM definition for '{node}'.\n")
        return False
    return True


def xcat2nim(world: World, args: list[str]) -> Out:
    out, mn = Out(), world.mn["name"]
    msg = f"{mn}: "
    try:
        opts = parse(args, "aVlrufht:o:bpMs:v", ("help", "list", "remove", "update", "force",
                                                "verbose", "version"))
    except UsageError:
        return failed(usage(out, "xcat2nim"))
    if not args:
        return failed(usage(out, "xcat2nim"))
    if opts.has("-h", "--help"):
        return usage(out, "xcat2nim")
    words, extra = _split(opts.rest)
    type_ = opts.value("-t") or "node"
    text = opts.value("-o") or (words[0] if words else "")
    if not text or type_ not in ("node", "group", "network"):
        return failed(usage(out, "xcat2nim"))
    flags = set(opts.flags)
    if type_ == "network" and flags & {"-f", "--force", "-r", "--remove", "-u", "--update"}:
        # prexcat2nim lines 281-289: stopped with the usage, before the Return line
        out.err("Error: The -f, -r and -u options are not supported for network objects.\n")
        return usage(out.fail(), "xcat2nim")
    ok = True
    if type_ == "network":
        for name in ob.split_list(text):
            ok = _network(world, mn, name, out) and ok
    elif type_ == "group":
        for name in ob.split_list(text):
            ok = _group(world, msg, name, flags, out) and ok
    else:
        found, unknown = ob.resolve_nodes(world, text)
        if unknown:
            return out.err(ob.invalid_noderange(unknown)).fail()
        for node in found:
            ok = _node(world, msg, node, flags, extra, out) and ok
    if not ok:
        failed(out.err(f"Error: {msg} One or more errors occured.\n"))
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


def _group(world: World, msg: str, name: str, flags: set[str], out: Out) -> bool:
    if "-r" in flags:
        if world.nim(name) is None:
            out.err(f"Error: {msg} Could not remove the NIM definition for '{name}'.\n")
            return False
        world.del_nim(name)
        return True
    members = ob.memberships(world).get(name, [])
    if world.nim(name) is not None and "-f" not in flags:
        out.out(f"{msg} The NIM group '{name}' already exists.  Use the '-f' option to remove "
                f"and recreate or the '-u' option to update an existing definition.\n")
        return False
    if len(members) - 1 > 1024:
        # xcat2nim.pm lines 1112-1117 test $#members (the last index) and leave with `next`,
        # which skips the caller's error count: the message alone, exit 1 from the Error line
        out.err(f"Error: {msg} Cannot create a NIM group definition with more than 1024 "
                f"members.").fail()
        return True
    if any(world.nim(m) is None for m in members):
        out.err(f"Error: {msg} Could not create a NIM definition for '{name}'.\n")
        return False
    body: dict[str, str] = {"class": "groups", "type": "mac_group"}
    body.update({f"member{i}": m for i, m in enumerate(members, 1)})
    world.put_nim(name, body)
    return True
