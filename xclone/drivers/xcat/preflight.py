"""The xCAT driver's preflight (drivers/preflight.py): mknimimage writes each mksysb under the
site's `installdir` (/install unless the site table says otherwise; xCAT 2.9.2 aixinstall.pm
puts the NIM resources below `<installdir>/nim`)."""

from __future__ import annotations

from xclone.drivers import preflight
from xclone.drivers.xcat.kinds import ActionKind
from xclone.plan.action import Step
from xclone.plan.context import Context

INSTALLDIR = "/install"


def _writes_image(step: Step) -> bool:
    return step.kind is ActionKind.MKNIMIMAGE


def check(ctx: Context) -> None:
    sites = ctx.observed.xcat.get("site", {})
    site = sites.get(ctx.spec.cluster) or next(iter(sites.values()), None)
    installdir = (site.get("installdir") if site is not None else "") or INSTALLDIR
    preflight.check(ctx, resource_dir=installdir, writes_image=_writes_image,
                    chuser=ActionKind.CHUSER)
