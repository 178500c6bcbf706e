"""`mkdef`, `chdef` and `rmdef`: write the xCAT object database with xCAT 2.9.2's checks and
texts (xCAT-server/lib/xcat/plugins/DBobjectdefs.pm: defmk lines 1196-1716, defch 1760-2540,
defrm 3713-4040).

What xCAT does on a bad input is report it, keep going with the rest and exit 1: an unknown
attribute is skipped (the object is still written), a stanza without `objtype` is skipped, and
one summary line closes the call; only command-line errors stop before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xclone.sim import choices
from xclone.sim.world import Attrs, Out, World
from xclone.sim.xcat import objects as ob
from xclone.sim.xcat.defargs import Request, request
from xclone.sim.xcat.stanza import Stanza
from xclone.sim.xcat.usage import usage

SUMMARY = ("Error: One or more errors occured when attempting to create or modify xCAT \n"
           "object definitions.")
RM_SUMMARY = ("Error: One or more errors occured when attempting to remove xCAT object "
              "definitions.")


@dataclass
class _Run:
    """What one mkdef/chdef call did, to print the closing lines xCAT prints."""

    out: Out = field(default_factory=Out)
    written: int = 0
    created: list[str] = field(default_factory=list)
    error: bool = False

    def error_lines(self, *lines: str) -> None:
        for line in lines:
            self.out.err(f"Error: {line}")
        self.out.fail()
        self.error = True


def _stanzas(run: _Run, req: Request) -> list[Stanza]:
    """The objects to write with the attributes xCAT keeps (defmk lines 1283-1340 for the
    command line, setFINALattrs lines 2565-2660 for -z), reporting every one it drops."""
    if req.stanzas is not None:
        kept: list[Stanza] = []
        for st in req.stanzas:
            if not st.type:
                run.error_lines(f"\nNo objtype value was specified for '{st.name}'. Cannot "
                                f"create object definition.")
                continue
            attrs: Attrs = {}
            for attr, value in st.attrs.items():
                if ob.valid_attr(st.type, attr):
                    attrs[attr] = value
                else:
                    # xCAT names $::objtype here, which only the command-line path sets
                    run.error_lines(f"'{attr}' is not a valid attribute name for an object "
                                    f"type of ''.")
            kept.append(Stanza(st.name, st.type, attrs))
        return kept
    type_ = req.types[0]
    if not req.attrs and type_ != "group":
        return []
    result: list[Stanza] = []
    for name in req.names:
        attrs = {}
        for attr, value in req.attrs.items():
            if ob.valid_attr(type_, attr):
                attrs[attr] = value
            else:
                run.error_lines(f"'{attr}' is not a valid attribute name for an object type "
                                f"of '{type_}'.", "Skipping to the next attribute.")
        result.append(Stanza(name, type_, attrs))
    return result


def _checked(world: World, run: _Run, st: Stanza, merged: Attrs) -> Attrs:
    """Drop what xCAT refuses (only_if rules, xcatdefaults duplicates), reporting each
    (DBobjUtils.pm setobjdefs lines 1030-1060, 1200-1220, 1325-1360)."""
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


def _same_network(world: World, st: Stanza) -> str | None:
    """xCAT compares with every network, the one of the same name too (defmk lines 1407-1427),
    so neither a second name nor `-f` redefines a net+mask pair."""
    for name, attrs in world.xcat_all("network").items():
        if attrs.get("net") == st.attrs.get("net") and attrs.get("mask") == st.attrs.get("mask"):
            return name
    return None


def _start(world: World, cmd: str, args: list[str]) -> tuple[Request, _Run] | Out:
    req = request(world, cmd, args)
    if isinstance(req, Out):
        return req
    if req.has("-h", "--help"):
        return Out().out(usage(cmd).removesuffix("\n"))
    if cmd == "mkdef" and req.has("-p", "--plus", "-m", "--minus"):
        return _usage_error(cmd, "The '-p' and '-m' options are not valid for the mkdef command.")
    if cmd == "chdef" and req.has("-f", "--force"):
        return _usage_error(cmd, "The '-f' option is not valid for the chdef command.")
    if req.stanzas is not None and req.names:
        return _usage_error(cmd, "Cannot use '-z' with '-o' or a noderange.",
                            f"Example of -z usage:\n\t'cat stanzafile | {cmd} -z'")
    if req.stanzas is None and not req.names:
        return _usage_error(cmd, "No object names were provided.")
    return req, _Run()


def _usage_error(cmd: str, *lines: str) -> Out:
    out = Out()
    for line in lines:
        out.err(f"Error: {line}")
    return out.fail().out(usage(cmd).removesuffix("\n"))


def mkdef(world: World, args: list[str]) -> Out:
    started = _start(world, "mkdef", args)
    if isinstance(started, Out):
        return started
    req, run = started
    force = req.has("-f", "--force")
    for st in _stanzas(run, req):
        if st.type == "network" and (other := _same_network(world, st)):
            run.error_lines(f"A network definition called '{other}' already exists that "
                            f"contains the same net and mask values. Cannot create a "
                            f"definition for '{st.name}'.")
            continue
        # getObjectsOfType('group') also counts every group a node's `groups` names
        # (DBobjUtils.pm lines 45-124), so defmk (DBobjectdefs.pm lines 1430-1462) refuses such
        # a group as existing; `chdef -t group` sets its attributes (with `-f`, rmobjdefs drops
        # only the group's own rows: the members keep naming it, as in the lab)
        old = ob.get_object(world, st.type, st.name)
        if old is not None and not force:
            run.error_lines(f"\nA definition for '{st.name}' already exists.",
                            "To remove the old definition and replace it with \n"
                            "a new definition use the force '-f' option.",
                            "To change the existing definition use the 'chdef' command.")
            continue
        if st.type == "node" and not st.attrs.get("groups"):
            run.error_lines(f"Attribute 'groups' is not specified for node '{st.name}', "
                            f"skipping to the next node.")
            continue
        _write(world, run, st, None, "")
    return _finish(run, "mkdef")


def _finish(run: _Run, cmd: str) -> Out:
    if run.error:
        return run.out.err(SUMMARY).fail()
    if run.written or cmd == "mkdef":
        run.out.stdout.insert(0, f"{run.written} object definitions have been created or "
                                 f"modified.\n")
    else:
        run.out.stdout.insert(0, "No object definitions have been created or modified.\n")
    if run.created:
        run.out.out(f"New object definitions '{','.join(run.created)}' have been created.")
    return run.out


def chdef(world: World, args: list[str]) -> Out:
    started = _start(world, "chdef", args)
    if isinstance(started, Out):
        return started
    req, run = started
    if req.has("-p", "--plus") and req.has("-m", "--minus"):
        return _usage_error("chdef", "Cannot combine '-p' and '-m' options.")
    mode = "p" if req.has("-p", "--plus") else "m" if req.has("-m", "--minus") else ""
    for st in _stanzas(run, req):
        old = world.xcat(st.type, st.name)
        exists = old is not None or (st.type == "group" and ob.get_object(
            world, "group", st.name) is not None)
        if not exists:
            if mode == "m":
                run.error_lines(f"The '-m' option is not valid since the '{st.name}' "
                                f"definition does not exist.")
                continue
            if st.type == "node":
                st.attrs.setdefault("groups", "all")
            run.created.append(st.name)
        _write(world, run, st, old, mode)
    return _finish(run, "chdef")


def rmdef(world: World, args: list[str]) -> Out:
    req = request(world, "rmdef", args)
    if isinstance(req, Out):
        return req
    if req.has("-h", "--help"):
        return Out().out(usage("rmdef").removesuffix("\n"))
    if req.has("-i", "-l", "-m", "-p", "-z", "-s"):
        return _usage_error("rmdef", "Invalid flag specified, see rmdef manpage for details.")
    type_, out = req.types[0], Out()
    names = req.names
    if type_ == "node" and names:
        found, _ = ob.resolve_nodes(world, ",".join(names))
        names = sorted(set(names) | set(found)) if found else names
    removed: list[str] = []
    for name in sorted(set(names)):
        if ob.get_object(world, type_, name) is None:
            out.err(f"Error: Could not find an object named '{name}' of type '{type_}'.").fail()
            continue
        if type_ == "group":
            _set_members(world, name, [], "")
        world.del_xcat(type_, name)
        removed.append(name)
    if not removed:
        return out.out("No objects have been removed from the xCAT database.")
    out.out(f"{len(removed)} object definitions have been removed.")
    cecs = [n for n in removed if type_ == "node"]
    orphans = sorted(n for n, a in world.xcat_all("node").items() if a.get("parent") in cecs)
    if orphans:
        out.err("Warning: You have removed a cec node, please remove these nodes belongs to it "
                f"manually: {','.join(orphans)} .")
    return out
