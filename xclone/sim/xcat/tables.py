"""xCAT's tables as `tabdump`, `chtab`, `nodels` and `nodech` see them, backed by the world the
object commands use, so `chtab` and `mkdef` see each other's changes.

A column that xCAT 2.9.2's Schema.pm %defspec maps to an object attribute *is* that attribute
(nodelist.groups is a node's `groups`, networks.gateway a network's `gateway`, a site row is a
site attribute, osimage/nimimage columns are osimage attributes, nodegroup columns group ones);
an attribute stored in several tables (username in ppchcp for HMCs, ppcdirect for FSPs...)
lives in the one its `only_if` selects. Every other table (passwd, ...), and the columns of an
object table that no attribute maps (nodelist.hidden), keep rows of their own.
"""

from __future__ import annotations

import json
from functools import cache

from xclone.sim.world import Attrs, World
from xclone.sim.xcat import objects as ob
from xclone.sim.xcat.schema_data import DEFSPEC, TABSPEC

Row = dict[str, str]
# table -> (object type, the column naming the object); the rest of DEFSPEC's node tables are
# keyed by node name too
_OBJECT_TABLES = {"networks": ("network", "netname"), "osimage": ("osimage", "imagename"),
                  "nimimage": ("osimage", "imagename"), "nodegroup": ("group", "groupname")}


@cache
def columns(type_: str, table: str) -> dict[str, tuple[tuple[str, str], ...]]:
    """column -> ((attribute, only_if), ...) for the object type's attributes in `table`."""
    found: dict[str, list[tuple[str, str]]] = {}
    for attr, entry, only_if in DEFSPEC.get(type_, ()):
        tab, _, col = entry.partition(".")
        if tab == table:
            found.setdefault(col, []).append((attr, only_if))
    return {col: tuple(pairs) for col, pairs in found.items()}


def backing(table: str) -> tuple[str, str] | None:
    """(object type, key column) when the table's rows are objects, else None (stored)."""
    if table in _OBJECT_TABLES:
        return _OBJECT_TABLES[table]
    if table == "site":
        return "site", "key"
    keys = TABSPEC.get(table, ((), ()))[1]
    if keys and keys[0] in ("node", "hcp") and columns("node", table):
        return "node", keys[0]
    return None


def applies(only_if: str, attrs: Attrs) -> bool:
    if not only_if:
        return True
    name, _, value = only_if.partition("=")
    return value in ob.split_list(attrs.get(name, ""))


def _attr_for(type_: str, table: str, col: str, attrs: Attrs) -> str | None:
    pairs = columns(type_, table).get(col, ())
    chosen = [a for a, cond in pairs if applies(cond, attrs)] or [a for a, _ in pairs]
    return chosen[0] if chosen else None


def _object_row(type_: str, table: str, key: str, name: str, attrs: Attrs) -> Row | None:
    row: Row = {}
    for col in columns(type_, table):
        attr = _attr_for(type_, table, col, attrs)
        if attr and attrs.get(attr):
            row[col] = attrs[attr]
    if not row:
        return None
    return {key: name, **row}


def rows(world: World, table: str) -> list[Row]:
    """Every row, each a column -> value map without the empty columns."""
    back = backing(table)
    if back is None:
        return list(world.s.all("t:" + table).values())
    type_, key = back
    if type_ == "site":
        site = world.site()
        return [{"key": k, "value": v} for k, v in site.items()]
    found = []
    objects = world.xcat_all(type_)
    extras = world.s.all("t:" + table)
    for name in sorted(objects):
        row = _object_row(type_, table, key, name, objects[name])
        if row is not None:
            found.append({**row, **extras.get(name, {})})
    return found


def _matches(row: Row, keys: Row) -> bool:
    return all(row.get(k, "") == v for k, v in keys.items())


def stored_row(world: World, table: str, keys: Row) -> Row | None:
    for row in rows(world, table):
        if _matches(row, keys):
            return row
    return None


def _stored_name(keys: Row) -> str:
    return json.dumps(keys, sort_keys=True)


def _object_name(world: World, type_: str, key: str, keys: Row, values: Row) -> str:
    if type_ == "network" and key not in keys:
        for name, attrs in world.xcat_all("network").items():
            if all(attrs.get(k) == v for k, v in keys.items()):
                return name
        return values.get(key) or keys.get("net", "")
    return keys.get(key, "")


def set_row(world: World, table: str, keys: Row, values: Row) -> None:
    """chtab: update the rows the keys select, or add one."""
    back = backing(table)
    if back is None:
        for name, row in world.s.all("t:" + table).items():
            if _matches(row, keys):
                world.s.put("t:" + table, name, {**row, **values})
                return
        world.s.put("t:" + table, _stored_name(keys), {**keys, **values})
        return
    type_, key = back
    if type_ == "site":
        site_name = next(iter(world.xcat_all("site")), "clustersite")
        site = dict(world.site())
        site[keys.get("key", "")] = values.get("value", "")
        world.put_xcat("site", site_name, site)
        return
    name = _object_name(world, type_, key, keys, values)
    attrs = dict(world.xcat(type_, name) or {})
    extra = dict(world.s.get("t:" + table, name) or {})
    for col, value in {**{k: v for k, v in keys.items() if k != key}, **values}.items():
        attr = _attr_for(type_, table, col, attrs)
        if attr is None:
            extra[col] = value
        elif attr != key:
            attrs[attr] = value
    world.put_xcat(type_, name, attrs)
    if extra:
        world.s.put("t:" + table, name, extra)


def delete_rows(world: World, table: str, keys: Row) -> None:
    """chtab -d: the rows go; for an object table the object loses that table's columns
    (a node without its nodelist row is no node at all)."""
    back = backing(table)
    if back is None:
        for name, row in world.s.all("t:" + table).items():
            if _matches(row, keys):
                world.s.delete("t:" + table, name)
        return
    type_, key = back
    for row in [r for r in rows(world, table) if _matches(r, keys)]:
        if type_ == "site":
            site_name = next(iter(world.xcat_all("site")), "clustersite")
            site = {k: v for k, v in world.site().items() if k != row["key"]}
            world.put_xcat("site", site_name, site)
            continue
        name = row[key]
        if (type_, table) in (("node", "nodelist"), ("network", "networks"),
                              ("osimage", "osimage"), ("group", "nodegroup")):
            world.del_xcat(type_, name)
            continue
        attrs = dict(world.xcat(type_, name) or {})
        for pairs in columns(type_, table).values():
            for attr, _ in pairs:
                attrs.pop(attr, None)
        world.put_xcat(type_, name, attrs)
