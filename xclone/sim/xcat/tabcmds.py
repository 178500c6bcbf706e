"""`tabdump`, `chtab`, `nodels` and `nodech`: xCAT's table commands (xCAT 2.9.2
xCAT-server/lib/xcat/plugins/tabutils.pm: tabdump lines 557-770 with output_table 1247-1280,
nodech 1405-1765, nodels 1830-2165, tabch 2171-2398), on the tables of tables.py.

Two simplifications, both of output order only: `nodels` prints a node's columns in the order
asked (xCAT walks Perl hashes, so its order varies), and stored rows dump in key order.
"""

from __future__ import annotations

import re

from xclone.sim.args import UsageError, parse
from xclone.sim.world import Out, World
from xclone.sim.xcat import objects as ob
from xclone.sim.xcat import tables
from xclone.sim.xcat.schema_data import TABSPEC

SHORTNAMES = {"groups": ("nodelist", "groups"), "tags": ("nodelist", "groups"),
              "mgt": ("nodehm", "mgt")}  # tabutils.pm lines 28-33
TABDUMP_USAGE = (
    "Usage: tabdump [-d] [table]", "       tabdump      [table]",
    "       tabdump [-f <filename>]  [table]",
    "       tabdump [-n <# of records>]  [auditlog | eventlog]",
    "       tabdump [-w attr==val [-w attr=~val] ...] [table]",
    "       tabdump [-w attr==val [-w attr=~val] ...] [-f <filename>] [table]",
    "       tabdump [-?|-h|--help]", "       tabdump {-v|--version}", "       tabdump ")
TABCH_USAGE = (
    "Usage: tabch", "       To add or update rows for tables:",
    "       tabch [keycolname=keyvalue[,keycolname=keyvalue...]] "
    "[tablename.colname=newvalue] [tablename.colname=newvalue]...",
    "       To delete rows from tables:",
    "       tabch -d|--delete keycolname=keyvalue[,keycolname=keyvalue...] tablename "
    "[tablename]...",
    "         keycolname=keyvalue   a column name-and-value pair ",
    "         that identifies the rows in a table to be changed.",
    "         a column name-and-value pair that identifies ",
    "         the rows in a table to be changed.",
    "         that identifies the rows in a table to be changed.",
    "         tablename.colname=newvalue ",
    "         the new value for the specified row and column of the table.",
    "       tabch [-h|--help]", "       tabch [-v|--version]")
NODELS_USAGE = (
    "Usage:",
    "  nodels [noderange] [-b|--blame] [-H|--with-fieldname] [table.attribute | shortname] "
    "[-S][...]",
    "  nodels {-v|--version}", "  nodels [-?|-h|--help]")
NODECH_USAGE = ("Usage: nodech <noderange> table.column=value [...]",
                "       nodech {-d | --delete} <noderange> <table> [...]",
                "       nodech {-v | --version}", "       nodech [-? | -h | --help]")


def _usage(lines: tuple[str, ...], status: int) -> Out:
    out = Out()
    for line in lines:
        out.out(line)
    return out.fail(status) if status else out


def _quoted(row: tables.Row, cols: tuple[str, ...]) -> str:
    cells = ['"' + row[c].replace('"', '""') + '"' if c in row else "" for c in cols]
    return ",".join(cells)


def tabdump(world: World, args: list[str]) -> Out:
    try:
        opts = parse(args, "h?vn:df:w:", ("help", "version", "lines="))
    except UsageError:
        return _usage(TABDUMP_USAGE, 1)
    if opts.has("-h", "-?", "--help"):
        return _usage(TABDUMP_USAGE, 0)
    if len(opts.rest) > 1:
        return _usage(TABDUMP_USAGE, 1)
    out = Out()
    if not opts.rest:
        for name in sorted(TABSPEC):
            out.out(name)
        return out
    table = opts.rest[0]
    if table not in TABSPEC:
        return out.err(f"Error: No such table: {table}").fail()
    cols = TABSPEC[table][0]
    out.out("#" + ",".join(cols))
    for row in tables.rows(world, table):
        out.out(_quoted(row, cols))
    return out


def _valid(table: str, column: str) -> bool:
    """xCAT's own test is `grep /$column/` on the column names: a substring is enough."""
    return any(column in c for c in TABSPEC.get(table, ((), ()))[0])


def chtab(world: World, args: list[str]) -> Out:
    try:
        opts = parse(args, "dhv", ("delete", "help", "version"))
    except UsageError:
        return _usage(TABCH_USAGE, 1)
    if opts.has("-h", "--help"):
        return _usage(TABCH_USAGE, 0)
    words = list(opts.rest)
    if not words:
        return _usage(TABCH_USAGE, 1)
    keys: tables.Row = {}
    if not re.match(r"([^.=]+)\.([^.=]+)=(.+)", words[0].split(",")[0]):
        for pair in words.pop(0).split(","):
            if "=" not in pair:
                return Out().out(f'Incorrect argument "{pair}".\n').out(
                    "Check man tabch or tabch -h\n")
            key, value = pair.rsplit("=", 1)
            keys[key] = value
    out = Out()
    if opts.has("-d", "--delete"):
        if not words:
            return out.out("Missing table name.\n").out("Check man tabch or tabch -h\n")
        for table in words:
            tables.delete_rows(world, table, keys)
        return out
    updates: dict[str, tables.Row] = {}
    for word in words:
        table, _, rest = word.partition(".")
        if table not in TABSPEC:
            return out.out(f"Table {table} does not exist.\n")
        append = "+=" in rest
        column, _, value = rest.partition("+=" if append else "=")
        if not _valid(table, column):
            return out.err(f"Error: {table}.{column} not a valid table.column description") \
                .fail()
        if append:
            have = ob.split_list((tables.stored_row(world, table, keys) or {}).get(column, ""))
            value = ",".join(dict.fromkeys(have + ob.split_list(value)))
        updates.setdefault(table, {})[column] = value
    for table, values in updates.items():
        tables.set_row(world, table, keys, values)
    return out


def _inherited(world: World, node: str, attr: str) -> tuple[str, str | None]:
    """(value, group it came from) as xCAT's group inheritance finds it."""
    own = world.xcat("node", node) or {}
    if own.get(attr):
        return own[attr], None
    for group in ob.split_list(own.get("groups", "")):
        value = (world.xcat("group", group) or {}).get(attr)
        if value:
            return value, group
    return "", None


def _columns(words: list[str], out: Out) -> tuple[list[tuple[str, str, str]], int]:
    """(table, column, label) per requested column and the terse counter of nodels."""
    terse, wanted = 2, []
    for word in words:
        if word in SHORTNAMES:
            table, column = SHORTNAMES[word]
            terse -= 1
        elif "." in word:
            table, column = word.split(".", 1)
            terse -= 1
        elif word in TABSPEC:
            terse = 0
            wanted += [(word, c, f"{word}.{c}") for c in TABSPEC[word][0]]
            continue
        else:
            out.err(f"Error: {word} not a valid table.column description").fail()
            continue
        if not _valid(table, column):
            out.err(f"Error: {table}.{column} not a valid table.column description").fail()
            continue
        wanted.append((table, column, word))
    return wanted, terse


def _value(world: World, node: str, table: str, column: str, blame: bool) -> str:
    back = tables.backing(table)
    if back is not None and back[0] == "node":
        attrs = world.xcat("node", node) or {}
        for attr, only_if in tables.columns("node", table).get(column, ()):
            if only_if and not tables.applies(only_if, ob.effective(world, node, attrs)):
                continue
            value, group = _inherited(world, node, attr)
            if value:
                return value + (f" (inherited from group {group})" if blame and group else "")
    row = tables.stored_row(world, table, {TABSPEC[table][1][0]: node}) \
        if TABSPEC[table][1] else None
    return (row or {}).get(column, "")


def nodels(world: World, args: list[str]) -> Out:
    try:
        opts = parse(args, "h?HbvS", ("help", "with-fieldname", "blame", "version"))
    except UsageError:
        return _usage(NODELS_USAGE, 1)
    if opts.has("-h", "-?", "--help"):
        return _usage(NODELS_USAGE, 0)
    out = Out()
    words = list(opts.rest)
    noderange = words.pop(0) if words and "." not in words[0] and words[0] not in TABSPEC \
        and words[0] not in SHORTNAMES else None
    if noderange is None:
        nodes = sorted(world.xcat_all("node"))
    else:
        nodes, unknown = ob.resolve_nodes(world, noderange)
        if unknown:
            return out.err(ob.invalid_noderange(unknown)).fail()
    if not opts.has("-S"):
        hidden = {r["node"] for r in tables.rows(world, "nodelist") if r.get("hidden") == "1"}
        nodes = [n for n in nodes if n not in hidden]
    wanted, terse = _columns(words, out)
    if opts.has("-H", "--with-fieldname"):
        terse = 0
    if not words:
        for node in nodes:
            out.out(node)
        return out
    for node in nodes:
        for table, column, label in wanted:
            value = _value(world, node, table, column, opts.has("-b", "--blame"))
            out.out(f"{node}: {label}: {value}" if terse <= 0 else f"{node}: {value}")
    return out


def nodech(world: World, args: list[str]) -> Out:
    try:
        opts = parse(args, "h?vd", ("help", "version", "delete"))
    except UsageError:
        return _usage(NODECH_USAGE, 1)
    if opts.has("-h", "-?", "--help"):
        return _usage(NODECH_USAGE, 0)
    if len(opts.rest) < 2:
        return _usage(NODECH_USAGE, 1)
    out = Out()
    nodes, unknown = ob.resolve_nodes(world, opts.rest[0])
    if unknown:
        return out.err(ob.invalid_noderange(unknown)).fail()
    if opts.has("-d", "--delete"):
        for table in opts.rest[1:]:
            if re.search(r"[=.]", table):
                out.err("Error: . and = not valid in delete mode.").fail()
                continue
            for node in nodes:
                tables.delete_rows(world, table, {TABSPEC[table][1][0]: node})
        return out
    for word in opts.rest[1:]:
        if "=" not in word:
            out.err(f"Error: Malformed argument {word} ignored.").fail()
            continue
        target, value = word.split("=", 1)
        op = target[-1] if target.endswith((",", "^")) else ""
        target = target.rstrip(",^")
        table, _, column = ".".join(SHORTNAMES[target]).partition(".") if target in SHORTNAMES \
            else target.partition(".")
        if not _valid(table, column):
            out.err(f"Error: {table}.{column} not a valid table.column description").fail()
            continue
        for node in nodes:
            keys = {TABSPEC[table][1][0]: node}
            have = ob.split_list((tables.stored_row(world, table, keys) or {}).get(column, ""))
            if op == ",":
                value_now = ",".join(dict.fromkeys(have + ob.split_list(value)))
            elif op == "^":
                value_now = ",".join(v for v in have if v not in ob.split_list(value))
            else:
                value_now = value.removeprefix("@")
            tables.set_row(world, table, keys, {column: value_now})
    return out
