"""Osimages made from a mksysb of a golden NIM client with `mknimimage -m mksysb`.

mknimimage always names the backup `<image>_mksysb` and the bosinst_data `<image>_bosinst_data`
(FORMATS §2.7): those two are what xclone created. The SPOT and the other resources the spec names
already existed, so a cleanup removes the two by name and never calls `rmnimimage`, which would
also take a shared SPOT or resolv_conf that no other osimage lists (FORMATS §2.11).
"""

from __future__ import annotations

from xclone.plan.action import Step
from xclone.plan.changes import ChangeKind, ResourceChange
from xclone.plan.context import Context
from xclone.plan.resources.common import attr_diffs, update_in_place
from xclone.plan.stanza import assignments
from xclone.spec.model import Osimage


def created_resources(image: str) -> tuple[str, str]:
    return (f"{image}_mksysb", f"{image}_bosinst_data")


def _want(name: str, img: Osimage) -> dict[str, str]:
    return {
        "spot": img.spot,
        **img.resources,
        "mksysb": f"{name}_mksysb",
        "nimmethod": "mksysb",
        "nimtype": "standalone",
    }


def plan_osimages(ctx: Context) -> None:
    have_all = ctx.observed.xcat.get("osimage", {})
    used = {lpar.osimage for lpar in ctx.spec.lpars.values() if lpar.state == "installed"}
    for name, img in sorted(ctx.spec.osimages.items()):
        address = f"osimage.{name}"
        have = have_all.get(name)
        want = _want(name, img)
        if have is None:
            if name in used:
                source = ctx.observed.nim.get(img.source_node)
                if source is None or source.cls != "machines":
                    ctx.error(
                        address,
                        f"source_node '{img.source_node}' is not a NIM machine "
                        "on the master: mknimimage needs a running NIM client to back up",
                    )
                    continue
            words = (
                "mknimimage",
                "-m",
                "mksysb",
                "-n",
                img.source_node,
                name,
                f"spot={img.spot}",
                *assignments(img.resources),
                f"usercomment={ctx.mark}",
            )
            step = Step(
                ("osimage", name),
                "mknimimage",
                ctx.mn,
                words,
                address=address,
                reason=f"mksysb backup of {img.source_node}",
                timeout=ctx.spec.site.timeouts.mksysb,
            )
            ctx.add(
                ResourceChange(
                    address,
                    "osimage",
                    name,
                    ChangeKind.CREATE,
                    None,
                    {**want, "source_node": img.source_node},
                    reason=f"mksysb of {img.source_node} not made yet",
                ),
                [step],
            )
            continue
        if not ctx.owns(have):
            ctx.conflict(address, f"xCAT osimage '{name}'")
            continue
        diffs = attr_diffs({"spot": img.spot, **img.resources}, have.attrs)
        if diffs:
            update_in_place(ctx, ("osimage", name), "chdef-osimage", address, "osimage",
                            have.attrs, want, diffs, "osimage resources differ")
