"""How the NIM master reaches a cluster subnet: its own interface on the network, or routes.

The runbook's NIM network procedure has three steps: define the network, then give the master
an interface on it when the master is connected to it (`nim -o change -a if2='clstr_net
xcataixmn 0' -a cable_type2=N/A master`), or else a route between it and the master's own
network (`nim -o change -a routing2='master_net 10.0.0.247 8.124.37.24' clstr_net`: the
gateway on this network towards the master's, then the master's network's gateway back). The
spec says which networks the master is on (`management_node.addresses`); the index is the next
one free in what `lsnim -l` shows (as `lsnim -A if master` gives it, xcat2nim.pm lines
1536-1572), counting those this plan adds. Cleanup of a marked network first removes the
master's interfaces and the other networks' routes that name it: setting a sequenced attribute
to nothing removes it (docs/formats.md "NIM").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xclone.base.address import Address
from xclone.drivers.nim.kinds import ActionKind
from xclone.drivers.nim.resources.common import NIM_NETWORKS, REACH, master_step
from xclone.observed.model import NimObject
from xclone.plan.action import Step, StepRef
from xclone.plan.context import Context
from xclone.spec.model import Network

MASTER = "master"


def indexed(obj: NimObject | None, prefix: str) -> dict[int, str]:
    """`if1`, `if2`... (or `routing<N>`) of an object: sequence number -> value."""
    if obj is None:
        return {}
    found = {}
    for key, value in obj.attrs.items():
        number = key[len(prefix):]
        if key.startswith(prefix) and number.isdigit():
            found[int(number)] = value
    return found


def _defined(address: Address) -> tuple[StepRef, ...]:
    return (StepRef(ActionKind.NIM_DEFINE_NETWORK, address),)


def _free(used: set[int]) -> int:
    return next(i for i in range(1, len(used) + 2) if i not in used)


@dataclass
class Reach:
    """The master as observed, and the indices this plan has taken so far."""

    ctx: Context
    taken_if: set[int] = field(default_factory=set)
    taken_routes: dict[str, set[int]] = field(default_factory=dict)

    @property
    def master(self) -> NimObject | None:
        return self.ctx.observed.nim.get(MASTER)

    def primary(self) -> tuple[str, str] | None:
        """The master's own network and host name (its `if1`), or None when NIM shows none."""
        words = indexed(self.master, "if").get(1, "").split()
        return (words[0], words[1]) if len(words) >= 2 else None

    def connected(self, nim_name: str) -> bool:
        return any(v.split()[:1] == [nim_name] for v in indexed(self.master, "if").values())

    def routed(self, nim_name: str, primary: str) -> bool:
        """A route between the network and the master's own, on either side."""
        def names(obj_name: str, other: str) -> bool:
            obj = self.ctx.observed.nim.get(obj_name)
            return any(v.split()[:1] == [other] for v in indexed(obj, "routing").values())
        return names(nim_name, primary) or names(primary, nim_name)

    def _host_for(self, ip: str, fallback: str) -> str:
        """The master's name for its address on that network (/etc/hosts), else its if1 name
        as the runbook writes it (`if2='clstr_net xcataixmn 0'`)."""
        names = self.ctx.observed.hosts.get(ip, ())
        return names[0] if names else fallback

    def interface(self, nim_name: str, ip: str, address: Address) -> Step | None:
        primary = self.primary()
        if primary is None:
            return None
        used = set(indexed(self.master, "if")) | set(indexed(self.master, "cable_type"))
        index = _free(used | self.taken_if)
        self.taken_if.add(index)
        host = self._host_for(ip, primary[1])
        return master_step(
            self.ctx, ActionKind.NIM_CHANGE_MASTER,
            ("nim", "-o", "change", "-a", f"if{index}={nim_name} {host} 0",
             "-a", f"cable_type{index}=N/A", MASTER), address, detail=REACH,
            uses=_defined(address), reason=f"the master is on {nim_name} ({ip})")

    def route(self, nim_name: str, net: Network, address: Address,
              defined: bool) -> Step | str:
        """The route step, or why none can be made."""
        primary = self.primary()
        if primary is None:
            return "NIM shows no `if1` on the master"
        back = indexed(self.ctx.observed.nim.get(primary[0]), "routing").get(1, "").split()
        if back[:1] != ["default"] or len(back) < 2:
            return (f"the master's network {primary[0]} has no default route (routing1 = "
                    "default GATEWAY) to send the way back through")
        obj = self.ctx.observed.nim.get(nim_name)
        used = set(indexed(obj, "routing")) | ({1} if defined else set())
        used |= self.taken_routes.setdefault(nim_name, set())
        index = _free(used)
        self.taken_routes[nim_name].add(index)
        return master_step(
            self.ctx, ActionKind.NIM_CHANGE_NETWORK,
            ("nim", "-o", "change", "-a",
             f"routing{index}={primary[0]} {net.gateway} {back[1]}", nim_name), address,
            detail=REACH, uses=_defined(address),
            reason=f"the master is not on {nim_name}: route to {primary[0]}")


def unreach_steps(ctx: Context, name: str, address: Address,
                  after: tuple[StepRef, ...]) -> tuple[list[Step], list[str]]:
    """Before NIM network `name` goes: the master's interfaces on it and the other networks'
    routes to it, each set to nothing; with a note per attribute removed."""
    steps: list[Step] = []
    notes: list[str] = []
    master = ctx.observed.nim.get(MASTER)
    for index, value in sorted(indexed(master, "if").items()):
        if index > 1 and value.split()[:1] == [name]:
            words: tuple[str, ...] = ("-a", f"if{index}=")
            if f"cable_type{index}" in (master.attrs if master else {}):
                words += ("-a", f"cable_type{index}=")
            steps.append(master_step(ctx, ActionKind.NIM_CHANGE_MASTER,
                                     ("nim", "-o", "change", *words, MASTER), address,
                                     detail=f"if{index}", after=after,
                                     reason="remove the master's interface on it"))
            notes.append(f"removes the master's if{index} ({value})")
    for other, obj in sorted(ctx.observed.nim.items()):
        if obj.cls != NIM_NETWORKS or other == name:
            continue
        for index, value in sorted(indexed(obj, "routing").items()):
            if value.split()[:1] == [name]:
                steps.append(master_step(
                    ctx, ActionKind.NIM_CHANGE_NETWORK,
                    ("nim", "-o", "change", "-a", f"routing{index}=", other), address,
                    detail=f"{other}.routing{index}", after=after,
                    reason=f"remove {other}'s route to it"))
                notes.append(f"removes {other}'s routing{index} ({value})")
    return steps, notes
