"""`lsnim`: list NIM objects (one line each), as stanzas (`-l`, `-a`) or colon form (`-Z`)."""

from __future__ import annotations

from xclone.sim.args import UsageError, parse
from xclone.sim.nim.model import listing, missing, stanza, values
from xclone.sim.store import Body
from xclone.sim.world import Out, World

USAGE = ("Usage: lsnim [-c class] [-t type] [-l] [-a attr]... [-Z] [name]...\n"
         "0042-001 lsnim: invalid usage")


def _all(world: World) -> dict[str, Body]:
    objects = world.nim_all()
    master = {"master": objects.pop("master")} if "master" in objects else {}
    return {**master, **objects}


def lsnim(world: World, args: list[str]) -> Out:
    out = Out()
    try:
        opts = parse(args, "c:t:la:ZOq")
    except UsageError:
        return out.err(USAGE).fail(1)
    names = opts.rest
    chosen: dict[str, Body] = {}
    for name in names:  # each by its name: a poll of 40 machines reads 40, not the database
        body = world.nim(name)
        if body is None:
            out.extend(missing("lsnim", name))
        else:
            chosen[name] = body
    if not names:
        chosen = _all(world)
    if opts.has("-c"):
        chosen = {n: b for n, b in chosen.items() if b.get("class") == opts.value("-c")}
    if opts.has("-t"):
        chosen = {n: b for n, b in chosen.items() if b.get("type") == opts.value("-t")}
    only = opts.values("-a") or None
    if opts.has("-Z"):
        for name, body in chosen.items():
            keys = only or [k for k in body if k not in ("class", "type")]
            # a repeated attribute (several `script`) is a column per value
            header = [k for k in keys for _ in values(body, k) or [k]]
            out.stdout.append("#name:" + "".join(f"{k}:" for k in header) + "\n")
            out.stdout.append(f"{name}:" + "".join(f"{v}:" for k in keys for v in values(body, k))
                              + "\n")
    elif opts.has("-l") or only is not None:
        out.stdout += [stanza(n, b, only) for n, b in chosen.items()]
    else:
        out.stdout += [listing(n, b) for n, b in chosen.items()]
    return out
