"""The xCAT object database as the commands see it: attribute names, inheritance, noderanges
and the two printed forms (long `Object name:` and `-z` stanzas)."""

from __future__ import annotations

from collections.abc import Iterable

from xclone.base.noderange import NoderangeError, expand_token
from xclone.sim.world import Attrs, World
from xclone.sim.xcat.schema_data import DEFSPEC

# Every object type and attribute name of xCAT 2.9.2's Schema.pm %defspec (generated data).
TYPES = tuple(sorted(DEFSPEC))
VALID = {type_: frozenset(name for name, _, _ in attrs) for type_, attrs in DEFSPEC.items()}
# site and monitoring take any attribute name (DBobjectdefs.pm checks skip them)
FREE_FORM = ("site", "monitoring")

# attribute -> (the mgt values that allow it, the one value the error message names)
ONLY_IF = {"pprofile": (("hmc", "ivm", "fsp"), "fsp"),
           "parent": (("hmc", "ivm", "bpa", "fsp"), "fsp"),
           "hwtype": (("hmc", "ivm", "bpa", "fsp", "blade"), "fsp")}


def valid_attr(type_: str, attr: str) -> bool:
    """Schema.pm's names; `nicips.eth0` counts as `nicips` (DBobjectdefs.pm defmk)."""
    if type_ in FREE_FORM:
        return True
    base = attr.split(".", 1)[0] if attr.startswith("nic") else attr
    return base in VALID.get(type_, frozenset())


def split_list(value: str) -> list[str]:
    return [v for v in value.split(",") if v]


def hidden(attrs: Attrs, attr: str) -> bool:
    """The only_if rule: pprofile/parent/hwtype are not shown unless mgt allows them."""
    rule = ONLY_IF.get(attr)
    return rule is not None and attrs.get("mgt") not in rule[0]


def memberships(world: World) -> dict[str, list[str]]:
    """Static groups: group name -> member nodes, from every node's `groups`."""
    members: dict[str, list[str]] = {}
    for name, attrs in world.xcat_all("node").items():
        for group in split_list(attrs.get("groups", "")):
            members.setdefault(group, []).append(name)
    return members


def group_names(world: World) -> list[str]:
    return sorted(set(world.xcat_all("group")) | set(memberships(world)))


def group_attrs(world: World, name: str, members: dict[str, list[str]]) -> Attrs:
    attrs = dict(world.xcat("group", name) or {})
    attrs["members"] = ",".join(members.get(name, []))
    return attrs


def effective(world: World, name: str, attrs: Attrs) -> Attrs:
    """What `lsdef -l` shows for a node: group-inherited values and the xcatdefaults merge."""
    shown = dict(attrs)
    for group in split_list(attrs.get("groups", "")):
        for attr, value in (world.xcat("group", group) or {}).items():
            if attr not in ("members", "grouptype", "membergroups", "wherevals", "usercomment"):
                shown.setdefault(attr, value)
    defaults = str(world.s.meta("xcatdefaults", ""))
    if defaults:
        own = shown.get("postscripts", "")
        shown["postscripts"] = defaults + ("," + own if own else "")
    return shown


def objects_of(world: World, type_: str) -> dict[str, Attrs]:
    if type_ == "group":
        members = memberships(world)
        return {g: group_attrs(world, g, members) for g in group_names(world)}
    return world.xcat_all(type_)


def get_object(world: World, type_: str, name: str) -> Attrs | None:
    if type_ == "group":
        members = memberships(world)
        if world.xcat("group", name) is None and name not in members:
            return None
        return group_attrs(world, name, members)
    return world.xcat(type_, name)


def long_form(name: str, attrs: Attrs, type_: str | None = None,
              only: Iterable[str] | None = None, indent: str = "    ") -> str:
    header = f"Object name: {name}" + (f"  ({type_})" if type_ else "")
    lines = [header]
    wanted = list(only) if only is not None else None
    for attr in sorted(wanted if wanted is not None else attrs):
        value = attrs.get(attr, "")
        if hidden(attrs, attr) and wanted is None:
            continue
        if value == "" and wanted is None and attr != "members":
            continue
        lines.append(f"{indent}{attr}={value}")
    return "\n".join(lines) + "\n"


def stanza(name: str, type_: str, attrs: Attrs, only: Iterable[str] | None = None) -> str:
    lines = [f"{name}:", f"    objtype={type_}"]
    wanted = set(only) if only is not None else None
    for attr in sorted(attrs):
        value = attrs[attr]
        if (wanted is not None and attr not in wanted) or hidden(attrs, attr):
            continue
        if value == "" and attr != "members":
            continue
        lines.append(f"    {attr}={value}")
    return "\n" + "\n".join(lines) + "\n"


def resolve_nodes(world: World, noderange: str) -> tuple[list[str], list[str]]:
    """Expand a noderange against the database: (known nodes sorted, unknown names).

    A node named in the range is looked up by name (one row), so a command about a few nodes
    does not read the node table; only a group name needs every node's `groups`."""

    def known(name: str) -> bool:
        return world.xcat("node", name) is not None

    members: dict[str, list[str]] | None = None
    chosen: set[str] = set()
    excluded: set[str] = set()
    unknown: list[str] = []
    for raw in (t.strip() for t in noderange.split(",")):
        if not raw:
            continue
        target = excluded if raw.startswith("-") and raw[1:] else chosen
        token = raw[1:] if target is excluded else raw
        if known(token):
            target.add(token)
            continue
        if members is None:
            members = memberships(world)
        if token in members or world.xcat("group", token) is not None:
            target.update(members.get(token, []))
            continue
        try:
            expanded = expand_token(token) if not token.startswith(("/", "^")) else None
        except NoderangeError:
            expanded = None
        if expanded is None:
            unknown.append(token)
            continue
        for name in expanded:
            if known(name):
                target.add(name)
            else:
                unknown.append(name)
    return sorted(chosen - excluded), unknown


def invalid_noderange(unknown: list[str]) -> str:
    return "Error: Invalid nodes and/or groups in noderange: " + ",".join(unknown)
