"""`xcat2nim`: NIM machines and groups from xCAT definitions (docs/formats.md "NIM from xCAT"; xCAT
2.9.2 xcat2nim.pm: prexcat2nim lines 195-330, x2n 685-850, mkclientdef 870-1030,
rm_or_list_nim_object 1177-1280). Its messages start with `$::msgstr`, "<mn>: " plus a space of
their own, so two spaces follow the colon; a failing call ends with `Error: Return=1.`."""

from __future__ import annotations

from xclone.sim import install
from xclone.sim.args import UsageError, parse
from xclone.sim.nim.model import allocated, define_machine, stanza
from xclone.sim.seed import covers, network
from xclone.sim.world import Attrs, Block, Out, Reply, World
from xclone.sim.xcat import dispatch
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


def xcat2nim(world: World, args: list[str]) -> Reply:
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
        ok = _network(world, mn, ob.split_list(text), out)
    elif type_ == "group":
        for name in ob.split_list(text):
            ok = _group(world, msg, name, flags, out) and ok
    else:
        found, unknown = ob.resolve_nodes(world, text)
        if unknown:
            return out.err(ob.invalid_noderange(unknown)).fail()
        return _dispatched(world, found, flags, extra, out)
    if not ok:
        failed(out.err(f"Error: {msg} One or more errors occured.\n"))
    return out


def _dispatched(world: World, found: list[str], flags: set[str], extra: Attrs, out: Out) \
        -> Reply:
    """Each node's part runs on its service node (preprocess_request lines 97-130, keyed by
    `servicenode`), which defines the machine in its own NIM database; each part ends with its
    own error summary and Return line (process_request); an unreachable one fails alone."""
    for dest, nodes in dispatch.split(world, found).items():
        why = dispatch.problem(world, dest) if dest else None
        if why is not None:
            out.err(dispatch.error_text(dest, why).rstrip("\n")).fail()
            continue
        view = world.serving(dispatch.face_of(world, dest) or "") if dest else world
        msg = f"{view.mn['name']}: "
        results = [_node(view, msg, node, flags, extra, out) for node in nodes]
        if not all(results):
            failed(out.err(f"Error: {msg} One or more errors occured.\n"))
    wait = dispatch.slowest(world, found, dispatch.servicenode)
    return Block(wait, lambda _w: out) if wait > 0 else out


def _network(world: World, mn: str, names: list[str], out: Out) -> bool:
    """mkNIMnetwork (xcat2nim.pm lines 1424-1670): an xCAT network whose net and mask equal
    those of any NIM network needs nothing; otherwise NIM gets a network of the xCAT name with
    its gateway as default route, and the master an interface on it (its address is in the
    subnet) or master_net a route to it. `$foundmatch` is never reset, so once one network
    matched every later one of the same call is taken as matched too."""
    matched = False
    for name in names:
        attrs = world.xcat("network", name)
        if attrs is None or not attrs.get("net") or not attrs.get("mask"):
            out.err(f"Error: {mn}: Could not create a NIM definition for '{name}'.\n")
            return False
        gateway = attrs.get("gateway", "")
        if gateway == "<xcatmaster>":
            # x2n lines 730-738: the management node's address in that subnet, else skipped
            inside = covers({"net_addr": attrs["net"], "snm": attrs["mask"]}, world.mn["ip"])
            if not inside:
                out.err(f"Error: Could not get gateway for network {name}, ...skipping\n").fail()
                continue
            gateway = world.mn["ip"]
        matched = matched or any(
            _same(body, attrs) for body in world.nim_all().values()
            if body.get("class") == "networks")
        if matched:
            continue
        if not _define_network(world, mn, name, attrs, gateway, out):
            return False
    return True


def _same(body: dict[str, str], attrs: Attrs) -> bool:
    """Octet by octet, as mkNIMnetwork compares (lines 1473-1489): 9.114.113.0 is 9.114.113.00."""
    def octets(text: str) -> list[int] | None:
        try:
            return [int(p) for p in text.split(".")]
        except ValueError:
            return None
    return octets(body.get("net_addr", "")) == octets(attrs["net"]) and \
        octets(body.get("snm", "")) == octets(attrs["mask"])


def _define_network(world: World, mn: str, name: str, attrs: Attrs, gateway: str,
                    out: Out) -> bool:
    define = (f"/usr/sbin/nim -o define -t ent -a net_addr={attrs['net']} -a snm={attrs['mask']}"
              f" -a routing1='default {gateway}' {name} 2>/dev/null")
    if world.nim(name) is not None or not gateway:
        out.err(f"Error: {mn}:  Could not run '{define}'.\n")
        return False
    world.put_nim(name, network({"net_addr": attrs["net"], "snm": attrs["mask"],
                                 "routing1": f"default {gateway}"}))
    master = world.nim("master") or {}
    mine = [ip for ip in _addresses(world)
            if covers({"net_addr": attrs["net"], "snm": attrs["mask"]}, ip)]
    if mine:
        # lines 1536-1572: `lsnim -A if/cable_type master` give the next free index each
        master[f"if{_next(master, 'if')}"] = f"{name} {_hostname(world, mine[0])} 0"
        master[f"cable_type{_next(master, 'cable_type')}"] = "N/A"
        world.put_nim("master", master)
        return True
    # lines 1576-1650: a route on the master's network (if1's first word), through its default
    # gateway (or the master's own address) to the new network's gateway
    master_net = str(master.get("if1", "")).split()[:1]
    body = world.nim(master_net[0]) if master_net else None
    if body is None:
        out.err(f"Error: {mn}:  Could not run '/usr/sbin/lsnim -a if1 -Z master 2>/dev/null'.\n")
        return False
    default = str(body.get("routing1", "")).split()
    via = default[1] if default[:1] == ["default"] and len(default) > 1 else world.mn["ip"]
    body[f"routing{_next(body, 'routing')}"] = f"{name} {via} {gateway}"
    world.put_nim(master_net[0], body)
    return True


def _next(body: dict[str, str], prefix: str) -> int:
    """`lsnim -A PREFIX OBJECT`: the lowest sequence number not in use."""
    used = {k[len(prefix):] for k in body if k.startswith(prefix)}
    return next(i for i in range(1, len(used) + 2) if str(i) not in used)


def _addresses(world: World) -> list[str]:
    """`ifconfig -a | grep inet` (line 1512): the management node's own address, then every
    other /etc/hosts address of one of its names (the lab's model of its other interfaces)."""
    names = {world.mn["name"], *world.mn.get("hostnames", [])}
    found = [str(world.mn["ip"])]
    for line in world.read("/etc/hosts").splitlines():
        words = line.split("#", 1)[0].split()
        if len(words) > 1 and words[0] not in found and any(
                w == n or w.startswith(f"{n}-") for w in words[1:] for n in names):
            found.append(words[0])
    return found


def _hostname(world: World, ip: str) -> str:
    """NetworkUtils gethostname of the management node's address: its first /etc/hosts name."""
    for line in world.read("/etc/hosts").splitlines():
        words = line.split("#", 1)[0].split()
        if words and words[0] == ip and len(words) > 1:
            return words[1]
    return str(world.mn["name"])


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
