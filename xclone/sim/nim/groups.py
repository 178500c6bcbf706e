"""NIM machine groups (`mac_group`): define one from its members, and run `bos_inst` on every
member at once, as IBM's "Using the NIM bos_inst operation" allows ("a standalone machine or a
group of standalone machines").

`nim -o define -t mac_group -a add_member=NAME ... GROUP` lists the members as `member1`,
`member2`, ... (the lab seeds groups the same way); each member must be a standalone machine.
A group operation runs for each member in turn, goes on past a member that fails and prints
every failure; the exit status is the first failure's. Attribute and message forms: inferred.
"""

from __future__ import annotations

from collections.abc import Callable

from xclone.sim import choices
from xclone.sim.nim.model import missing, wrapped
from xclone.sim.store import Body
from xclone.sim.world import Out, Reply, World

MemberOp = Callable[[str, Body], Reply]


def define_group(world: World, name: str, pairs: list[tuple[str, str]]) -> Out:
    members = [value for key, value in pairs if key == "add_member"]
    for member in members:
        body = world.nim(member)
        if body is None:
            return missing("nim", member)
        if body.get("class") != "machines" or body.get("type") != "standalone":
            return wrapped(choices.NIM_NOT_A_MEMBER.format(name=member))
    group: Body = {"class": "groups", "type": "mac_group"}
    group.update({k: v for k, v in pairs if k != "add_member"})
    group.update({f"member{i}": member for i, member in enumerate(members, start=1)})
    world.put_nim(name, group)
    return Out()


def members(group: Body) -> list[str]:
    numbered = sorted((int(k[6:]), str(v)) for k, v in group.items()
                      if k.startswith("member") and k[6:].isdigit())
    return [name for _, name in numbered]


def each_member(world: World, name: str, group: Body, attrs: dict[str, str],
                run: MemberOp) -> Reply:
    """`run` the operation on every member; a boot through the HMC (`boot_client=yes`) is one
    blocking session per machine, which the lab runs only machine by machine."""
    if attrs.get("boot_client") == "yes":
        return wrapped(choices.NIM_GROUP_BOOT.format(name=name))
    out, first = Out(), 0
    for member in members(group):
        body = world.nim(member)
        reply = missing("nim", member) if body is None else run(member, body)
        if not isinstance(reply, Out):
            return wrapped(choices.NIM_GROUP_BOOT.format(name=name))
        out.stdout += reply.stdout
        out.stderr += reply.stderr
        first = first or reply.status
    out.status = first
    return out
