"""`rbootseq NODES net` for Flex blades (`mgt=fsp`), and the network boot a later rpower makes
(the lab's `rpower` is `rpower` here: blades booting from the network, the rest in ppc.py).

Source: xCAT 2.9.2 FSPbootseq.pm `rbootseq`: only `lpar` and `blade` nodes; the CEC must be
`operating` or `standby` (else `'boot' command can only support while the CEC is in the 'power
on' state`); the MAC comes from the mac table (`No mac address in mac table`, and a MAC that is
not 12 hex digits is refused); success prints `node: Success`. The boot list persists in the
partition's firmware (the lab keeps `bootseq` on the LPAR) until AIX's install sets the disk
first again, so the next `rpower on|reset` boots from the network.
"""

from __future__ import annotations

import re

from xclone.sim import bootservices, choices, install, power
from xclone.sim.args import UsageError, parse
from xclone.sim.world import Block, Out, Reply, World
from xclone.sim.xcat import objects as ob
from xclone.sim.xcat import ppc
from xclone.sim.xcat.hw import Failure, Target, key_of, resolve, set_status

USAGE = "rbootseq <noderange> [hfi|net]"
NOT_SUPPORTED = "'boot' command not supported for CEC or BPA"
CEC_OFF = "'boot' command can only support while the CEC is in the 'power on' state"
NO_MAC = "No mac address in mac table"
BAD_MAC = ("The mac address in mac table could NOT be used for rbootseq with -net. HFI mac , or "
           "other wrong format?")
# [inf] what xCAT answers for a node whose mgt has no rbootseq (PPC.pm maps it only for fsp)
NO_DFM = "rbootseq is supported only for nodes with mgt=fsp (Direct FSP Management)"


def rbootseq(world: World, args: list[str]) -> Out:
    out = Out()
    try:
        opts = parse(args, "hvV", ("help", "version", "verbose"))
    except UsageError:
        return out.out(choices.XCAT_USAGE.format(cmd="rbootseq", usage=USAGE)).fail()
    if len(opts.rest) != 2 or opts.rest[1] not in ("net", "hfi"):
        return out.out(choices.XCAT_USAGE.format(cmd="rbootseq", usage=USAGE)).fail()
    found, unknown = ob.resolve_nodes(world, opts.rest[0])
    if unknown:
        return out.err(ob.invalid_noderange(unknown)).fail()
    for node in found:
        problem = _problem(world, node)
        if isinstance(problem, Target):
            problem.lpar["bootseq"] = opts.rest[1]
            world.put_lpar(problem.lpar)
            out.out(f"{node}: Success")
        else:
            out.out(f"{node}: {problem.text}").fail(problem.status)
    return out


def _problem(world: World, node: str) -> Target | Failure:
    attrs = ob.effective(world, node, world.xcat("node", node) or {})
    if attrs.get("mgt") != "fsp":
        return Failure(NO_DFM)
    if attrs.get("hwtype") not in ("lpar", "blade"):
        return Failure(NOT_SUPPORTED)
    t = resolve(world, node)
    if isinstance(t, Failure):
        return t
    if t.system.get("state", "Operating") not in ("Operating", "Standby"):
        return Failure(CEC_OFF)
    mac = attrs.get("mac", "").split("|")[0].replace(":", "")
    if not mac:
        return Failure(NO_MAC)
    if not re.fullmatch(r"\w{12}", mac):
        return Failure(BAD_MAC)
    return t


def boots_from_net(t: Target) -> bool:
    return t.attrs.get("mgt") == "fsp" and t.lpar.get("bootseq") == "net"


def net_boot(world: World, t: Target, action: str
             ) -> tuple[float, tuple[str, str, bool] | None] | str:
    """`rpower on|reset` of a blade whose boot list starts with the network: it boots into the
    NIM install when NIM has one enabled for it (and its boot services answer). The lab seconds
    it takes and what the install needs to begin (None: nobody answered), or the refusal.
    xCAT's status is `booting`, as for any rpower on/reset (docs/formats.md, node status)."""
    lpar = t.lpar
    if action == "on" and lpar["state"] != "Not Activated":
        return choices.HMC_CANNOT_ACTIVATE.format(name=lpar["name"], state=lpar["state"])
    if action == "reset" and lpar["state"] in ("Not Activated", "Shutting Down"):
        return choices.HMC_CANNOT_SHUTDOWN.format(name=lpar["name"], state=lpar["state"])
    machine = world.nim(t.node)
    answered = machine is not None and machine.get("Cstate") == install.ENABLED \
        and not bootservices.services_down(world, t.node, lpar["name"])
    seconds = power.netboot(world, lpar, answered)
    if answered:
        lpar.pop("bootseq", None)  # the install puts the disk first in the boot list again
        world.put_lpar(lpar)
    set_status(world, t.node, "booting")
    if not answered:
        return seconds, None
    return seconds, (t.node, key_of(t), install.fails(world, lpar["name"], t.node))


def rpower(world: World, args: list[str]) -> Reply:
    """`rpower`, with `on`/`reset` of blades whose boot list starts with the network done here
    (they boot into the install) and every other node left to ppc.rpower."""
    words = [a for a in args if not a.startswith("-")]
    if len(words) != 2 or words[1] not in ("on", "reset") or len(words) != len(args):
        return ppc.rpower(world, args)
    found, unknown = ob.resolve_nodes(world, words[0])
    if unknown:
        return ppc.rpower(world, args)
    blades: dict[str, Target] = {}
    for node in found:
        t = resolve(world, node)
        if isinstance(t, Target) and boots_from_net(t):
            blades[node] = t
    if not blades:
        return ppc.rpower(world, args)
    out, longest, starting = Out(), 0.0, []
    for node, t in blades.items():
        booted = net_boot(world, t, words[1])
        if isinstance(booted, str):
            out.out(f"{node}: {booted}").fail()
            continue
        longest = max(longest, booted[0])
        if booted[1] is not None:
            starting.append(booted[1])
        out.out(f"{node}: Success")
    rest = [n for n in found if n not in blades]
    others = ppc.rpower(world, [",".join(rest), words[1]]) if rest else Out()
    wait = max(longest, others.seconds if isinstance(others, Block) else 0.0)

    def finish(later: World) -> Out:
        for node, key, fails in starting:
            install.begin(later, node, key, fails)
        return out.extend(others.then(later) if isinstance(others, Block) else others)

    return Block(wait, finish) if wait > 0 else finish(world)
