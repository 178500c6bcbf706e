"""The lab file's `costs:` entry, checked with file:line:col errors (docs/lab.md "Costs").

Apart from `costs.py` so that reading a world's costs (every command) never imports the YAML
and lab-file machinery that seeding needs.
"""

from __future__ import annotations

from dataclasses import replace

from xclone.sim.costs import ANY, OFF, REALISTIC, Costs, NimCosts
from xclone.sim.labcheck import Checker
from xclone.sim.yamlmarks import Marked

_KEYS = ("preset", "latency", "fanout", "fork_interval", "rpower_seconds", "nim",
         "mksysb_seconds", "spot_seconds", "servers")


def parse(c: Checker, root: Marked, commands: frozenset[str]) -> Costs:
    """The `costs:` entry of a lab file: absent (off), `realistic`, or a mapping."""
    value = root.get("costs")
    if value is None:
        return OFF
    if value == "realistic":
        return REALISTIC
    if not isinstance(value, Marked):
        c.fail(root.at("costs"), "costs must be 'realistic' or a mapping of cost settings")
        return OFF
    c.unknown(value, _KEYS)
    base = OFF
    if "preset" in value:
        if value["preset"] != "realistic":
            c.fail(value.at("preset"), "the only cost preset is 'realistic'")
        else:
            base = REALISTIC
    latency = dict(base.latency)
    table = c.mapping(value, "latency")
    for name in table:
        if name != ANY and name not in commands:
            c.fail(table.at(name), f"latency names an unknown command '{name}'")
        latency[name] = c.number(table, name, 0.0)
    fanout = value.get("fanout", base.fanout)
    if not isinstance(fanout, bool):
        c.fail(value.at("fanout"), "fanout must be true or false")
        fanout = base.fanout
    nim = base.nim
    if "nim" in value:
        nim_node = c.mapping(value, "nim")
        c.unknown(nim_node, ("bandwidth_mbit", "mksysb_mb", "restore_seconds"))
        start = nim or NimCosts()
        nim = NimCosts(c.number(nim_node, "bandwidth_mbit", start.bandwidth_mbit),
                       c.number(nim_node, "mksysb_mb", start.mksysb_mb),
                       c.number(nim_node, "restore_seconds", start.restore_seconds))
        if nim.bandwidth_mbit <= 0:
            c.fail(nim_node.at("bandwidth_mbit"), "bandwidth_mbit must be a number > 0")
            nim = replace(nim, bandwidth_mbit=start.bandwidth_mbit)
    return Costs(latency, fanout,
                 c.number(value, "fork_interval", base.fork_interval),
                 c.number(value, "rpower_seconds", base.rpower_seconds), nim,
                 c.number(value, "mksysb_seconds", base.mksysb_seconds),
                 c.number(value, "spot_seconds", base.spot_seconds), _servers(c, value))


def _servers(c: Checker, value: Marked) -> dict[str, float]:
    """`servers: {NAME: {bandwidth_mbit: N}}`: each install server's own throughput."""
    table = c.mapping(value, "servers")
    found: dict[str, float] = {}
    for name, entry in table.items():
        node = entry if isinstance(entry, Marked) else Marked(table.at(name))
        c.unknown(node, ("bandwidth_mbit",))
        mbit = c.number(node, "bandwidth_mbit", 0.0)
        if mbit <= 0:
            c.fail(table.at(name), f"server '{name}' needs bandwidth_mbit, a number > 0")
            continue
        found[str(name)] = mbit
    return found
