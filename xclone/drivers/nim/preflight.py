"""The NIM driver's preflight (drivers/preflight.py): the mksysb images xclone backs up go
below `management_node.resource_dir`; a mksysb resource defined from an existing file
(`location:`, no `mk_image=yes`) writes nothing.

With install servers (drivers/nim/servers.py) each master is checked on its own facts (its
`lsnim -l`, `lsuser -a fsize root` and `df -k`, named in every message): the primary for the
backups it makes, every other master for the copies of the image `scp` writes below its own
`resource_dir`, which count as images there (`check_copies`, run once the copies are
planned)."""

from __future__ import annotations

from xclone.drivers import preflight
from xclone.drivers.nim.kinds import ActionKind
from xclone.plan.action import Step
from xclone.plan.context import Context


def _writes_image(step: Step) -> bool:
    return step.kind is ActionKind.NIM_DEFINE_MKSYSB and "mk_image=yes" in step.before


def _copies_image(step: Step) -> bool:
    return step.kind is ActionKind.COPY_MKSYSB and step.before[:1] == ("scp",)


def check(ctx: Context) -> None:
    preflight.check(ctx, resource_dir=ctx.spec.management_node.resource_dir,
                    writes_image=_writes_image, chuser=ActionKind.CHUSER)


def check_copies(ctx: Context) -> None:
    """An install server's checks of the image copies among `ctx.steps` (its whole plan,
    copies included): free space and root's file size limit, as for a backup."""
    preflight.check(ctx, resource_dir=ctx.spec.management_node.resource_dir,
                    writes_image=_copies_image, chuser=ActionKind.CHUSER)
