"""LPAR power states on the HMC (docs/formats.md "HMC"), kept lazily: a path of timed states.

A transition stores its future states with their start times; `settle` moves an LPAR along when
a later command looks at the world, so nothing runs in the background and the world on disk is
always consistent.
"""

from __future__ import annotations

from xclone.sim import choices, install
from xclone.sim.store import Body
from xclone.sim.world import World

ON_STATES = ("Running", "Open Firmware", "Operating")
OFF_STATES = ("Not Activated",)


def is_on(lpar: Body) -> bool:
    return str(lpar["state"]) in ON_STATES


def follow(world: World, lpar: Body, path: list[tuple[str, float]], final: str,
           start: float | None = None) -> float:
    """Send the LPAR along `path` (state, simulated seconds) to `final`, now or from `start` (a
    later moment: xCAT's fan-out starts some LPARs after others); returns the total time.

    Zero-length steps (the instant clock) are skipped, so the final state shows at once. The
    reference codes of an earlier boot end with it (a network boot writes its own after), and
    so does the install that boot was running (install.abandon)."""
    lpar.pop("refcodes", None)
    install.abandon(world, lpar)
    begin = world.now if start is None or start <= world.now else start
    at = begin
    steps: list[tuple[float, str]] = []
    for state, seconds in path:
        length = world.duration(seconds)
        if length <= 0:
            continue
        steps.append((at, state))
        at += length
    steps.append((at, final))
    if begin > world.now:
        lpar["next"] = [[when, state] for when, state in steps]
    else:
        lpar["state"] = steps[0][1]
        lpar["next"] = [[when, state] for when, state in steps[1:]]
    world.put_lpar(lpar)
    return at - begin


def settle(world: World, lpar: Body) -> None:
    pending = [s for s in lpar.get("next") or [] if s[0] <= world.now]
    for _, state in pending:
        lpar["state"] = state
    lpar["next"] = [s for s in lpar.get("next") or [] if s[0] > world.now]
    world.put_lpar(lpar)


def activate(world: World, lpar: Body, profile: str, mode: str = "norm",
             start: float | None = None) -> str | None:
    """`chsysstate -o on` (now, or from `start`): an error sentence, or None when the HMC
    accepted it."""
    if lpar["state"] != "Not Activated":
        return choices.HMC_CANNOT_ACTIVATE.format(name=lpar["name"], state=lpar["state"])
    if profile not in lpar["profiles"]:
        return choices.HMC_PROFILE_NOT_FOUND.format(profile=profile, name=lpar["name"])
    lpar["curr_profile"] = profile
    final = "Running" if mode == "norm" else "Open Firmware"
    follow(world, lpar, [("Starting", choices.STARTING_SECONDS)], final, start)
    return None


def shutdown(world: World, lpar: Body, restart: bool = False,
             start: float | None = None) -> str | None:
    """`chsysstate -o shutdown [--immed] [--restart]`."""
    if lpar["state"] in ("Not Activated", "Shutting Down"):
        return choices.HMC_CANNOT_SHUTDOWN.format(name=lpar["name"], state=lpar["state"])
    path = [("Shutting Down", choices.SHUTDOWN_SECONDS)]
    if restart:
        path.append(("Starting", choices.STARTING_SECONDS))
    follow(world, lpar, path, "Running" if restart else "Not Activated", start)
    return None


def power_off_first(lpar: Body) -> list[tuple[str, float]]:
    """The shutdown a getmacs -D or rnetboot inserts when the LPAR is not already off."""
    if lpar["state"] == "Not Activated":
        return []
    return [("Shutting Down", choices.SHUTDOWN_SECONDS)]


def discovery_cycle(world: World, lpar: Body, start: float | None = None) -> float:
    """getmacs -D: off, on to Open Firmware, list and ping adapters, off again."""
    path = power_off_first(lpar) + [
        ("Starting", choices.STARTING_SECONDS),
        ("Open Firmware", choices.GETMACS_OPEN_FIRMWARE_SECONDS),
        ("Shutting Down", choices.SHUTDOWN_SECONDS),
    ]
    lpar["curr_profile"] = lpar["curr_profile"] or lpar["default_profile"]
    return follow(world, lpar, path, "Not Activated", start)


def netboot(world: World, lpar: Body, answered: bool, start: float | None = None) -> float:
    """rnetboot / lpar_netboot: to Open Firmware, bootp, then Running when a NIM master answers.

    Without a bootp answer the firmware keeps retrying, so the LPAR stays in Open Firmware."""
    first = power_off_first(lpar) + [("Starting", choices.STARTING_SECONDS)]
    used = sum(s for _, s in first)
    path = first + [("Open Firmware", max(choices.RNETBOOT_SECONDS - used, 0.0))]
    lpar["curr_profile"] = lpar["curr_profile"] or lpar["default_profile"]
    return follow(world, lpar, path, "Running" if answered else "Open Firmware", start)
