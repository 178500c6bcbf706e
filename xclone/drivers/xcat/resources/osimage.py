"""Osimages made from a mksysb of a golden NIM client with `mknimimage -m mksysb`.

mknimimage always names the backup `<image>_mksysb` and the bosinst_data `<image>_bosinst_data`
(docs/formats.md "NIM from xCAT"): those two are what xclone created. With `spot=NAME` mknimimage
only records NAME, it never checks or builds it (xCAT 2.9.2 aixinstall.pm `mk_spot`), so every NIM
resource the spec names must already exist: a missing one is a plan error that lists what NIM has.
Without `spot=` (the spec's `spot: {create: true}`) it builds a SPOT from the mksysb under the
osimage's name; xclone marks that SPOT (NIM `comments`) and removes it with the osimage. Cleanup
removes resources by name and never calls `rmnimimage`, which would also take a shared SPOT or
resolv_conf that no other osimage lists (docs/formats.md "NIM from xCAT").
"""

from __future__ import annotations

from functools import cache

from xclone.base.address import Address
from xclone.drivers.xcat.kinds import ActionKind
from xclone.drivers.xcat.resources.common import attr_diffs, update_in_place
from xclone.drivers.xcat.stanza import assignments
from xclone.plan.action import Step, StepRef
from xclone.plan.changes import ChangeKind, ResourceChange
from xclone.plan.context import Context
from xclone.spec.model import Osimage


def created_resources(image: str) -> tuple[str, str]:
    return (f"{image}_mksysb", f"{image}_bosinst_data")


def _want(name: str, img: Osimage) -> dict[str, str]:
    return {
        "spot": img.spot_name(name),
        **img.resources,
        "mksysb": f"{name}_mksysb",
        "nimmethod": "mksysb",
        "nimtype": "standalone",
    }


def _named(name: str, img: Osimage) -> dict[str, str]:
    """NIM type -> resource name, for every resource the spec expects NIM to have already."""
    return {**({} if img.creates_spot else {"spot": img.spot_name(name)}), **img.resources}


def _check_resources(ctx: Context, address: Address, name: str, img: Osimage) -> bool:
    """Each named resource exists in NIM with that type; else one error naming what NIM has."""
    ok = True
    for type_, resource in sorted(_named(name, img).items()):
        found = ctx.observed.nim.get(resource)
        if found is not None and found.cls == "resources" and found.type == type_:
            continue
        have = sorted(n for n, o in ctx.observed.nim.items()
                      if o.cls == "resources" and o.type == type_)
        hint = " (or `spot: {create: true}` to have mknimimage build one)" * (type_ == "spot")
        ctx.error(address, f"{type_} '{resource}' is not a NIM {type_} resource on the master; "
                           f"NIM has: {', '.join(have) or 'none'}{hint}")
        ok = False
    return ok


@cache  # one tuple per name, not one per LPAR installed from it
def osimage_steps(name: str) -> tuple[StepRef, ...]:
    """The steps that make or update osimage `name`, for the installs from it to wait for. The
    mark of a SPOT mknimimage built is one: nimnodeset allocates the SPOT, and NIM refuses to
    change a resource whose allocation count is above 0 (IBM AIX, "Using the NIM allocate
    operation"), so a mark that lost the race to the first nimnodeset failed."""
    address = Address("osimage", name)
    return (StepRef(ActionKind.MKNIMIMAGE, address), StepRef(ActionKind.CHDEF_OSIMAGE, address),
            StepRef(ActionKind.NIM_MARK, address))


def _mark_spot(ctx: Context, address: Address, after: tuple[StepRef, ...]) -> Step:
    return Step(ActionKind.NIM_MARK, ctx.mn,
                ("nim", "-o", "change", "-a", f"comments={ctx.mark}", address.name),
                address=address, after=after, reason="mark the SPOT mknimimage built as xclone's")


def plan_osimages(ctx: Context) -> None:
    have_all = ctx.observed.xcat.get("osimage", {})
    used = {lpar.osimage for lpar in ctx.spec.lpars.values() if lpar.state == "installed"}
    for name, img in sorted(ctx.spec.osimages.items()):
        address = Address("osimage", name)
        have = have_all.get(name)
        want = _want(name, img)
        if not _check_resources(ctx, address, name, img):
            continue
        spot = ctx.observed.nim.get(name) if img.creates_spot else None
        if have is None:
            if name in used:
                source = ctx.observed.nim.get(img.source_node or "")
                if source is None or source.cls != "machines":
                    ctx.error(
                        address,
                        f"source_node '{img.source_node}' is not a NIM machine "
                        "on the master: mknimimage needs a running NIM client to back up",
                    )
                    continue
            if spot is not None and not ctx.owns(spot):
                ctx.conflict(address, f"NIM object '{name}' (mknimimage would use it as the SPOT)")
                continue
            spot_words = () if img.creates_spot else (f"spot={img.spot_name(name)}",)
            words = (
                "mknimimage",
                "-m",
                "mksysb",
                "-n",
                img.source_node,
                name,
                *spot_words,
                *assignments(img.resources),
                f"usercomment={ctx.mark}",
            )
            step = Step(
                ActionKind.MKNIMIMAGE,
                ctx.mn,
                words,
                address=address,
                reason=f"mksysb backup of {img.source_node}",
                timeout=ctx.spec.site.timeouts.mksysb,
            )
            marks = [_mark_spot(ctx, address, (step.key,))] if img.creates_spot else []
            ctx.add(
                ResourceChange(
                    address,
                    ChangeKind.CREATE,
                    None,
                    {**want, "source_node": img.source_node},
                    reason=f"mksysb of {img.source_node} not made yet",
                    notes=(f"builds SPOT {name} from the mksysb",) if img.creates_spot else (),
                ),
                [step, *marks],
            )
            continue
        if not ctx.owns(have):
            ctx.conflict(address, f"xCAT osimage '{name}'")
            continue
        diffs = attr_diffs({"spot": img.spot_name(name), **img.resources}, have.attrs)
        if diffs:
            update_in_place(ctx, ActionKind.CHDEF_OSIMAGE, address, "osimage",
                            have.attrs, want, diffs, "osimage resources differ")
        elif spot is not None and not ctx.owns(spot) and have.get("spot") == name:
            ctx.add(ResourceChange(address, ChangeKind.UPDATE, dict(have.attrs), want,
                                   reason="the SPOT mknimimage built is not marked yet"),
                    [_mark_spot(ctx, address, ())])
