"""`lsdef`: list xCAT objects in short, long (`-l`), stanza (`-z`) or compact (`-c`) form
(xCAT 2.9.2 DBobjectdefs.pm defls, lines 2760-3710: attributes print in sorted order, `-i`
names included; an unknown `-i` name is reported and the others still listed)."""

from __future__ import annotations

from xclone.sim.args import UsageError, parse
from xclone.sim.world import Attrs, Out, World
from xclone.sim.xcat import objects as ob
from xclone.sim.xcat.usage import usage


def _named(world: World, type_: str, names: str, out: Out) -> list[str]:
    """The requested objects of one type that exist, reporting the others as xCAT does."""
    if type_ == "node":
        found, unknown = ob.resolve_nodes(world, names)
    else:
        wanted = ob.split_list(names)
        found = sorted(n for n in wanted if ob.get_object(world, type_, n) is not None)
        unknown = [n for n in wanted if n not in found]
    for name in unknown:
        out.err(f"Error: Could not find an object named '{name}' of type '{type_}'.").fail()
    return found


def lsdef(world: World, args: list[str]) -> Out:
    out = Out()
    try:
        opts = parse(args, "t:o:lszi:chV", ("long", "short", "stanza", "help", "compress"))
    except UsageError:
        return out.err("Error: Invalid option..").fail().out(usage("lsdef").removesuffix("\n"))
    if opts.has("-c", "--compress") and not opts.has("-i"):
        # processArgs, DBobjectdefs.pm lines 561-567: the error, then the usage
        return out.err("Error: The flags '-c' and '-i' must be used together.").fail() \
            .out(usage("lsdef").removesuffix("\n"))
    if opts.has("-h", "--help"):
        return out.out(usage("lsdef").removesuffix("\n"))
    explicit = opts.value("-t")
    types = ob.split_list(explicit) if explicit else ["node"]
    for type_ in types:
        if type_ not in ob.TYPES:
            return out.err(f"Error: \nType '{type_}' is not a valid xCAT object type.").fail()
    asked = ob.split_list(opts.value("-i") or "")
    only: list[str] | None = None
    if asked:
        only = []
        for type_ in types:
            for attr in asked:
                if not ob.valid_attr(type_, attr):
                    out.err(f"Error: '{attr}' is not a valid attribute name for an object "
                            f"type of '{type_}'.").fail()
                elif attr not in only:
                    only.append(attr)
    names = opts.value("-o") or (opts.rest[0] if opts.rest else None)
    stanza = opts.has("-z", "--stanza")
    compact = opts.has("-c", "--compress")
    long = opts.has("-l", "--long") or only is not None or names is not None
    short = opts.has("-s", "--short") or not (stanza or compact or long)
    several = len(types) > 1
    text: list[str] = ["# <xCAT data object stanza file>\n"] if stanza else []
    listed = 0
    for type_ in types:
        wanted = _named(world, type_, names, out) if names is not None else None
        pool = ob.objects_of(world, type_) if wanted is None or type_ == "group" else {}
        chosen = wanted if wanted is not None else list(pool)
        if wanted is None and not chosen:
            if explicit:
                out.out(f"Could not find any objects of type '{type_}'.")
            continue
        for name in chosen:
            attrs: Attrs = pool.get(name) or ob.get_object(world, type_, name) or {}
            listed += 1
            if short:
                text.append(f"{name}  ({type_})\n")
            elif stanza:
                text.append(ob.stanza(name, type_, attrs, only))
            else:
                shown = ob.effective(world, name, attrs) if type_ == "node" else attrs
                if compact:
                    keys = sorted(only) if only is not None else sorted(shown)
                    text += [f"{name}: {k}={shown.get(k, '')}\n" for k in keys
                             if only is not None or not ob.hidden(shown, k)]
                else:
                    text.append(ob.long_form(name, shown, type_ if several else None, only))
    if not listed and not explicit and names is None:
        return out.out("Could not find any objects to display.")
    if listed or not stanza:
        out.stdout[:0] = text
    return out
