"""`nim -o OPERATION`: define, change, remove, allocate, deallocate, reset, bos_inst, showres.

Success is silent. Errors print NIM's `0042-NNN` messages and exit with NNN, or the `0042-001`
wrapper with a line of our own wording and exit 1 where no real text is known
(docs/formats.md "NIM").
"""

from __future__ import annotations

import re

from xclone.sim import choices, install
from xclone.sim.args import UsageError, parse
from xclone.sim.clock import aix_date
from xclone.sim.nim import groups, managed
from xclone.sim.nim.model import (
    ENABLED,
    READY,
    allocate,
    allocated,
    define_machine,
    missing,
    release,
    unallocatable,
    values,
    wrapped,
)
from xclone.sim.seed import network, resource
from xclone.sim.store import Body
from xclone.sim.world import Block, Out, Reply, World

# IBM's SMIT help for NIM ("Network Name"): at most 39 characters, no shell, file-system or
# regular-expression metacharacters (so letters, digits, `_` and `-`)
_NAME = re.compile(r"^[A-Za-z0-9_-]{1,39}$")
_BOS_INST_SKIP = ("source", "boot_client", "accept_licenses", "no_client_boot", "force_push",
                  "installp_flags", "preserve_res")


def _pairs(values: list[str]) -> list[tuple[str, str]] | None:
    """`-a attr=value` in order; an attribute may repeat (`-a script=a -a script=b`)."""
    pairs: list[tuple[str, str]] = []
    for item in values:
        if "=" not in item:
            return None
        key, value = item.split("=", 1)
        pairs.append((key, value))
    return pairs


def nim(world: World, args: list[str]) -> Reply:
    try:
        opts = parse(args, "o:Ft:a:")
    except UsageError:
        return Out().err(choices.NIM_USAGE).fail(1)
    op, pairs = opts.value("-o"), _pairs(opts.values("-a"))
    if op is None or pairs is None or len(opts.rest) != 1:
        return Out().err(choices.NIM_USAGE).fail(1)
    target, force, attrs = opts.rest[0], opts.has("-F"), dict(pairs)
    if op == "define" and opts.value("-t") == "mac_group":
        return groups.define_group(world, target, pairs) if _NAME.match(target) else \
            wrapped(choices.NIM_BAD_NAME.format(name=target))
    if op == "define":
        return _define(world, opts.value("-t") or "", target, attrs)
    body = world.nim(target)
    if body is None:
        return missing("nim", target)
    if op == "change":
        if not force and (allocated(body) or int(body.get("alloc_count", "0")) > 0):
            return wrapped(choices.NIM_ALLOCATED.format(name=target))
        # an attribute set to nothing is removed (`-a if2= master`, docs/formats.md "NIM")
        body.update({k: v for k, v in attrs.items() if v != ""})
        for key in [k for k, v in attrs.items() if v == ""]:
            body.pop(key, None)
        world.put_nim(target, body)
        return Out()
    if op == "remove":
        if not force and (allocated(body) or int(body.get("alloc_count", "0")) > 0):
            return wrapped(choices.NIM_ALLOCATED.format(name=target))
        if attrs.get("rm_image") == "yes" and "location" in body:
            world.remove(str(body["location"]))
        world.del_nim(target)
        return Out()
    if body.get("class") == "groups" and op == "bos_inst":
        return groups.each_member(world, target, body, attrs, lambda member, one: _machine_op(
            world, op, member, one, pairs, force))
    if body.get("class") != "machines" and op != "showres":
        return Out().err(choices.NIM_BAD_OP.format(op=op, name=target)).fail(104)
    return _machine_op(world, op, target, body, pairs, force)


def _machine_op(world: World, op: str, name: str, body: Body,
                pairs: list[tuple[str, str]], force: bool) -> Reply:
    attrs = dict(pairs)
    if op == "showres":
        return _showres(world, name, body)
    if op == "allocate":
        for rtype, rname in pairs:
            problem = allocate(world, body, rtype, rname)
            if problem is not None:
                return problem
    elif op == "deallocate":
        if attrs.get("subclass") == "all":
            install.deallocate(world, body)
        for rtype, rname in pairs:
            if rtype != "subclass" and rname in values(body, rtype):
                release(world, body, rtype, rname)
        if not any(k in choices.NIM_RESOURCE_TYPES for k in body):
            body.pop("control", None)
    elif op == "reset":
        if body.get("Cstate") != READY:
            body["prev_state"], body["Cstate"] = body["Cstate"], READY
        body.pop("info", None)
    elif op == "bos_inst":
        if "ready" not in body.get("Cstate", "") and not force:
            return wrapped(choices.NIM_NOT_READY.format(name=name, cstate=body.get("Cstate")))
        wanted = [(k, v) for k, v in pairs if k not in _BOS_INST_SKIP]
        wanted += [("boot", "boot"), ("nim_script", "nim_script")]
        refused = unallocatable(world, body, wanted)
        if refused is not None:
            return refused
        target = None
        boot_client = attrs.get("boot_client", "yes" if "mgmt_profile1" in body else "no")
        if boot_client == "yes":
            found = managed.boot_problem(world, name, body)
            if isinstance(found, Out):
                return found
            target = found
        for rtype, rname in wanted:
            problem = allocate(world, body, rtype, rname)
            if problem is not None:
                return problem
        body["prev_state"], body["Cstate"] = body["Cstate"], ENABLED
        body.pop("Cstate_result", None)
        body.pop("err_info", None)
        if target is not None:
            world.put_nim(name, body)
            return managed.boot(world, name, target)
    else:
        return Out().err(choices.NIM_BAD_OP.format(op=op, name=name)).fail(104)
    world.put_nim(name, body)
    return Out()


def _showres(world: World, name: str, body: dict[str, str]) -> Out:
    if body.get("type") == "spot":
        return Out(stdout=[choices.NIM_SHOWRES_SPOT])
    content = world.file(str(body.get("location", "")))
    if content is None or content.get("type") != "file":
        return wrapped(choices.NIM_SHOWRES_MISSING.format(name=name))
    return Out(stdout=[str(content.get("content", ""))])


def _define(world: World, type_: str, name: str, attrs: dict[str, str]) -> Reply:
    if not _NAME.match(name):
        return wrapped(choices.NIM_BAD_NAME.format(name=name))
    if type_ == "standalone":
        if world.nim(name) is None:
            problem = managed.profile(world, attrs)
            if problem is not None:
                return problem
        return define_machine(world, name, attrs)
    existing = world.nim(name)
    if existing is not None:
        code = 32 if existing.get("class") == "machines" else 81
        text = choices.NIM_MACHINE_EXISTS if code == 32 else choices.NIM_RESOURCE_EXISTS
        return Out().err(text.format(name=name)).fail(code)
    if type_ == "ent":
        # IBM, "Defining NIM networks": net_addr and snm are required attributes
        missing = [a for a in ("net_addr", "snm") if not attrs.get(a)]
        if missing:
            return wrapped(choices.NIM_NETWORK_REQUIRED.format(attrs=" and ".join(missing),
                                                               name=name))
        world.put_nim(name, network({k: attrs[k] for k in attrs}))
        return Out()
    if type_ == "hmc":
        return managed.define_hmc(world, name, attrs)
    if type_ == "cec":
        return managed.define_cec(world, name, attrs)
    if type_ not in choices.NIM_RESOURCE_TYPES:
        return Out().err(choices.NIM_USAGE).fail(1)
    if "location" not in attrs or "server" not in attrs:
        return wrapped(f"   the location and server attributes are required to define {name}")
    if type_ in choices.NIM_FILE_TYPES:
        found = world.file(attrs["location"])
        if found is None or found.get("type") != "file":
            return wrapped(choices.NIM_LOCATION_MISSING.format(path=attrs["location"]))
    if type_ == "mksysb" and attrs.pop("mk_image", "") == "yes":
        return backup(world, name, attrs)
    if type_ == "mksysb" and (world.file(attrs["location"]) or {}).get("type") != "file":
        return wrapped(choices.NIM_LOCATION_MISSING.format(path=attrs["location"]))
    source = world.nim(attrs.get("source", ""))
    if type_ == "spot" and source is not None and source.get("type") in ("mksysb", "lpp_source"):
        return spot_from(world, name, attrs, source)
    world.put_nim(name, resource(name, type_, attrs))
    return Out()


def backup(world: World, name: str, attrs: dict[str, str]) -> Reply:
    """`define -t mksysb -a mk_image=yes -a source=CLIENT`: a blocking backup of a running client;
    the resource exists only when the backup has finished."""
    source = attrs.pop("source", "")
    attrs.pop("mksysb_flags", None)
    client = world.nim(source)
    lpar = world.find_lpar(source)
    if client is None or client.get("class") != "machines":
        return missing("nim", source)
    if client.get("Mstate") != "currently running" or lpar is None or \
            lpar["state"] != "Running":
        return wrapped(choices.NIM_NOT_RUNNING.format(name=source))
    os_words = str(lpar.get("os_version", "")).split()
    level = os_words[2] if len(os_words) > 2 else "6100-09-05-1524"
    version = level[0] if level[:1].isdigit() else "6"
    release = level[1] if len(level) > 1 else "1"

    def finish(later: World) -> Out:
        body = resource(name, "mksysb", {
            **attrs, "creation_date": aix_date(later.now), "source_image": source,
            "version": version, "release": release, "mod": "0", "oslevel_r": level[:7],
            "oslevel_s": level})
        later.put_nim(name, body)
        location = str(body["location"])
        later.write(location, f"mksysb image of {source}\n")
        return Out()

    return Block(world.costs.mksysb_seconds, finish)


def spot_from(world: World, name: str, attrs: dict[str, str], source: Body) -> Reply:
    """`define -t spot -a source=MKSYSB|LPP_SOURCE`: a blocking build of the SPOT from an
    existing image; its oslevel follows the source's (docs/formats.md "NIM")."""
    level: dict[str, str] = {k: str(source[k]) for k in ("oslevel_r", "version", "release")
                             if k in source}

    def finish(later: World) -> Out:
        later.put_nim(name, resource(name, "spot", {**attrs, **level}))
        return Out()

    return Block(world.costs.spot_seconds, finish)
