"""`makehosts` (/etc/hosts) and `makeconservercf` (/etc/conserver.cf) on the management node."""

from __future__ import annotations

import ipaddress

from xclone.sim import choices
from xclone.sim.args import UsageError, parse
from xclone.sim.world import Out, World
from xclone.sim.xcat import objects as ob
from xclone.sim.xcat.hw import network_of

CONSOLE_METHODS = ("hmc", "ivm", "fsp")


def _targets(world: World, rest: list[str], default: list[str], out: Out) -> list[str] | None:
    """The noderange's nodes, `default` without one; None (the xCAT error written) when the
    noderange names unknown nodes (FORMATS §1.4)."""
    if not rest:
        return default
    found, unknown = ob.resolve_nodes(world, rest[0])
    if unknown:
        out.err(ob.invalid_noderange(unknown)).fail()
        return None
    return found


def _domain(world: World, ip: str) -> str:
    net = network_of(world, ip)
    return (net[1].get("domain") if net else None) or world.site().get("domain", "")


def makehosts(world: World, args: list[str]) -> Out:
    out = Out()
    try:
        opts = parse(args, "dnlVh", ("help",))
    except UsageError:
        return out.out(choices.XCAT_USAGE.format(cmd="makehosts", usage="[-n] [-d] [noderange]"))
    nodes = world.xcat_all("node")
    found = _targets(world, opts.rest, [n for n, a in nodes.items() if a.get("ip")], out)
    if found is None:
        return out
    hosts = _Hosts([] if opts.has("-n") else world.read("/etc/hosts").splitlines())
    for node in found:
        attrs = ob.effective(world, node, nodes[node])
        ip = attrs.get("ip", "")
        if not ip:
            out.err(f"Warning: Ignoring node '{node}', it can not be resolved.")
            continue
        try:
            ipaddress.IPv4Address(ip)
        except ValueError:
            out.err(f"Error: Invalid IP Addr '{ip}' for node '{node}'.").fail()
            continue
        if opts.has("-d"):
            hosts.drop(ip, node)
            continue
        domain = _domain(world, ip)
        if not domain:
            out.err(f"Warning: No domain can be determined for node '{node}'. The domain of the "
                    f"xCAT node must be provided in an xCAT network definition or the xCAT site "
                    f"definition.\n")
            entry = f"{ip} {node} "
        else:
            entry = f"{ip} {node} {node}.{domain} "
        hosts.set(ip, node, entry + attrs.get("hostnames", "").replace(",", " "))
    world.write("/etc/hosts", hosts.text())
    return out


class _Hosts:
    """/etc/hosts lines; a node's line replaces, in place, the line with its IP or name."""

    def __init__(self, lines: list[str]) -> None:
        self.lines: list[str | None] = list(lines)
        self.by_ip: dict[str, int] = {}
        self.by_name: dict[str, int] = {}
        for i, line in enumerate(lines):
            words = line.split()
            if len(words) >= 2:
                self.by_ip.setdefault(words[0], i)
                self.by_name.setdefault(words[1], i)

    def drop(self, ip: str, name: str) -> int | None:
        where = self.by_ip.pop(ip, None)
        named = self.by_name.pop(name, None)
        for index in (where, named):
            if index is not None:
                self.lines[index] = None
        return where if where is not None else named

    def set(self, ip: str, name: str, line: str) -> None:
        index = self.drop(ip, name)
        if index is None:
            index = len(self.lines)
            self.lines.append(line)
        else:
            self.lines[index] = line
        self.by_ip[ip] = self.by_name[name] = index

    def text(self) -> str:
        return "".join(line + "\n" for line in self.lines if line is not None)


def _block(node: str) -> str:
    return (f"#xCAT BEGIN {node} CONS\nconsole {node} {{\n  type exec;\n"
            f"  exec /opt/xcat/share/xcat/cons/hmc {node};\n}}\n#xCAT END {node} CONS\n")


def makeconservercf(world: World, args: list[str]) -> Out:
    out = Out()
    try:
        opts = parse(args, "dlVh", ("help",))
    except UsageError:
        return out.out(choices.XCAT_USAGE.format(cmd="makeconservercf", usage="[-d] [noderange]"))
    nodes = world.xcat_all("node")
    found = _targets(world, opts.rest, list(nodes), out)
    if found is None:
        return out
    blocks = _existing_blocks(world.read("/etc/conserver.cf")) if opts.rest else {}
    for node in found:
        attrs = ob.effective(world, node, nodes[node])
        cons = attrs.get("cons")
        if not cons:
            continue
        blocks.pop(node, None)
        if opts.has("-d"):
            continue
        if cons not in CONSOLE_METHODS or not attrs.get("hcp"):
            out.err(f"{node}: Error: Bad configuration, check attributes under the nodehm "
                    f"category").fail()
            continue
        blocks[node] = _block(node)
    text = choices.CONSERVER_HEADER + "".join(blocks[n] for n in sorted(blocks))
    world.write("/etc/conserver.cf", text)
    return out


def _existing_blocks(text: str) -> dict[str, str]:
    blocks: dict[str, str] = {}
    current: str | None = None
    for line in text.splitlines(keepends=True):
        if line.startswith("#xCAT BEGIN ") and line.rstrip().endswith(" CONS"):
            current = line.split()[2]
            blocks[current] = ""
        if current is not None:
            blocks[current] += line
            if line.startswith("#xCAT END "):
                current = None
    return blocks
