"""The NIM driver's preflight (drivers/preflight.py): the mksysb images xclone backs up go
below `management_node.resource_dir`; a mksysb resource defined from an existing file
(`location:`, no `mk_image=yes`) writes nothing."""

from __future__ import annotations

from xclone.drivers import preflight
from xclone.drivers.nim.kinds import ActionKind
from xclone.plan.action import Step
from xclone.plan.context import Context


def _writes_image(step: Step) -> bool:
    return step.kind is ActionKind.NIM_DEFINE_MKSYSB and "mk_image=yes" in step.before


def check(ctx: Context) -> None:
    preflight.check(ctx, resource_dir=ctx.spec.management_node.resource_dir,
                    writes_image=_writes_image, chuser=ActionKind.CHUSER)
