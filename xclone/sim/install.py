"""A network installation after rnetboot or lpar_netboot, step by step on the lab clock.

Sources: docs/formats.md "NIM" and "NIM from xCAT".

`begin` records the steps with their simulated times; `settle` applies the steps that are due to
the NIM machine, its resources, the xCAT node and the LPAR whenever a later command runs.
"""

from __future__ import annotations

from typing import Any

from xclone.sim import choices, nimnet
from xclone.sim.clock import xcat_time
from xclone.sim.nim.model import release, values
from xclone.sim.store import Body
from xclone.sim.world import World, lpar_key

READY = "ready for a NIM operation"
ENABLED = "BOS installation has been enabled"
CUSTOMIZING = "customization is being performed"


def _steps(fails: bool) -> list[tuple[float, str, int]]:
    steps = [(0.0, "boot", 1), (choices.BOOTP_TO_5_PERCENT_SECONDS, "progress", 5)]
    n = choices.INSTALL_PROGRESS_STEPS
    for k in range(1, n + 1):
        percent = 5 + round(95 * k / n)
        at = choices.BOOTP_TO_5_PERCENT_SECONDS + choices.INSTALL_SECONDS * k / n
        if fails and percent >= choices.INSTALL_FAILURE_PERCENT:
            return [*steps, (at, "failed", percent)]
        steps.append((at, "progress", percent))
    done = choices.BOOTP_TO_5_PERCENT_SECONDS + choices.INSTALL_SECONDS
    return [*steps, (done, "customize", 100), (done + choices.CUSTOMIZATION_SECONDS, "done", 100),
            (done + choices.CUSTOMIZATION_SECONDS + choices.REBOOT_SECONDS, "booted", 100)]


def fails(world: World, *names: str) -> bool:
    """Whether an `install: error` fault names this LPAR (by partition or node name)."""
    return any(f.get("install") == "error" and f.get("lpar") in names
               for f in world.s.all("fault").values())


def failure_offset() -> float:
    """Simulated seconds from the bootp answer to the moment a failing install gives up."""
    return _steps(True)[-1][0]


def shared(world: World) -> bool:
    """Whether installs share the master's bandwidth here (costs `nim`; not on an instant clock,
    where every duration is zero)."""
    return world.costs.nim is not None and not world.clock.instant


def _restore_steps(fails: bool) -> int:
    """How many of the restore's progress steps an install moves through (a failing one stops
    at the first that reaches INSTALL_FAILURE_PERCENT)."""
    n = choices.INSTALL_PROGRESS_STEPS
    if fails:
        return next(k for k in range(1, n + 1)
                    if 5 + round(95 * k / n) >= choices.INSTALL_FAILURE_PERCENT)
    return n


def begin(world: World, node: str, lpar_key: str, fails: bool,
          keep: int | None = None, start: float | None = None) -> None:
    """bootp was answered for `node` (now, or at `start`): the NIM master starts installing it.
    A client that hangs (a stalled reference code) gets only its first `keep` steps: NIM keeps
    that Cstate, and moves no data.

    With shared bandwidth (`shared`), the restore's steps are not timed here: the install's
    mksysb transfer joins the master's (nimnet.py), and `settle` reads each step's moment from
    the schedule of all transfers."""
    start = world.now if start is None else start
    if keep is None and shared(world):
        nim = world.costs.nim
        assert nim is not None
        restore = start + world.duration(choices.BOOTP_TO_5_PERCENT_SECONDS)
        key = f"{node}@{start!r}"
        moved = _restore_steps(fails) / choices.INSTALL_PROGRESS_STEPS
        nimnet.add(world, key, restore, nim.mksysb_mb * moved)
        body: Body = {"node": node, "lpar": lpar_key, "master": world.master,
                      "next": [[start, "boot", 1], [restore, "progress", 5]],
                      "shared": {"key": key, "fails": fails, "done": 0}}
        world.s.put("install", node, body, due=start)
        return
    steps = [(start + world.duration(at), step, pct) for at, step, pct in _steps(fails)]
    steps = steps[:keep] if keep is not None else steps
    body = {"node": node, "lpar": lpar_key, "master": world.master,
            "next": [list(s) for s in steps]}
    world.s.put("install", node, body, due=steps[0][0])


def abandon(world: World, lpar: Body) -> None:
    """The partition is powered off, cycled or booted again: the install it was running (by its
    node name, of this very partition) ends here, unfinished. The BOS install runs in the
    network-booted client's memory, so a real machine loses it the same way and starts over
    only from a new network boot (NIM keeps the machine's Cstate; docs/formats.md "NIM")."""
    body = world.s.get("install", str(lpar["name"]))
    if body is None or body.get("lpar") != lpar_key(lpar["hmc"], lpar["sys"], lpar["name"]):
        return
    world.s.delete("install", str(lpar["name"]))
    state = body.get("shared")
    if state:
        nimnet.ended(world.serving(str(body.get("master", ""))))


def settle(world: World, node: str) -> None:
    """The install's due steps, on the NIM master serving it (its database and network)."""
    body = world.s.get("install", node)
    if body is None:
        return
    world = world.serving(str(body.get("master", "")))
    pending = list(body["next"])
    while True:
        while pending and pending[0][0] <= world.now:
            at, step, percent = pending.pop(0)
            _apply(world, body, str(step), int(percent), float(at))
        if pending or not body.get("shared"):
            break
        due = _shared_step(world, body, pending)
        if due is not None:
            world.s.put("install", node, {**body, "next": pending}, due=due)
            return
    body["next"] = pending
    if pending:
        world.s.put("install", node, body, due=pending[0][0])
    else:
        world.s.delete("install", node)


def _shared_step(world: World, body: Body, pending: list[list[Any]]) -> float | None:
    """The next restore step of a shared install: applied when the schedule says it is due (then
    None), else the moment it is due by what is known now (a later install only delays it)."""
    state = body["shared"]
    total = _restore_steps(bool(state["fails"]))
    step = int(state["done"]) + 1
    at = nimnet.schedule(world).reaches(str(state["key"]), step / total)
    if at > world.now:
        return at
    state["done"] = step
    percent = 5 + round(95 * step / choices.INSTALL_PROGRESS_STEPS)
    if step < total:
        _apply(world, body, "progress", percent, at)
        return None
    body["shared"] = None
    if state["fails"]:
        _apply(world, body, "failed", percent, at)
        _refcodes(world, body, at, [(at, choices.REFCODE_INSTALL_FAILED)])
    else:
        _apply(world, body, "progress", percent, at)
        done = at + world.duration(choices.CUSTOMIZATION_SECONDS)
        booted = done + world.duration(choices.REBOOT_SECONDS)
        pending += [[at, "customize", 100], [done, "done", 100], [booted, "booted", 100]]
        _refcodes(world, body, at, [(done, choices.REFCODE_REBOOT), (booted, "")])
    nimnet.ended(world)
    return None


def _refcodes(world: World, body: Body, since: float, codes: list[tuple[float, str]]) -> None:
    """The reference codes of a shared install's end, once its end is known (refcode.py wrote
    those up to the restore): nothing the partition showed after `since` stays."""
    lpar = world.lpar(str(body["lpar"]))
    if lpar is None or "refcodes" not in lpar:
        return
    kept = [c for c in lpar["refcodes"] if float(c[0]) <= since]
    lpar["refcodes"] = kept + [[at, code] for at, code in codes]
    world.put_lpar(lpar)


def _apply(world: World, body: Body, step: str, percent: int, at: float) -> None:
    node = str(body["node"])
    machine = world.nim(node)
    # Only the steps that change the partition read it: most steps are the restore's progress,
    # and the lab never removes a partition (its existence is checked where it is read).
    lpar = world.lpar(str(body["lpar"])) if step in ("done", "failed") else {}
    if machine is None or lpar is None:
        body["next"] = []
        return
    if step in ("boot", "progress"):
        if step == "boot":
            machine["prev_state"] = machine.get("Cstate", ENABLED)
            machine["Cstate"] = choices.CSTATE_INSTALLING
            machine["Mstate"] = choices.MSTATE_BOOTING
        phase = (choices.INSTALL_PHASE_BOOT if percent < 5 else choices.INSTALL_PHASE_RESTORE
                 if percent < 100 else choices.INSTALL_PHASE_FINISH)
        machine["info"] = choices.INSTALL_INFO.format(percent=percent, phase=phase)
    elif step == "customize":
        machine["prev_state"] = machine["Cstate"]
        machine["Cstate"] = CUSTOMIZING
        machine["Mstate"] = "currently running"
        machine.pop("info", None)
    elif step == "done":
        machine["prev_state"] = CUSTOMIZING
        machine["Cstate"] = READY
        machine["Cstate_result"] = "success"
        machine["cpuid"] = _cpuid(lpar)
        image = machine.get("mksysb", "")
        lpar["nim_scripts"] = values(machine, "script")  # what customization ran (nimsh.py)
        deallocate(world, machine)
        mksysb = world.nim(image) if image else None
        if mksysb is not None:
            lpar["os_version"] = os_version(mksysb)
        world.put_lpar(lpar)
    elif step == "booted":
        attrs = world.xcat("node", node)
        if attrs is not None:
            attrs["status"] = "booted"
            attrs["statustime"] = xcat_time(at)
            world.put_xcat("node", node, attrs)
    elif step == "failed":
        machine["prev_state"] = machine["Cstate"]
        machine["Cstate"] = READY
        machine["Cstate_result"] = "failure"
        machine["err_info"] = choices.INSTALL_ERR_INFO
        machine.pop("info", None)
        lpar["state"] = "Error"
        lpar["next"] = []
        world.put_lpar(lpar)
    world.put_nim(node, machine)


def deallocate(world: World, machine: Body) -> None:
    """Give back every resource the machine holds (`alloc_count` - 1 each)."""
    for attr in list(machine):
        if attr in choices.NIM_RESOURCE_TYPES:
            release(world, machine, attr)
    machine.pop("control", None)


def os_version(mksysb: dict[str, Any]) -> str:
    return f"AIX {mksysb.get('version', '6')}.{mksysb.get('release', '1')} " \
           f"{mksysb.get('oslevel_s', '')}".strip()


def _cpuid(lpar: Body) -> str:
    return f"00{str(lpar.get('serial', '0'))[-6:]}{int(lpar['id']):02X}4C00"[:12].upper()
