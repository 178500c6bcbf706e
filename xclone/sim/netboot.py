"""`lpar_netboot` on the HMC: adapter discovery (`-M -n`) and network boot.

Sources: docs/formats.md "HMC".
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

from xclone.sim import bootservices, choices, install, power, refcode
from xclone.sim.args import UsageError, parse
from xclone.sim.hmc import find_system
from xclone.sim.store import Body
from xclone.sim.world import Block, Out, Reply, World, lpar_key

USAGE = ("Usage: lpar_netboot [-M -n] [-A] [-D] [-f] [-i] [-m mac] -t ent [-s speed] "
         "[-d duplex] [-S server -G gateway -C client [-K mask]] partition profile system")
HEADER = "# Type\t Location Code\t MAC Address\t Full Path Name\t Ping Result\t Device Type"


def _opening(lpar: Body) -> list[str]:
    lines = [f"# Connecting to {lpar['name']}.", "# Connected", "# Checking for power off."]
    if lpar["state"] != "Not Activated":
        lines.append(choices.NETBOOT_SHUTDOWN_LINE)
    return lines + ["# Power off complete.", f"# Power on {lpar['name']} to Open Firmware.",
                    "# Power on complete."]


def _server(world: World, server: str | None) -> World | None:
    """The NIM master at the boot server address `-S` (the world seen from it), or None."""
    found = next((face for face, mn in world.masters().items() if mn["ip"] == server), None)
    return None if found is None else world.serving(found)


def _answered(master: World | None, lpar: Body) -> bool:
    """Whether the master answers the partition's bootp: its machine is armed, or in the middle
    of an install that this boot restarts from the beginning (NIM keeps the client's boot
    files until the install ends or a reset: inferred, docs/formats.md "NIM")."""
    machine = None if master is None else master.nim(lpar["name"])
    return master is not None and machine is not None and \
        machine.get("Cstate") in (install.ENABLED, choices.CSTATE_INSTALLING) and \
        not bootservices.services_down(master, lpar["name"], lpar["name"])


SESSIONS = "netboot_sessions"  # meta: HMC face -> {"running": [[token, ends], ...], "peak": N}
SESSION_GRACE = 5.0  # real seconds past its end after which a session counts as gone


def _begin_session(world: World, face: str, real_seconds: float) -> str:
    """One lpar_netboot more running against this HMC, for `real_seconds`; keeps the peak that
    `Lab.netboot_peaks` reports (an HMC serves only so many at once: issue 14's max_sessions).

    A session whose caller was killed never ends by itself, so one older than its end (plus a
    grace) no longer counts: a crashed run cannot inflate the next run's peak."""
    now = time.time()
    sessions: dict[str, dict[str, Any]] = dict(world.s.meta(SESSIONS) or {})
    mine = sessions.get(face, {"running": [], "peak": 0})
    running = [s for s in mine["running"] if float(s[1]) + SESSION_GRACE >= now]
    token = uuid.uuid4().hex
    running.append([token, now + real_seconds])
    sessions[face] = {"running": running, "peak": max(int(mine["peak"]), len(running))}
    world.s.set_meta(SESSIONS, sessions)
    return token


def _end_session(world: World, face: str, token: str) -> None:
    sessions: dict[str, dict[str, Any]] = dict(world.s.meta(SESSIONS) or {})
    mine = sessions.get(face)
    if mine is not None:
        mine["running"] = [s for s in mine["running"] if s[0] != token]
        world.s.set_meta(SESSIONS, sessions)


def _blocking(world: World, face: str, seconds: float, done: Out,
              then: Callable[[World], None]) -> Block:
    """The command runs for `seconds` as one session against the HMC `face`."""
    token = _begin_session(world, face, world.clock.wall_seconds(seconds))

    def finish(later: World) -> Out:
        _end_session(later, face, token)
        then(later)
        return done

    return Block(seconds, finish)


def boot(world: World, hmc: str, system: Body, lpar: Body, machine: str, answered: bool,
         done: Out) -> Block:
    """Network-boot `lpar` (on HMC `hmc`, managed system `system`) for the NIM machine
    `machine`: power-cycle to Open Firmware, bootp, and, when a NIM master answers, the install
    on the lab clock with its reference codes. One HMC session for as long as the boot takes:
    `lpar_netboot` on the HMC and NIM's own boot of a managed client (`boot_client=yes`).

    The whole boot is recorded now: the partition goes on booting and installing even if the
    caller is killed before the command returns, as firmware does once it has been started."""
    answered = answered and not refcode.stops_boot(world, lpar["name"])
    fails = install.fails(world, lpar["name"], machine)
    seconds = power.netboot(world, lpar, answered)
    keep = refcode.netboot(world, lpar, seconds, answered, fails)
    world.put_lpar(lpar)
    if answered:
        install.begin(world, machine, lpar_key(hmc, system["name"], lpar["name"]), fails, keep,
                      start=world.now + seconds)
    return _blocking(world, hmc, seconds, done, lambda _later: None)


def lpar_netboot(world: World, args: list[str]) -> Reply:
    out = Out()
    try:
        opts = parse(args, "MnvxfADit:s:d:S:G:C:K:m:l:")
    except UsageError:
        return out.out(USAGE).fail()
    if len(opts.rest) != 3 or opts.value("-t") != "ent":
        return out.out(USAGE).fail()
    name, profile, sysname = opts.rest
    system = find_system(world, sysname)
    if system is None:
        return out.out(f"lpar_netboot: {choices.HMC_SYS_NOT_FOUND}").fail()
    lpar = world.lpar(lpar_key(world.face, system["name"], name))
    if lpar is None:
        return out.out(f"lpar_netboot: HSCL8012 The partition named {name} was not found.").fail()
    if profile not in lpar["profiles"]:
        text = choices.HMC_PROFILE_NOT_FOUND.format(profile=profile, name=name)
        return out.out(f"lpar_netboot: {text}").fail()
    lines = _opening(lpar)
    adapters = lpar["adapters"] if opts.has("-A") else lpar["adapters"][:1]
    if opts.has("-M"):
        ping = "successful" if opts.has("-D") else "n/a"
        lines += ["# Getting adapter location codes.", HEADER]
        lines += [f"{a['type']} {a['location']} {a['mac']} {a['path']} {ping} {a['kind']}"
                  for a in adapters]
        seconds = power.follow(world, lpar, power.power_off_first(lpar) + [
            ("Starting", choices.STARTING_SECONDS)], "Open Firmware")
        return _blocking(world, world.face, seconds, Out(stdout=[ln + "\n" for ln in lines]),
                         lambda _w: None)
    mac = (opts.value("-m") or "").lower()
    chosen = [a for a in lpar["adapters"] if a["mac"] == mac] if mac else adapters
    if not chosen:
        return out.out(f"lpar_netboot: can not find mac address {mac}.").fail()
    for flag, what in (("-C", "Client"), ("-S", "Server"), ("-G", "Gateway"),
                       ("-K", "Subnetmask")):
        if opts.value(flag):
            lines.append(f"# {what} IP address is {opts.value(flag)}.")
    lines += ["# Getting adapter location codes.", f"# {chosen[0]['path']} ping successful.",
              "# Network booting install adapter.", "# bootp sent over network.",
              "# Network boot proceeding, lpar_netboot is exiting.", "# Finished."]
    master = _server(world, opts.value("-S"))
    return boot(master or world, world.face, system, lpar, name, _answered(master, lpar),
                Out(stdout=[ln + "\n" for ln in lines]))
