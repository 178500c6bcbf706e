"""NIM objects and the rules every NIM caller shares: printing, find_net, (de)allocation."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from xclone.sim import choices
from xclone.sim.store import Body
from xclone.sim.world import Out, World
from xclone.sim.xcat.hw import resolve_host

READY = "ready for a NIM operation"
ENABLED = "BOS installation has been enabled"


def ordered(body: Body) -> list[str]:
    """Attribute order of `lsnim -l`: fixed for machines, as defined for everything else."""
    if body.get("class") != "machines" or body.get("type") == "master":
        return list(body)
    known = [k for k in choices.NIM_MACHINE_ORDER if k in body]
    return known + [k for k in body if k not in choices.NIM_MACHINE_ORDER]


def values(body: Body, key: str) -> list[str]:
    """An attribute's values: NIM repeats an attribute that holds several (`script`)."""
    value = body.get(key)
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def stanza(name: str, body: Body, only: Iterable[str] | None = None) -> str:
    """`lsnim -l`'s stanza of one object: a line per value, names padded to the longest. Built
    in one pass: an install poll lists 40 machines of 30 attributes each."""
    keep = None if only is None else set(only)
    keys = [k for k in ordered(body) if keep is None or k in keep]
    width = max((len(k) for k in keys), default=0)
    lines = [f"{name}:\n"]
    for key in keys:
        value = body.get(key)
        if value is None:
            continue
        label = f"   {key:<{width}} = "
        if isinstance(value, list):  # a repeated attribute (`values`)
            lines += [f"{label}{v}\n" for v in value]
        else:
            lines.append(f"{label}{value}\n")
    return "".join(lines)


def listing(name: str, body: Body) -> str:
    return f"{name:<{choices.LSNIM_NAME_WIDTH - 1}} " \
           f"{body.get('class', ''):<{choices.LSNIM_CLASS_WIDTH - 1}} {body.get('type', '')}\n"


def missing(command: str, name: str) -> Out:
    return Out().err(f'0042-053 {command}: there is no NIM object named "{name}"').fail(53)


def wrapped(*lines: str) -> Out:
    out = Out().err(choices.NIM_WRAPPER)
    for line in lines:
        out.err(line)
    return out.fail(1)


def find_net(world: World, host: str) -> tuple[str, str] | str:
    """(NIM network, address) for a host, or the text of NIM's complaint."""
    ip = resolve_host(world, host)
    if ip is None:
        return choices.NIM_UNRESOLVED.format(host=host)
    address = ipaddress.IPv4Address(ip)
    for name, body in world.nim_all().items():
        if body.get("class") != "networks":
            continue
        try:
            net = ipaddress.IPv4Network(f"{body.get('net_addr')}/{body.get('snm')}", strict=False)
        except ValueError:
            continue
        if address in net:
            return name, ip
    return choices.NIM_NO_NETWORK.format(host=host)


def machine_body(if1: str, extra: dict[str, str]) -> Body:
    body: Body = {"class": "machines", "type": "standalone", "connect": "shell",
                  "platform": "chrp", "netboot_kernel": "64", "if1": if1,
                  "cable_type1": "N/A", "Cstate": READY, "prev_state": READY,
                  "Mstate": "not running"}
    body.update(extra)
    return body


def if1_words(world: World, name: str, if1: str) -> list[str] | Out:
    """The words of object `name`'s `if1` (`NETWORK HOST ...`), `find_net HOST` replaced by the
    NIM network holding HOST's address; NIM's refusal when the value is malformed, HOST does not
    resolve, no network holds it or the named network does not exist."""
    words = if1.split()
    if len(words) < 2:
        return wrapped(f"   the if1 attribute of {name} is missing or malformed")
    if words[0] == "find_net":
        found = find_net(world, words[1])
        if isinstance(found, str):
            return wrapped(found)
        words[0] = found[0]
    elif world.nim(words[0]) is None:
        return missing("nim", words[0])
    return words


def define_machine(world: World, name: str, attrs: dict[str, str]) -> Out:
    """`nim -o define -t standalone -a if1='find_net HOST MAC ent' ... NAME`."""
    if world.nim(name) is not None:
        return Out().err(choices.NIM_MACHINE_EXISTS.format(name=name)).fail(32)
    words = if1_words(world, name, attrs.pop("if1", ""))
    if isinstance(words, Out):
        return words
    world.put_nim(name, machine_body(" ".join(words), attrs))
    return Out()


def unallocatable(world: World, machine: Body, pairs: list[tuple[str, str]]) -> Out | None:
    """Why these resources cannot all be allocated to the machine (None: they can), checked
    before any is, so a refused bos_inst leaves nothing allocated."""
    held = {k: values(machine, k) for k, _ in pairs}
    for rtype, rname in pairs:
        resource = world.nim(rname)
        if resource is None or resource.get("class") != "resources":
            return missing("nim", rname)
        if resource.get("type") != rtype:
            return wrapped(f"   {rname} is a {resource.get('type')} resource, not {rtype}")
        if resource.get("Rstate", choices.NIM_RSTATE_READY) != choices.NIM_RSTATE_READY:
            return wrapped(choices.NIM_RESOURCE_NOT_READY.format(
                name=rname, rstate=resource.get("Rstate")))
        if rname in held[rtype]:
            continue
        if held[rtype] and rtype not in choices.NIM_MULTIPLE_TYPES:
            return wrapped(f"   a {rtype} resource is already allocated to this machine")
        held[rtype].append(rname)
    return None


def allocate(world: World, machine: Body, rtype: str, rname: str) -> Out | None:
    problem = unallocatable(world, machine, [(rtype, rname)])
    if problem is not None:
        return problem
    held = values(machine, rtype)
    if rname in held:
        return None
    resource = world.nim(rname) or {}
    machine[rtype] = [*held, rname] if held else rname
    machine["control"] = "master"
    resource["alloc_count"] = str(int(resource.get("alloc_count", "0")) + 1)
    world.put_nim(rname, resource)
    return None


def release(world: World, machine: Body, rtype: str, rname: str | None = None) -> None:
    """Give back `rname` of type `rtype` (every one of that type when None): `alloc_count` - 1
    on each resource, the attribute gone from the machine once it holds none."""
    held = values(machine, rtype)
    freed = [r for r in held if rname is None or r == rname]
    for name in freed:
        resource = world.nim(name)
        if resource is not None:
            resource["alloc_count"] = str(max(int(resource.get("alloc_count", "0")) - 1, 0))
            world.put_nim(name, resource)
    kept = [r for r in held if r not in freed]
    if not kept:
        machine.pop(rtype, None)
    else:
        machine[rtype] = kept if len(kept) > 1 else kept[0]


def allocated(machine: Body) -> list[str]:
    return [k for k in machine if k in choices.NIM_RESOURCE_TYPES]
