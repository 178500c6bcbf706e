"""`mkdef`, `chdef` and `rmdef`: write the xCAT object database with xCAT 2.9's checks and texts."""

from __future__ import annotations

from dataclasses import dataclass, field

from xclone.base.noderange import NoderangeError, expand_token
from xclone.sim import choices
from xclone.sim.args import Parsed, UsageError, parse
from xclone.sim.world import Attrs, Out, World
from xclone.sim.xcat import objects as ob
from xclone.sim.xcat.stanza import Stanza, read

SUMMARY = ("Error: One or more errors occured when attempting to create or modify xCAT \n"
           "object definitions.")
MKDEF_USAGE = "mkdef [-t object-types] [-o object-names] [-z|--stanza] [-f] [noderange] " \
              "[attr=val [attr=val...]]"
CHDEF_USAGE = "chdef [-t object-types] [-o object-names] [-z|--stanza] [-m|-p] [noderange] " \
              "[attr=val [attr=val...]]"
RMDEF_USAGE = "rmdef [-t object-types] [-o object-names] [noderange]"


@dataclass
class _Run:
    """What one mkdef/chdef call did, to print the closing lines xCAT prints."""

    out: Out = field(default_factory=Out)
    written: int = 0
    created: list[str] = field(default_factory=list)
    summary: bool = False


def _names(type_: str, text: str) -> list[str]:
    names: list[str] = []
    for token in ob.split_list(text):
        try:
            expanded = expand_token(token) if type_ == "node" else None
        except NoderangeError:
            expanded = None
        names.extend(expanded or [token])
    return names


def _requests(world: World, args: list[str], short: str, usage: str, cmd: str) \
        -> tuple[list[Stanza], Parsed] | Out:
    try:
        opts = parse(args, short, ("stanza", "help"))
    except UsageError:
        return Out().err(choices.XCAT_USAGE.format(cmd=cmd, usage=usage)).fail()
    if opts.has("-z", "--stanza"):
        stanzas, missing = read(world.stdin)
        if missing:
            out = Out()
            for name in missing:
                out.err(f"Error: Could not determine a valid object type for '{name}'.")
            return out.fail()
        return stanzas, opts
    type_ = opts.value("-t") or "node"
    attrs: Attrs = {}
    positional: list[str] = []
    for word in opts.rest:
        if "=" in word:
            key, value = word.split("=", 1)
            attrs[key] = value
        else:
            positional.append(word)
    text = opts.value("-o") or (positional[0] if positional else "")
    if not text or type_ not in ob.TYPES:
        return Out().err(choices.XCAT_USAGE.format(cmd=cmd, usage=usage)).fail()
    return [Stanza(n, type_, dict(attrs)) for n in _names(type_, text)], opts


def _checked(world: World, run: _Run, st: Stanza, merged: Attrs) -> Attrs:
    """Drop what xCAT refuses (only_if rules, xcatdefaults duplicates), reporting each."""
    if st.type in ("node", "group"):
        for attr, (allowed, named) in ob.ONLY_IF.items():
            if not st.attrs.get(attr) or merged.get("mgt") in allowed:
                continue
            if not merged.get("mgt"):
                run.out.out(f"Cannot set the '{attr}' attribute unless a value is provided "
                            f"for 'mgt'.").out(choices.MGT_DESCRIPTION)
            run.out.err(f"Error: Cannot set the attr='{attr}' attribute unless "
                        f"'mgt={named}'.").fail()
            merged.pop(attr, None)
        defaults = ob.split_list(str(world.s.meta("xcatdefaults", "")))
        scripts = ob.split_list(merged.get("postscripts", ""))
        for script in [s for s in scripts if s in defaults]:
            run.out.err(f"Error: {st.name}: postscripts '{script}' is already included in the "
                        f"'xcatdefaults'.").fail()
            scripts.remove(script)
        if "postscripts" in merged:
            merged["postscripts"] = ",".join(scripts)
    return merged


def _set_members(world: World, group: str, members: list[str], mode: str) -> None:
    """Group `members` live in the members' `groups` attribute."""
    current = set(ob.memberships(world).get(group, []))
    if mode == "p":
        target = current | set(members)
    elif mode == "m":
        target = current - set(members)
    else:
        target = set(members)
    for node in sorted(current | target):
        attrs = world.xcat("node", node)
        if attrs is None:
            continue
        groups = ob.split_list(attrs.get("groups", ""))
        if node in target and group not in groups:
            groups.append(group)
        elif node not in target and group in groups:
            groups.remove(group)
        attrs["groups"] = ",".join(groups)
        world.put_xcat("node", node, attrs)


def _write(world: World, run: _Run, st: Stanza, old: Attrs | None, mode: str) -> None:
    attrs = {k: v for k, v in st.attrs.items() if k != "members"}
    merged = dict(old or {})
    for key, value in attrs.items():
        have = ob.split_list(merged.get(key, ""))
        if mode == "p":
            merged[key] = ",".join(have + [v for v in ob.split_list(value) if v not in have])
        elif mode == "m":
            drop = ob.split_list(value)
            merged[key] = ",".join(v for v in have if v not in drop)
        else:
            merged[key] = value
    if st.type == "group":
        merged.setdefault("grouptype", "static")
    merged = _checked(world, run, st, merged)
    world.put_xcat(st.type, st.name, merged)
    if "members" in st.attrs and st.type == "group":
        _set_members(world, st.name, ob.split_list(st.attrs["members"]), mode)
    run.written += 1


def _bad_attr(st: Stanza) -> str | None:
    if st.type not in ob.TYPES:
        return f"Error: \nType '{st.type}' is not a valid xCAT object type."
    for attr in st.attrs:
        if not ob.valid_attr(st.type, attr):
            return (f"Error: '{attr}' is not a valid attribute name for an object type of "
                    f"'{st.type}'.")
    return None


def _same_network(world: World, st: Stanza) -> str | None:
    for name, attrs in world.xcat_all("network").items():
        if name != st.name and attrs.get("net") == st.attrs.get("net") \
                and attrs.get("mask") == st.attrs.get("mask"):
            return name
    return None


def mkdef(world: World, args: list[str]) -> Out:
    request = _requests(world, args, "t:o:zfVhpm", MKDEF_USAGE, "mkdef")
    if isinstance(request, Out):
        return request
    stanzas, opts = request
    if opts.has("-p", "-m"):
        return Out().err(choices.XCAT_USAGE.format(cmd="mkdef", usage=MKDEF_USAGE)).fail()
    force = opts.has("-f")
    run = _Run()
    for st in stanzas:
        problem = _bad_attr(st)
        if problem:
            return run.out.err(problem).fail()
    for st in stanzas:
        old = ob.get_object(world, st.type, st.name) if st.type != "group" \
            else world.xcat("group", st.name)
        if old is not None and not force:
            run.out.err(f"Error: \nA definition for '{st.name}' already exists.")
            run.out.err("Error: To remove the old definition and replace it with \n"
                        "a new definition use the force '-f' option.")
            run.out.err("Error: To change the existing definition use the 'chdef' command.")
            run.summary = True
            continue
        if st.type == "node" and not st.attrs.get("groups"):
            run.out.err(f"Error: Attribute 'groups' is not specified for node '{st.name}', "
                        f"skipping to the next node.")
            run.summary = True
            continue
        if st.type == "network" and (other := _same_network(world, st)):
            run.out.err(f"Error: A network definition called '{other}' already exists that "
                        f"contains the same net and mask values. Cannot create a definition "
                        f"for '{st.name}'.").fail()
            continue
        _write(world, run, st, None, "")
    return _finish(run)


def _finish(run: _Run) -> Out:
    if run.summary:
        return run.out.err(SUMMARY).fail()
    if run.written:
        run.out.stdout.insert(0, f"{run.written} object definitions have been created or "
                                 f"modified.\n")
    if run.created:
        run.out.out(f"New object definitions '{','.join(run.created)}' have been created.")
    return run.out


def chdef(world: World, args: list[str]) -> Out:
    request = _requests(world, args, "t:o:zpmVh", CHDEF_USAGE, "chdef")
    if isinstance(request, Out):
        return request
    stanzas, opts = request
    has = opts.has
    if has("-p") and has("-m"):
        return Out().err(choices.XCAT_USAGE.format(cmd="chdef", usage=CHDEF_USAGE)).fail()
    mode = "p" if has("-p") else "m" if has("-m") else ""
    run = _Run()
    for st in stanzas:
        problem = _bad_attr(st)
        if problem:
            return run.out.err(problem).fail()
    for st in stanzas:
        old = world.xcat(st.type, st.name)
        exists = old is not None or (st.type == "group" and ob.get_object(
            world, "group", st.name) is not None)
        if not exists:
            if mode == "m":
                run.out.err(f"Error: The '-m' option is not valid since the '{st.name}' "
                            f"definition does not exist.").fail()
                continue
            if st.type == "node":
                st.attrs.setdefault("groups", "all")
            run.created.append(st.name)
        _write(world, run, st, old, mode)
    return _finish(run)


def rmdef(world: World, args: list[str]) -> Out:
    out = Out()
    try:
        opts = parse(args, "t:o:Vhf", ("help",))
    except UsageError:
        return out.err(choices.XCAT_USAGE.format(cmd="rmdef", usage=RMDEF_USAGE)).fail()
    type_ = opts.value("-t") or "node"
    text = opts.value("-o") or (opts.rest[0] if opts.rest else "")
    if not text or type_ not in ob.TYPES:
        return out.err(choices.XCAT_USAGE.format(cmd="rmdef", usage=RMDEF_USAGE)).fail()
    names = _names(type_, text)
    if type_ == "node":
        found, _ = ob.resolve_nodes(world, text)
        names = sorted(set(names) | set(found)) if found else names
    removed: list[str] = []
    for name in names:
        if world.xcat(type_, name) is None:
            out.err(f"Error: Could not find an object named '{name}' of type '{type_}'.").fail()
            continue
        world.del_xcat(type_, name)
        removed.append(name)
    if not removed:
        return out.out("No objects have been removed from the xCAT database.")
    out.out(f"{len(names)} object definitions have been removed.")
    cecs = [n for n in removed if type_ == "node"]
    orphans = sorted(n for n, a in world.xcat_all("node").items() if a.get("parent") in cecs)
    if orphans:
        out.err("Warning: You have removed a cec node, please remove these nodes belongs to it "
                f"manually: {','.join(orphans)} .")
    return out
