"""xCAT hardware control through the HMC: `rpower`, `getmacs`, `rnetboot` (docs/formats.md
"Hardware control through the HMC"). Failures are stdout lines `<node>: <text>` without `Error:`;
only the status tells."""

from __future__ import annotations

from typing import Any

from xclone.sim import bootservices, choices, install, power
from xclone.sim.args import UsageError, parse
from xclone.sim.world import Block, Out, Reply, World
from xclone.sim.xcat import bootfaults, dispatch, fanout, fspmac, hfiboot
from xclone.sim.xcat import objects as ob
from xclone.sim.xcat.hw import (
    Failure,
    Target,
    has_console,
    key_of,
    network_of,
    resolve,
    resolve_host,
    set_status,
)

RPOWER_USAGE = "rpower <noderange> [on|onstandby|off|suspend|stat|state|reset|boot|of|sms|softoff]"
GETMACS_USAGE = "getmacs <noderange> [-d] [-f] [-V] [-D [-S server -G gateway -C client] [-o]]"
RNETBOOT_USAGE = "rnetboot [-V] [-s net|hd] [-F] [-f] <noderange> [-m table.col==value] " \
                 "[-t timeout] [-r retries]"
ACTIONS = ("on", "off", "softoff", "reset", "of", "sms", "boot", "stat", "state")


def no_console(node: str) -> str:
    """LparNetbootExp.pm lines 2675-2680: rcons ended at once. The message ends in a newline
    of its own and goes out as information; the node's own line then carries no text."""
    return f"Please make sure rcons {node} works.\n"


def _targets(world: World, noderange: str, out: Out) -> list[str] | None:
    found, unknown = ob.resolve_nodes(world, noderange)
    if unknown:
        out.err(ob.invalid_noderange(unknown)).fail()
        return None
    return found


def _power(world: World, t: Target, action: str, start: float | None = None) -> str | None:
    lpar = t.lpar
    profile = t.attrs.get("pprofile") or lpar["curr_profile"] or lpar["default_profile"]
    if action == "boot":
        action = "on" if lpar["state"] == "Not Activated" else "reset"
    if action in ("on", "of", "sms"):
        problem = power.activate(world, lpar, profile, "norm" if action == "on" else action,
                                 start)
        status = "booting"
    else:
        problem = power.shutdown(world, lpar, restart=action == "reset", start=start)
        status = "booting" if action == "reset" else "powering-off"
    if problem is None:
        set_status(world, t.node, status)
    return problem


def rpower(world: World, args: list[str]) -> Reply:
    out = Out()
    try:
        opts = parse(args, "Vhm:r:t:", ("help",))
    except UsageError:
        return out.out(choices.XCAT_USAGE.format(cmd="rpower", usage=RPOWER_USAGE)).fail()
    if len(opts.rest) != 2 or opts.rest[1] not in ACTIONS:
        return out.out(choices.XCAT_USAGE.format(cmd="rpower", usage=RPOWER_USAGE)).fail()
    action = opts.rest[1]
    nodes = _targets(world, opts.rest[0], out) or []
    nodes = dispatch.reachable(world, nodes, out, dispatch.by_hcp)  # PPC.pm's dispatch
    lines: dict[str, tuple[str, int]] = {}
    by_cec: dict[str, list[Target]] = {}  # "HMC/SYSTEM" -> its LPARs, in noderange order
    for node in nodes:
        t = resolve(world, node)
        if isinstance(t, Failure):
            lines[node] = (f"{node}: {t.text}", t.status)
        else:
            by_cec.setdefault(f"{t.hmc['name']}/{t.system['name']}", []).append(t)
    each = world.duration(world.costs.rpower_seconds)

    def run(cec: str, offset: float) -> float:
        """One xCAT process per managed system: its LPARs one after another."""
        for index, t in enumerate(by_cec[cec]):
            if action in ("stat", "state"):
                lines[t.node] = (f"{t.node}: {t.lpar['state']}", 0)
                continue
            problem = _power(world, t, action, world.now + offset + index * each)
            lines[t.node] = (f"{t.node}: {problem}", 1) if problem else (f"{t.node}: Success", 0)
        return each * len(by_cec[cec])

    jobs = [(cec, cec.split("/", 1)[0]) for cec in by_cec]
    longest = fanout.schedule(jobs, fanout.limits(world, per_lpar=False), run)
    for node in nodes:
        text, status = lines[node]
        out.out(text)
        if status:
            out.fail(status)
    if longest <= 0:
        return out
    return Block(longest, lambda _w: out)


def _network_ok(world: World, node: str) -> bool:
    ip = resolve_host(world, node)
    net = network_of(world, ip) if ip else None
    return net is not None and bool(net[1].get("gateway")) and bool(net[1].get("mask"))


def getmacs(world: World, args: list[str]) -> Reply:
    out = Out()
    try:
        opts = parse(args, "dfVDS:G:C:oh", ("arp", "noping", "help"))
    except UsageError:
        return out.out(choices.XCAT_USAGE.format(cmd="getmacs", usage=GETMACS_USAGE)).fail()
    if len(opts.rest) != 1:
        return out.out(choices.XCAT_USAGE.format(cmd="getmacs", usage=GETMACS_USAGE)).fail()
    if opts.has("-S", "-G", "-C") and not opts.has("-D"):
        return out.out("Option '-D' is required for ping test").fail()
    nodes = _targets(world, opts.rest[0], out)
    nodes = None if nodes is None else dispatch.reachable(world, nodes, out, dispatch.by_hcp)
    cycles: list[tuple[str, str]] = []
    lpars: dict[str, dict[str, Any]] = {}
    for node in nodes or []:
        attrs = ob.effective(world, node, world.xcat("node", node) or {})
        if attrs.get("hwtype") != "lpar" or ob.hidden(attrs, "hwtype"):
            out.out(f"{node}: Node must be LPAR").fail()
            continue
        if opts.has("-D") and not _network_ok(world, node):
            out.out(f"Cannot get network information for {node}, check networks table and IP "
                    f"address for this node to make sure there is correct network in networks "
                    f"table").fail()
            continue
        t = resolve(world, node)
        if isinstance(t, Failure):
            text = f"Node not found, lparid={attrs.get('id')}" if t.text == "Node not found" \
                else t.text
            out.out(f"{node}: {text}").fail(t.status)
            continue
        if not opts.has("-D") and attrs.get("mgt") == "fsp":
            mac = fspmac.fsp_table(node, t.lpar, out)
            if mac and not opts.has("-d"):
                _write_mac(world, node, mac)
            continue
        if not opts.has("-D"):
            _lshwres_form(world, t, out, opts.has("-d"))
            continue
        if not has_console(world, node):
            out.out(no_console(node)).out(f"{node}: ").fail()
            continue
        was_on = t.lpar["state"] != "Not Activated"
        cycles.append((node, t.hmc["name"]))
        lpars[node] = t.lpar
        if was_on:
            set_status(world, node, "powering-off")
        rows = fspmac.ping_rows(t.lpar)
        out.out(f"{node}: \n# Type \tLocation Code \tMAC Address\t Full Path Name\t Ping Result")
        out.stdout[-1] += "".join(r + "\n" for r in rows) + "\n"
        chosen = fspmac.pinged_mac(t.lpar)
        if chosen and not opts.has("-d"):
            _write_mac(world, node, chosen)
    longest = fanout.schedule(cycles, fanout.limits(world, per_lpar=True), lambda node, offset:
                              power.discovery_cycle(world, lpars[node], world.now + offset))
    if longest <= 0:
        return out
    done = out
    return Block(longest, lambda _w: done)


def _write_mac(world: World, node: str, mac: str) -> None:
    attrs = world.xcat("node", node) or {}
    attrs["mac"] = mac
    world.put_xcat("node", node, attrs)


def _lshwres_form(world: World, t: Target, out: Out, display_only: bool) -> None:
    """getmacs without -D (2.9.x on AIX): reads the HMC, upper-case MAC, a line break after it."""
    if not t.lpar["curr_profile"]:
        out.out(f"{t.node}: \n{choices.GETMACS_NO_PROFILE}").fail()
        return
    header = ("#Type  Phys_Port_Loc  MAC_Address  Adapter  Port_Group  Phys_Port  Logical_Port"
              "  VLan  VSwitch  Curr_Conn_Speed")
    rows = [f"virtualio  N/A  {a['mac'].upper()}\n  N/A  N/A  N/A  N/A  1  ETHERNET0  N/A"
            for a in t.lpar["adapters"] if a["kind"] == "virtual"]
    out.out(f"{t.node}: \n{header}\n" + "\n".join(rows))
    if rows and not display_only:
        attrs = world.xcat("node", t.node) or {}
        attrs["mac"] = t.lpar["adapters"][0]["mac"].upper()
        world.put_xcat("node", t.node, attrs)


def _netboot_problem(world: World, node: str, attrs: dict[str, str]) -> str | None:
    ip = attrs.get("ip") or resolve_host(world, node)
    net = network_of(world, ip) if ip else None
    if net is None:
        return "Node not defined in 'networks' database"
    if not net[1].get("gateway"):
        return ("No gateway defined for this node, check the networks table. If the gateway in "
                "the networks table is '<xcatmaster>', check the ip forwarding setup on the "
                "management node and service nodes.")
    if not net[1].get("mask"):
        return "'mask' not defined in 'networks' database"
    if resolve_host(world, node) is None:
        return f"Cannot resolve '{node}'"
    if not attrs.get("mac"):
        return "'mac' not defined in 'mac' database"
    return None


def _boot_server(world: World, node: str, attrs: dict[str, str]) -> World | None:
    """The NIM master that answers the node's directed bootp: lpar_netboot's `-S` is the
    node's `xcatmaster`, else site `master` (PPC.pm lines 1033-1046, TableUtils.pm
    GetMasterNodeName), resolved; None when no master of the lab has that address or that
    master is down (no answer: the boot stalls, as on hardware)."""
    name = attrs.get("xcatmaster") or world.site().get("master") or world.mn["ip"]
    address = name if name.replace(".", "").isdigit() else resolve_host(world, name)
    face = next((f for f, m in world.masters().items() if m["ip"] == address), None)
    return None if face is None or dispatch.down(world, face) else world.serving(face)


def rnetboot(world: World, args: list[str]) -> Reply:
    out = Out()
    try:
        opts = parse(args, "Vs:Ffm:t:r:h", ("help",))
    except UsageError:
        return out.out(choices.XCAT_USAGE.format(cmd="rnetboot", usage=RNETBOOT_USAGE)).fail()
    if len(opts.rest) != 1:
        return out.out(choices.XCAT_USAGE.format(cmd="rnetboot", usage=RNETBOOT_USAGE)).fail()
    nodes = _targets(world, opts.rest[0], out)
    nodes = None if nodes is None else dispatch.reachable(world, nodes, out, dispatch.by_hcp)
    boots: list[tuple[str, str]] = []
    targets: dict[str, tuple[Target, bool]] = {}
    servers: dict[str, World | None] = {}  # node -> the NIM master its bootp goes to
    given_up: dict[str, float] = {}
    for node in nodes or []:
        attrs = ob.effective(world, node, world.xcat("node", node) or {})
        problem = _netboot_problem(world, node, attrs)
        t = resolve(world, node) if problem is None else Failure(problem)
        if isinstance(t, Failure):
            out.out(f"{node}: {t.text}").fail(t.status)
            continue
        if not has_console(world, node):
            # do_rnetboot tries lparnetbootexp twice (PPCboot.pm lines 303-347)
            out.out(no_console(node)).out(no_console(node)).out(f"{node}: ").fail()
            continue
        mac = attrs["mac"].replace(":", "").lower().split("|")[0]
        if mac not in [a["mac"] for a in t.lpar["adapters"]]:
            out.out(f"{node}: can not find mac address {mac}.").fail()
            continue
        hfi = hfiboot.refused(world, attrs.get("ip") or resolve_host(world, node) or "",
                              t.lpar, mac, opts.has("-V"))
        if hfi is not None:
            for line in hfi:
                out.out(line)
            out.out(f"{node}: ").fail()
            continue
        boots.append((node, t.hmc["name"]))
        broke = bootfaults.rnetboot_failure(world, node, t.lpar["name"])
        if broke is not None:
            out.out(f"{node}: {broke[0].text}").fail(broke[0].status)
            given_up[node] = broke[1]  # its process ran that long before giving up
            continue
        server = servers[node] = _boot_server(world, node, attrs)
        machine = None if server is None else server.nim(node)
        answered = server is not None and machine is not None \
            and machine.get("Cstate") == install.ENABLED \
            and not bootservices.services_down(server, node, t.lpar["name"])
        targets[node] = (t, answered)
        image = world.xcat("osimage", attrs.get("provmethod") or attrs.get("profile") or "")
        standalone = image is not None and image.get("nimtype", "standalone") == "standalone"
        set_status(world, node, "installing" if standalone else "booting")
        out.out(f"{node}: Success")
    # With costs, every boot is recorded now with its own moments (xCAT's fan-out starts some
    # later; a shared install must join the master's transfers no earlier than it is known).
    # Without, the installs begin when rnetboot returns, as the lab always did.
    eager = world.costs.fanout or install.shared(world)
    starting: list[tuple[str, str, bool, str]] = []

    def boot(node: str, offset: float) -> float:
        if node in given_up:
            return given_up[node]
        t, answered = targets[node]
        length = power.netboot(world, t.lpar, answered, world.now + offset)
        fails = answered and install.fails(world, t.lpar["name"], node)
        server = servers.get(node) or world
        if answered and eager:
            install.begin(server, node, key_of(t), fails, start=world.now + offset + length)
        elif answered:
            starting.append((node, key_of(t), fails, server.master))
        return length

    longest = fanout.schedule(boots, fanout.limits(world, per_lpar=True), boot)

    def finish(later: World) -> Out:
        for node, key, fails, master in starting:
            install.begin(later.serving(master), node, key, fails)
        return out

    return Block(longest, finish) if nodes else out
