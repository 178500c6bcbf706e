"""Osimages: the NIM resources one install needs, made by xclone or named in the spec.

xclone makes, and marks at define time (`comments=xclone:<cluster>`), the mksysb
`<image>_mksysb` (backed up from a running NIM client, `source_node`, or defined on an existing
file, `location`), the SPOT `<image>_spot` when the spec says `spot: {create: true}` (built from
that mksysb: NIM takes a mksysb as a SPOT's source, docs/formats.md "NIM"), and the
bosinst_data `<image>_bid` from the file bosinst.py writes, unless the spec names its own. Every
resource the spec names (a SPOT, a bosinst_data, `resources:`) must exist with that type: xclone
never makes or removes those. An object of xclone's names that is not marked is someone else's:
a conflict, never reused.
"""

from __future__ import annotations

from xclone.base.address import Address
from xclone.drivers.nim.kinds import ActionKind
from xclone.drivers.nim.resources.bosinst import bosinst_text, differences
from xclone.drivers.nim.resources.common import (
    NIM_MACHINES,
    NIM_RESOURCES,
    bosinst_name,
    define,
    master_step,
    mksysb_name,
    remove,
    spot_name,
)
from xclone.plan.action import Step, StepRef
from xclone.plan.changes import AttrDiff, ChangeKind, ResourceChange
from xclone.plan.context import Context
from xclone.spec.model import Osimage

SERVER = ("server", "master")


def _named(image: str, img: Osimage) -> dict[str, str]:
    """NIM type -> resource name, for every resource the spec expects NIM to have already."""
    named = {} if img.creates_spot else {"spot": spot_name(image, img)}
    if img.bosinst_data:
        named["bosinst_data"] = img.bosinst_data
    return {**named, **img.resources}


def _check_named(ctx: Context, address: Address, image: str, img: Osimage) -> bool:
    ok = True
    for type_, resource in sorted(_named(image, img).items()):
        found = ctx.observed.nim.get(resource)
        if found is not None and found.cls == NIM_RESOURCES and found.type == type_:
            continue
        have = sorted(n for n, o in ctx.observed.nim.items()
                      if o.cls == NIM_RESOURCES and o.type == type_)
        hint = " (or `spot: {create: true}` to have xclone build one)" * (type_ == "spot")
        ctx.error(address, f"{type_} '{resource}' is not a NIM {type_} resource on the master; "
                           f"NIM has: {', '.join(have) or 'none'}{hint}")
        ok = False
    return ok


def _mine(ctx: Context, address: Address, name: str, type_: str) -> bool | None:
    """True: xclone's resource exists; False: missing; None: someone else's (an error)."""
    obj = ctx.observed.nim.get(name)
    if obj is None:
        return False
    if obj.cls != NIM_RESOURCES or obj.type != type_:
        ctx.error(address, f"NIM has a {obj.type or obj.cls} object '{name}' where xclone "
                  f"makes the {type_} resource of {address}: rename or remove that object")
        return None
    if not ctx.owns(obj):
        ctx.conflict(address, f"NIM {type_} resource '{name}'")
        return None
    return True


def _mksysb(ctx: Context, address: Address, image: str, img: Osimage) -> Step | None | bool:
    """The mksysb define, True when it exists, None after an error."""
    name = mksysb_name(image)
    have = _mine(ctx, address, name, "mksysb")
    if have is None or have:
        return have
    if img.location:
        attrs: tuple[tuple[str, str], ...] = (SERVER, ("location", img.location))
        return define(ctx, ActionKind.NIM_DEFINE_MKSYSB, "mksysb", name, attrs, address,
                      reason=f"mksysb resource on {img.location}")
    source = ctx.observed.nim.get(img.source_node or "")
    if source is None or source.cls != NIM_MACHINES:
        ctx.error(address, f"source_node '{img.source_node}' is not a NIM machine on the "
                  "master: the mksysb is backed up from a running NIM client")
        return None
    location = f"{ctx.spec.management_node.resource_dir}/mksysb/{name}"
    attrs = (SERVER, ("location", location), ("source", source.name), ("mk_image", "yes"))
    return define(ctx, ActionKind.NIM_DEFINE_MKSYSB, "mksysb", name, attrs, address,
                  reason=f"mksysb backup of {source.name}",
                  timeout=ctx.spec.site.timeouts.mksysb)


def _bosinst(ctx: Context, address: Address, image: str,
             after: tuple[StepRef, ...] = ()) -> list[Step]:
    """`mkdir -p DIR`, `tee FILE` (the content on stdin), then the bosinst_data define."""
    directory = f"{ctx.spec.management_node.resource_dir}/bosinst"
    path = f"{directory}/{image}.bosinst"
    mkdir = master_step(ctx, ActionKind.WRITE_BOSINST, ("mkdir", "-p", directory), address,
                        detail="dir", reason="the bosinst.data directory", after=after)
    tee = master_step(ctx, ActionKind.WRITE_BOSINST, ("tee", path), address,
                      stdin=bosinst_text(), after=(mkdir.key,),
                      reason="bosinst.data for an unattended clone")
    res = define(ctx, ActionKind.NIM_DEFINE_BOSINST, "bosinst_data", f"{image}_bid",
                 (SERVER, ("location", path)), address, after=(tee.key,),
                 reason="the bosinst_data resource")
    return [mkdir, tee, res]


def _want(ctx: Context, image: str, img: Osimage) -> dict[str, str]:
    """Each resource of the install and, for those xclone makes, where its file goes and what
    it is made from: what a reviewer checks before a backup of tens of minutes starts."""
    resource_dir = ctx.spec.management_node.resource_dir
    mksysb = mksysb_name(image)
    want = {"mksysb": mksysb, "spot": spot_name(image, img),
            "bosinst_data": bosinst_name(image, img), **img.resources, "comments": ctx.mark,
            "mksysb_location": img.location or f"{resource_dir}/mksysb/{mksysb}",
            "mksysb_source": img.source_node or ""}
    if img.creates_spot:
        want.update(spot_location=f"{resource_dir}/spot", spot_source=mksysb)
    if not img.bosinst_data:
        want["bosinst_data_location"] = f"{resource_dir}/bosinst/{image}.bosinst"
    return want


def plan_osimage(ctx: Context, image: str, img: Osimage) -> None:
    address = Address("osimage", image)
    if not _check_named(ctx, address, image, img):
        return
    mksysb = _mksysb(ctx, address, image, img)
    if mksysb is None:
        return
    steps: list[Step] = [mksysb] if isinstance(mksysb, Step) else []
    made = [mksysb_name(image)] if steps else []
    if img.creates_spot:
        spot = spot_name(image, img)
        have = _mine(ctx, address, spot, "spot")
        if have is None:
            return
        if not have:
            after = (StepRef(ActionKind.NIM_DEFINE_MKSYSB, address),) if steps else ()
            location = f"{ctx.spec.management_node.resource_dir}/spot"
            steps.append(define(ctx, ActionKind.NIM_DEFINE_SPOT, "spot", spot,
                                (SERVER, ("location", location),
                                 ("source", mksysb_name(image))), address, after=after,
                                reason="SPOT built from the mksysb",
                                timeout=ctx.spec.site.timeouts.mksysb))
            made.append(spot)
    diffs: tuple[AttrDiff, ...] = ()
    notes: tuple[str, ...] = ()
    if not img.bosinst_data:
        have = _mine(ctx, address, f"{image}_bid", "bosinst_data")
        if have is None:
            return
        if not have:
            steps += _bosinst(ctx, address, image)
            made.append(f"{image}_bid")
        else:
            diffs, notes = _changed_bosinst(ctx, address, image, steps)
    if not steps and not diffs:
        return
    kind = ChangeKind.CREATE if isinstance(mksysb, Step) else ChangeKind.UPDATE
    reason = "not made yet" if kind is ChangeKind.CREATE else "resources missing"
    if diffs:
        replaced = any(s.kind is ActionKind.NIM_REMOVE for s in steps)
        kind = ChangeKind.REPLACE if replaced else kind
        reason = "bosinst.data differs" + ("" if replaced else " (in use)")
    made_note = (f"defines NIM resources {', '.join(made)}",) if made else ()
    ctx.add(ResourceChange(address, kind, None, _want(ctx, image, img), diffs, reason=reason,
                           notes=(*made_note, *notes)), steps)


def _changed_bosinst(ctx: Context, address: Address, image: str,
                     steps: list[Step]) -> tuple[tuple[AttrDiff, ...], tuple[str, ...]]:
    """xclone's bosinst_data whose file (read by `cat`, probes.master_round) answers otherwise
    than the one xclone writes (bosinst.differences): the resource is replaced (`nim -o
    remove`, the file written again, defined again), the differing answers as its diffs.
    Allocated to an install under way, NIM refuses the remove: the plan says so and replaces it
    once the install ended."""
    name = f"{image}_bid"
    obj = ctx.observed.nim[name]
    text = ctx.observed.files.get(obj.get("location"))
    diffs = tuple(AttrDiff(f"bosinst_data.{key}", old, new)
                  for key, old, new in differences(text)) if text is not None else ()
    if not diffs:
        return (), ()
    if obj.get("alloc_count") not in ("", "0"):
        return diffs, (f"{name} is allocated to an install under way (alloc_count "
                       f"{obj.get('alloc_count')}): it is replaced once that install ends",)
    gone = remove(ctx, name, address, (), f"{obj.get('location')} differs from the "
                  "bosinst.data xclone writes", detail="bosinst")
    steps += [gone, *_bosinst(ctx, address, image, after=(gone.key,))]
    return diffs, (f"replaces {name}: its file was changed outside xclone",)


def plan_osimages(ctx: Context) -> None:
    for image, img in sorted(ctx.spec.osimages.items()):
        plan_osimage(ctx, image, img)
