"""`rscan`: inventory an HMC as a table, as `-z` stanzas for `mkdef -z`, as `-x` XML, or
written (`-w`) (xCAT 2.9.2 perl-xCAT/xCAT/PPCscan.pm format_output/format_stanza/format_xml,
lines 391-690)."""

from __future__ import annotations

from xclone.sim import choices
from xclone.sim.args import UsageError, parse
from xclone.sim.store import Body
from xclone.sim.world import Attrs, Out, World
from xclone.sim.xcat import objects as ob
from xclone.sim.xcat.hw import Failure, hmc_for

USAGE = "rscan <noderange> [-u][-w][-x|-z]"
STANZA_ORDER = ("objtype", "nodetype", "id", "mtm", "serial", "hcp", "pprofile", "parent", "mgt",
                "cons", "hwtype", "groups")


def escape(text: str) -> str:
    """XML's three escapes, as xml.sax.saxutils.escape makes them (that module imports urllib
    and the email parser: too slow for the one process sshd starts per command)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _inventory(world: World, hcp: str, hmc: Body) -> list[tuple[str, str, Attrs]]:
    """(type, name, stanza attributes) for every CEC and LPAR the HMC manages."""
    rows: list[tuple[str, str, Attrs]] = []
    for system in world.systems(hmc["name"]).values():
        rows.append(("cec", system["name"], {
            "objtype": "node", "nodetype": "ppc", "id": "", "mtm": system["type_model"],
            "serial": system["serial"], "hcp": hcp, "pprofile": "", "parent": "", "mgt": "hmc",
            "cons": "", "hwtype": "cec", "groups": "cec,all"}))
        for lpar in world.lpars(hmc["name"], system["name"]).values():
            profile = lpar["curr_profile"]
            if not profile or profile == "none":
                profile = lpar["default_profile"]
            rows.append(("lpar", lpar["name"], {
                "objtype": "node", "nodetype": "ppc,osi", "id": str(lpar["id"]), "mtm": "",
                "serial": "", "hcp": hcp, "pprofile": profile, "parent": system["name"],
                "mgt": "hmc", "cons": "hmc", "hwtype": "lpar", "groups": "lpar,all",
                "_mtm": system["type_model"], "_serial": system["serial"]}))
    return rows


def _table(hcp: str, hmc: Body, rows: list[tuple[str, str, Attrs]]) -> str:
    entries = [(t, n, a.get("id", ""), a.get("_mtm") or a["mtm"], a.get("_serial") or a["serial"])
               for t, n, a in rows]
    entries.append(("hmc", hcp, "", hmc["type_model"], hmc["serial"]))
    entries.sort(key=lambda e: e[0] + e[1])
    width = max(len(e[1]) for e in entries) + 2

    def line(*fields: str) -> str:
        t, n, i, m, s, side = fields
        return f"{t:<8}{n:<{width}}{i:<8}{m:<12}{s:<15}{side:<6}\n"

    text = line("type", "name", "id", "type-model", "serial-number", "side")
    return text + "".join(line(*e, "") for e in entries) + "\n"


def _xml(rows: list[tuple[str, str, Attrs]]) -> str:
    """format_xml: one `<Node>` per object from XML::Simple's XMLout (NoAttr, no root): keys
    sorted, an undefined value an empty element, children indented by two spaces."""
    text = ""
    for _, name, attrs in rows:
        fields = {k: v for k, v in attrs.items() if k in STANZA_ORDER[1:]}
        fields["node"] = name
        text += "<Node>\n" + "".join(
            f"  <{k}>{escape(fields[k])}</{k}>\n" for k in sorted(fields)) + "</Node>\n"
    return text


def rscan(world: World, args: list[str]) -> Out:
    out = Out()
    try:
        opts = parse(args, "uwxzVh", ("help",))
    except UsageError:
        return out.out(choices.XCAT_USAGE.format(cmd="rscan", usage=USAGE)).fail()
    if len(opts.rest) != 1 or (opts.has("-u") and opts.has("-w")) or \
            (opts.has("-x") and opts.has("-z")):
        return out.out(choices.XCAT_USAGE.format(cmd="rscan", usage=USAGE)).fail()
    found, unknown = ob.resolve_nodes(world, opts.rest[0])
    if unknown:
        return out.err(ob.invalid_noderange(unknown)).fail()
    for hcp in found:
        hmc = hmc_for(world, hcp)
        if isinstance(hmc, Failure):
            out.out(f"{hcp}: {hmc.text}").fail(hmc.status)
            continue
        rows = sorted(_inventory(world, hcp, hmc), key=lambda r: r[1])
        if opts.has("-x"):
            out.stdout.append(_xml(rows))
            continue
        if opts.has("-z"):
            for _, name, attrs in rows:
                out.stdout.append(f"{name}:\n" + "".join(
                    f"\t{k}={attrs[k]}\n" for k in STANZA_ORDER))
            continue
        if opts.has("-w"):
            for _, name, attrs in rows:
                stored = {k: v for k, v in attrs.items() if k in STANZA_ORDER[1:] and v}
                world.put_xcat("node", name, {**(world.xcat("node", name) or {}), **stored})
        out.stdout.append(_table(hcp, hmc, rows))
    return out
