"""`makeconservercf`: the management node's /etc/conserver.cf, as conserver.pm writes it.

Every run rewrites the headers (`docfheaders`): the `config *` SSL block and the `default
cyclades`/`default mrv` lines only when missing, the `access *` and `default *` blocks always
(old ones are cut out, new ones go on top). Consoles are `#xCAT BEGIN <node> CONS` ... `#xCAT
END <node> CONS` blocks (`donodeent`): a script console runs `/opt/xcat/share/xcat/cons/<cons>
<node>`; only a terminal-server console (`mrv`, `cyclades`) without termserver/termport is a
"Bad configuration", which stops at that node. With a noderange only those nodes' blocks change
(`-d`/`--delete` just removes them); without one every xCAT block is dropped (`zapcfg`) and the
consoles of all nodes with `cons` (or `serialport`) are written again. A node without `cons` is
never touched, which is why `-d` must run before `rmdef`.
"""

from __future__ import annotations

import re

from xclone.sim import choices
from xclone.sim.args import UsageError, parse
from xclone.sim.world import Out, World
from xclone.sim.xcat import objects as ob
from xclone.sim.xcat.hosts import targets

CONF = "/etc/conserver.cf"
TERMINAL_SERVERS = ("mrv", "cyclades")  # conserver.pm `@cservers`
NO_CONSOLE_TYPES = re.compile(r"fsp|bpa|hmc|ivm")  # node types skipped when writing every node
BAD = "{node}: Error: Bad configuration, check attributes under the nodehm category"
SSL = ("config * {\n", "  sslrequired yes;\n", "  sslauthority /etc/xcat/cert/ca.pem;\n",
       "  sslcredentials /etc/xcat/cert/server-cred.pem;\n", "}\n")
_MARK = re.compile(r"^#xCAT (\S+) (\S+) CONS")

Attrs = dict[str, str]


def makeconservercf(world: World, args: list[str]) -> Out:
    out = Out()
    try:
        opts = parse(args, "dlcVDvht:", ("help", "delete", "local", "conserver", "verbose",
                                          "version", "debug", "trust="))
    except UsageError:
        return out.out(choices.XCAT_USAGE.format(cmd="makeconservercf", usage="[-d] [noderange]"))
    found = targets(world, opts.rest, lambda: sorted(world.xcat_all("node")), out)
    if found is None:
        return out
    content = world.read(CONF).splitlines(keepends=True)
    _headers(world, content, opts.value("-t", "--trust") or "")
    consoles = {n: c for n in found
                if (c := _console(ob.effective(world, n, world.xcat("node", n) or {})))}
    if opts.rest:
        bad = _node_entries(world, consoles, content, delete=opts.has("-d", "--delete"))
    else:
        content = _zap(content)
        seen: set[str] = set()
        for node, attrs in list(consoles.items()):
            server = attrs.get("termserver", "")
            if server and server not in seen:
                content = _terminal_server(content, server, attrs["cons"])
                seen.add(server)
            if NO_CONSOLE_TYPES.search(attrs.get("nodetype", "")):
                del consoles[node]
        bad = _node_entries(world, consoles, content, delete=False)
    if bad:
        out.err(BAD.format(node=bad)).fail()
    world.write(CONF, "".join(content))
    return out


def _console(attrs: Attrs) -> Attrs | None:
    """A node's console attributes, or None when conserver.pm skips it (no cons, no serialport);
    `cons` falls back to `mgt`."""
    if not attrs.get("cons") and "serialport" not in attrs:
        return None
    return {**attrs, "cons": attrs.get("cons") or attrs.get("mgt", "")}


def _headers(world: World, content: list[str], trust: str) -> None:
    meat = [line for line in content if not line.startswith("#")]
    new: list[str] = []
    if not any(line.startswith("config * {") for line in meat):
        new += SSL
    if not any(line.startswith("default cyclades") for line in meat):
        new.append("default cyclades { type host; portbase 7000; portinc 1; }\n")
    if not any(line.startswith("default mrv") for line in meat):
        new.append("default mrv { type host; portbase 2000; portinc 100; }\n")
    index, skip = 0, False
    while index < len(content):  # cut the old access/default * blocks, up to their `}`
        if content[index].startswith(("access *", "default *")):
            skip = True
        if skip:
            del content[index]
        else:
            index += 1
        if skip and index < len(content) and "}" in content[index]:
            del content[index]
            skip = False
    site = world.site()
    master = site.get("master", "")
    others = [ip for ip in (str(world.mn.get("ip", "")), *filter(None, trust.split(",")))
              if ip and ip not in ("127.0.0.1", master)]
    new += ["access * {\n", "  trusted 127.0.0.1;\n", f"  trusted {master};\n"]
    if others:
        new.append(f"  trusted {','.join(dict.fromkeys(others))};\n")
    new += ["}\n", "default * {\n", "  logfile /var/log/consoles/&;\n", "  timestamp 1hab;\n",
            "  rw *;\n", "  master localhost;\n"]
    if site.get("consoleondemand") == "yes":
        new.append("  options ondemand;\n")
    new.append("}\n")
    content[:0] = new


def _zap(content: list[str]) -> list[str]:
    """Drop every `#xCAT BEGIN` ... `#xCAT END` block (consoles and terminal servers)."""
    kept, inside = [], False
    for line in content:
        if line.startswith("#xCAT BEGIN"):
            inside = True
        if not inside:
            kept.append(line)
        if line.startswith("#xCAT END"):
            inside = False
    return kept


def _terminal_server(content: list[str], server: str, include: str) -> list[str]:
    kept, inside = [], False
    for line in content:
        if line.startswith(f"#xCAT BEGIN {server} TS"):
            inside = True
        if not inside:
            kept.append(line)
        if line.startswith(f"#xCAT END {server} TS"):
            inside = False
    return [*kept, f"#xCAT BEGIN {server} TS\n", f"default {server} {{\n",
            f"  include {include};\n", f"  host {server};\n", "}\n", f"#xCAT END {server} TS\n"]


def _node_entries(world: World, consoles: dict[str, Attrs], content: list[str], *,
                  delete: bool) -> str | None:
    """Remove the blocks of `consoles`' nodes, then (unless deleting) append them in name order;
    the first node in error is returned and the nodes after it are not written."""
    kept, inside = [], None
    for line in content:
        mark = _MARK.match(line)
        if mark and mark[1] == "BEGIN" and mark[2] in consoles:
            inside = mark[2]
        if inside is None:
            kept.append(line)
        elif mark and mark[1] == "END" and mark[2] == inside:
            inside = None
    content[:] = kept
    if delete:
        return None
    site_ondemand = world.site().get("consoleondemand") == "yes"
    here = {str(world.mn.get("name", "")), str(world.mn.get("ip", ""))}
    for node in sorted(consoles):
        attrs = consoles[node]
        method = attrs["cons"]
        terminal = method in TERMINAL_SERVERS
        if not method or (terminal and not (attrs.get("termserver") and attrs.get("termport"))):
            return node
        lines = [f"#xCAT BEGIN {node} CONS\n", f"console {node} {{\n"]
        master = attrs.get("conserver", "")
        if terminal:
            lines += [f" include {attrs['termserver']};\n", f" port {attrs['termport']};\n"]
            if master and master not in here:
                lines.append(f"  master {master};\n")
        else:
            lines.append("  type exec;\n")
            if master and master not in here:
                lines.append(f"  master {master};\n")
            else:
                lines.append(f"  exec /opt/xcat/share/xcat/cons/{method} {node};\n")
        ondemand = attrs.get("consoleondemand")
        if ondemand is not None and _true(ondemand) != site_ondemand:
            lines.append("  options ondemand;\n" if _true(ondemand) else "  options !ondemand;\n")
        content += [*lines, "}\n", f"#xCAT END {node} CONS\n"]
    return None


def _true(value: str) -> bool:
    """Perl truth of a table value, as conserver.pm tests `consoleondemand`."""
    return value not in ("", "0")
