"""An LPAR's reference codes on the HMC (`lsrefcode -r lpar`), as a timeline on the lab clock.

A network boot writes the codes partition firmware and AIX show while booting from NIM and
installing; `current` reads the one that is due now. An LPAR with no timeline shows the code of
its power state. A `refcode` fault (a stall) cuts the timeline at its code: the code stays, as
on a partition that hangs there (docs/formats.md "HMC", codes in `choices.REFCODE_*`).
"""

from __future__ import annotations

from xclone.sim import choices, install
from xclone.sim.store import Body
from xclone.sim.world import World


def stall_code(world: World, lpar_name: str) -> str | None:
    """The code an injected stall fault holds this LPAR at, if any."""
    for body in world.s.all("fault").values():
        if body.get("refcode") and body.get("lpar") == lpar_name:
            return str(body["refcode"])
    return None


SHARED_UNTIL = choices.BOOTP_TO_5_PERCENT_SECONDS + 61.0  # up to 0C54, the install running

FIRMWARE = (choices.REFCODE_FIRMWARE_START, choices.REFCODE_HOST_CONNECTION,
            choices.REFCODE_BOOTP)


def stops_boot(world: World, lpar_name: str) -> bool:
    """Whether a stall holds this LPAR in firmware, before any boot server is reached."""
    return stall_code(world, lpar_name) in FIRMWARE


def _cut(steps: list[tuple[float, str]], stall: str | None) -> tuple[list[tuple[float, str]],
                                                                     str | None]:
    """The steps up to and including the stall (None: no stall), and the code it stays on."""
    if stall is None:
        return steps, None
    codes = [code for _, code in steps]
    if stall in codes:
        return steps[: codes.index(stall) + 1], stall
    if choices.REFCODE_PROMPT_AFTER in codes:
        index = codes.index(choices.REFCODE_PROMPT_AFTER)
        return [*steps[: index + 1], (steps[index][0], stall)], choices.REFCODE_PROMPT_AFTER
    return steps, None


def netboot(world: World, lpar: Body, boot_seconds: float, answered: bool,
            fails: bool = False) -> int | None:
    """Record the codes of an `lpar_netboot` install boot that starts now; `boot_seconds` is when
    bootp is answered (the install then runs as `install._steps` times it). An install that
    `fails` stops on the BOS install error code when NIM records the failure.

    Returns how many install steps happen before a stall (`install.begin`'s `keep`), None
    when nothing stalls; a firmware stall (`stops_boot`) is the caller's to apply."""
    start = world.now
    steps = [(start + boot_seconds * share, code)
             for share, code in zip((0.0, 0.5, 0.8), FIRMWARE, strict=True)]
    if answered:
        # with shared bandwidth the restore's end is not known yet: install.py adds the codes
        # from the reboot (or the failure) on when it is
        shared = install.shared(world)
        end = install.failure_offset() if fails and not shared else \
            SHARED_UNTIL if shared else float("inf")
        steps += [(start + boot_seconds + world.duration(offset), code)
                  for offset, code in choices.REFCODE_INSTALL if offset < end]
        if fails and not shared:
            steps.append((start + boot_seconds + world.duration(end),
                          choices.REFCODE_INSTALL_FAILED))
    steps, held = _cut(steps, stall_code(world, lpar["name"]))
    lpar["refcodes"] = [[at, code] for at, code in steps]
    if held is None:
        return None
    return 2 if held == choices.REFCODE_PROMPT_AFTER or held.startswith("0C") else 1


def current(world: World, lpar: Body) -> tuple[float, str]:
    """The code the LPAR shows now and since when."""
    shown: tuple[float, str] | None = None
    for at, code in lpar.get("refcodes") or []:
        if float(at) <= world.now:
            shown = (float(at), str(code))
    if shown is not None and lpar["state"] != "Not Activated":
        return shown
    return world.now, choices.REFCODE_BY_STATE.get(str(lpar["state"]), choices.REFCODE_RUNNING)
