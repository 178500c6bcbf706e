"""Postscripts: one NIM `script` resource per script name, allocated to each install that runs it.

NIM runs `script` resources after the software is installed in a bos_inst, and several may be
allocated to one client, though "the order in which the scripts will be run is not predictable"
(IBM AIX, "Using a script resource"). So each postscript of an LPAR (its groups' first, then its
own) is its own resource named after the script, defined from `<scripts_dir>/<name>` and marked,
and `bos_inst` gets one `-a script=NAME` per script; scripts whose order matters belong in one
script. A first-boot script (`firstboot_scripts:`, groups' and the LPAR's, one in all) is an
`fb_script` resource instead, allocated with `-a fb_script=NAME`: BOS install appends it to the
client's /etc/firstboot, run at its first boot after the install (IBM AIX, "Using the fb_script
resource"). A resource NIM already has under that name is used as it is (never redefined
or removed). A script is defined only for an install this plan arms. It is listed under the
osimage of the first LPAR (by name) that runs it, beside the image's other install resources:
the installs from that image wait for it, and `--target lpar.X` keeps it with the image.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict

from xclone.base.address import Address
from xclone.drivers.nim.kinds import ActionKind
from xclone.drivers.nim.resources.common import NIM_RESOURCES, define
from xclone.plan.action import Step
from xclone.plan.changes import ChangeKind, ResourceChange
from xclone.plan.context import Context
from xclone.spec.model import Lpar, Spec


def lpar_scripts(spec: Spec, lpar: Lpar) -> tuple[str, ...]:
    """Its groups' postscripts, then its own, each once."""
    names = [s for g in lpar.groups for s in spec.groups[g].postscripts]
    return tuple(dict.fromkeys([*names, *lpar.postscripts]))


def lpar_firstboot(spec: Spec, lpar: Lpar) -> tuple[str, ...]:
    """Its groups' first-boot scripts, then its own, each once (the spec allows one in all)."""
    names = [s for g in lpar.groups for s in spec.groups[g].firstboot_scripts]
    return tuple(dict.fromkeys([*names, *lpar.firstboot_scripts]))


def firstboot_names(spec: Spec) -> frozenset[str]:
    """Every name the spec uses as a first-boot script: its NIM resource is an fb_script."""
    return frozenset(s for lpar in spec.lpars.values() for s in lpar_firstboot(spec, lpar))


def script_owners(spec: Spec, everyone: bool = False) -> dict[str, Address]:
    """Script -> the osimage of the first LPAR (by name) that runs it (an LPAR without one: the
    LPAR), for the LPARs the spec keeps; `everyone`: for every LPAR of the spec."""
    owners: dict[str, Address] = {}
    for name in sorted(spec.lpars):
        lpar = spec.lpars[name]
        if lpar.state == "absent" and not everyone:
            continue
        owner = Address("osimage", lpar.osimage) if lpar.osimage else Address("lpar", name)
        for script in (*lpar_scripts(spec, lpar), *lpar_firstboot(spec, lpar)):
            owners.setdefault(script, owner)
    return owners


def with_steps(ctx: Context, owner: Address, steps: list[Step], note: str,
               change: ResourceChange) -> None:
    """Add steps to `owner`'s change, noting them, or add `change` when it has none yet."""
    for index, have in enumerate(ctx.changes):
        if have.address == owner:
            ctx.changes[index] = dataclasses.replace(have, notes=(*have.notes, note))
            ctx.steps.extend(steps)
            return
    ctx.add(change, steps)


def plan_scripts(ctx: Context, needed: set[str], owners: dict[str, Address]) -> None:
    """Define the scripts the planned installs need and NIM lacks."""
    by_owner: dict[Address, list[Step]] = defaultdict(list)
    scripts_dir = ctx.spec.management_node.scripts_dir
    firstboot = firstboot_names(ctx.spec)
    for script in sorted(needed):
        owner = owners[script]
        type_, what = ("fb_script", "first-boot script") if script in firstboot else (
            "script", "postscript")
        found = ctx.observed.nim.get(script)
        if found is not None:
            if found.cls != NIM_RESOURCES or found.type != type_:
                ctx.error(owner, f"{what} '{script}': NIM has a {found.type or found.cls} "
                          f"object of that name, not a {type_} resource")
            continue
        by_owner[owner].append(define(
            ctx, ActionKind.NIM_DEFINE_SCRIPT, type_, script,
            (("server", "master"), ("location", f"{scripts_dir}/{script}")), owner,
            detail=script, reason="script resource for a postscript"))
    for owner, steps in sorted(by_owner.items()):
        note = f"defines NIM script resources {', '.join(s.detail for s in steps)}"
        with_steps(ctx, owner, steps, note, ResourceChange(
            owner, ChangeKind.UPDATE, None, {"postscripts": ", ".join(s.detail for s in steps)},
            reason="its installs' postscripts have no NIM script resource", notes=(note,)))
