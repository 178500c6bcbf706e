"""The xCAT driver's preflight (drivers/preflight.py): mknimimage writes each mksysb under the
site's `installdir` (/install unless the site table says otherwise; xCAT 2.9.2 aixinstall.pm
puts the NIM resources below `<installdir>/nim`).

Each service node is checked too, on its own `lsuser -a fsize root` and `df -k`
(servicenodes.sn_preflight_probes): the first nimnodeset of an image for an SN copies the
image's resources to the same location there (aixinstall.pm copyres/copyres2: `xdsh SN
/usr/bin/df -m DIR`, then `chfs -a size=+NM FS` when the resource does not fit, and a failed
`chfs` is "Could not run: ..." and no copy). A copy the SN cannot hold, or root's fsize there
below one image, is a plan error naming the SN; with `site.preflight.fix_fsize` the plan lifts
its limit (`chuser fsize=-1 root` on the SN) before that SN's nimnodeset. The golden node of
each image to be made is checked over `xdsh` (golden.py).
"""

from __future__ import annotations

import dataclasses

from xclone.drivers import preflight
from xclone.drivers.xcat import golden
from xclone.drivers.xcat.kinds import ActionKind
from xclone.drivers.xcat.resources.osimage import created_resources
from xclone.drivers.xcat.servicenodes import EXTRA_SN, Served, ServiceNodes
from xclone.plan.action import Step
from xclone.plan.context import Context

INSTALLDIR = "/install"


def _writes_image(step: Step) -> bool:
    return step.kind is ActionKind.MKNIMIMAGE


def _installdir(ctx: Context) -> str:
    sites = ctx.observed.xcat.get("site", {})
    site = sites.get(ctx.spec.cluster) or next(iter(sites.values()), None)
    return (site.get("installdir") if site is not None else "") or INSTALLDIR


def check(ctx: Context) -> None:
    installdir = _installdir(ctx)
    preflight.check(ctx, resource_dir=installdir, writes_image=_writes_image,
                    chuser=ActionKind.CHUSER)
    golden.check(ctx)
    if ctx.spec.install_servers:
        sns = ServiceNodes(ctx)
        for name in sorted(ctx.spec.install_servers):
            if name not in sns.problems:
                _check_service_node(ctx, sns, name, installdir)


def _image(step: Step) -> str:
    return step.before[-1] if step.before else ""


def _check_service_node(ctx: Context, sns: ServiceNodes, name: str, installdir: str) -> None:
    """SN `name`'s free space and root's fsize for the images its nimnodeset steps copy there
    (those whose mksysb its own NIM lacks), each image counted once."""
    server = ctx.spec.install_servers[name]
    seen = sns.view(Served(name, server.host, ""))
    if seen.preflight is None:
        return

    def copies(step: Step) -> bool:
        return (step.kind is ActionKind.NIMNODESET and dict(step.extra).get(EXTRA_SN) == name
                and created_resources(_image(step))[0] not in seen.nim)

    sub = Context(ctx.spec.model_copy(update={"management_node": server}), seen, ctx.options,
                  ctx.changes, ctx.steps)
    preflight.check(sub, resource_dir=installdir, writes_image=copies,
                    chuser=ActionKind.CHUSER, master=False,
                    count=lambda steps: len({_image(s) for s in steps}))
    ctx.errors.extend(dataclasses.replace(found, message=f"on service node {name}: "
                                          f"{found.message}") for found in sub.errors)
