"""`makehosts`: the management node's /etc/hosts from the node definitions (xCAT 2.9.2 hosts.pm).

`-d` deletes instead (makehosts.8.pod): without a noderange it does nothing at all; with one,
each node's IP comes from its definition (else a lookup of its name), a node without a domain is
skipped with the warning, and every line that starts with the IP, or with any IPv4 address
followed by the node's name, goes (hosts.pm `delnode`, `add_hosts_content`, `process_request`)."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable

from xclone.sim import choices
from xclone.sim.args import UsageError, parse
from xclone.sim.world import Out, World
from xclone.sim.xcat import objects as ob
from xclone.sim.xcat.hw import network_of


def targets(world: World, rest: list[str], default: Callable[[], list[str]], out: Out) \
        -> list[str] | None:
    """The noderange's nodes, `default()` without one; None (the xCAT error written) when the
    noderange names unknown nodes (docs/formats.md "Messages and exit statuses"). Only the
    default reads the whole node table."""
    if not rest:
        return default()
    found, unknown = ob.resolve_nodes(world, rest[0])
    if unknown:
        out.err(ob.invalid_noderange(unknown)).fail()
        return None
    return found


_NO_DOMAIN = ("Warning: No domain can be determined for node '{node}'. The domain of the xCAT node "
              "must be provided in an xCAT network definition or the xCAT site definition.\n")


def _domain(world: World, ip: str) -> str:
    net = network_of(world, ip)
    return (net[1].get("domain") if net else None) or world.site().get("domain", "")


def makehosts(world: World, args: list[str]) -> Out:
    out = Out()
    try:
        opts = parse(args, "dnlVh", ("help",))
    except UsageError:
        return out.out(choices.XCAT_USAGE.format(cmd="makehosts", usage="[-n] [-d] [noderange]"))
    found = targets(world, opts.rest,
                    lambda: [n for n, a in world.xcat_all("node").items() if a.get("ip")], out)
    if found is None:
        return out
    if opts.has("-d"):
        return _delete(world, opts.rest, found, out)
    hosts = _Hosts([] if opts.has("-n") else world.read("/etc/hosts").splitlines())
    for node in found:
        attrs = ob.effective(world, node, world.xcat("node", node) or {})
        ip = attrs.get("ip", "")
        if not ip:
            out.err(f"Warning: Ignoring node '{node}', it can not be resolved.")
            continue
        try:
            ipaddress.IPv4Address(ip)
        except ValueError:
            out.err(f"Error: Invalid IP Addr '{ip}' for node '{node}'.").fail()
            continue
        domain = _domain(world, ip)
        if not domain:
            out.err(_NO_DOMAIN.format(node=node))
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


def _delete(world: World, rest: list[str], found: list[str], out: Out) -> Out:
    if not rest:
        return out  # hosts.pm returns before writing when -d has no noderange
    lines = world.read("/etc/hosts").splitlines(keepends=True)
    for node in found:
        attrs = world.xcat("node", node) or {}
        ip = ob.effective(world, node, attrs).get("ip", "") or _lookup(lines, node)
        if not _domain(world, ip):
            out.err(_NO_DOMAIN.format(node=node))
            continue
        if not ip:
            continue  # delnode bails out rather than match every line
        named = re.compile(rf"^\d+\.\d+\.\d+\.\d+\s+{re.escape(node)}[\s.r]")
        lines = [line for line in lines
                 if not (line.startswith(ip) and line[len(ip):][:1].isspace())
                 and not named.match(line)]
    world.write("/etc/hosts", "".join(lines))
    return out


def _lookup(lines: list[str], name: str) -> str:
    """The address /etc/hosts gives a name (hosts.pm falls back to getipaddr)."""
    for line in lines:
        words = line.split("#", 1)[0].split()
        if name in words[1:]:
            return words[0]
    return ""
