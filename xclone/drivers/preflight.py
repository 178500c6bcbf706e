"""Preflight: what the runbook checks by hand before anything changes, for both drivers.

The runbook warns that each mksysb image takes 1 to 2 GB (`site.preflight.mksysb_gb`), that
root's file size limit may have to be lifted (`chuser fsize=-1 root`), that the file system
holding the resource location (/install for xCAT, `management_node.resource_dir` for NIM) needs
that much free, and that NIM must be configured, with the master's primary hostname on the
install interface. The facts come from observed.preflight_probes (`lsuser -a fsize root`,
`df -k`) and `lsnim -l` (a listing without `master`, NIM not configured, never gets here:
observed.crosscheck refuses it and names `nim_master_setup`); with `--skip-preflight` they are
not read and nothing is checked. A failed check is a plan error naming the fix, so the plan, and
apply, change nothing; a small `fsize` becomes a planned `chuser` when
`site.preflight.fix_fsize` allows it, ordered before every command that writes a mksysb. The
golden node's own limit (the mksysb runs there) is checked by the xCAT driver, which reaches it
with `xdsh` (drivers/xcat/golden.py); the NIM driver has no shell on NIM clients (it reaches
them only through NIM), so it cannot."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from xclone.base.address import Address
from xclone.observed.model import FileSystem, MasterLimits
from xclone.plan.action import Step
from xclone.plan.changes import ChangeKind, ResourceChange
from xclone.plan.context import Context
from xclone.plan.kinds import Kind

_BLOCK = 512  # fsize counts 512-byte blocks (IBM AIX "limits File")
_GB = 1024 ** 3
FIX = ("chuser", "fsize=-1", "root")


def _holding(filesystems: tuple[FileSystem, ...], path: str) -> FileSystem | None:
    """The file system mounted on the longest prefix of `path`."""
    def inside(mount: str) -> bool:
        return path == mount or path.startswith(mount.rstrip("/") + "/")
    found = [fs for fs in filesystems if inside(fs.mount)]
    return max(found, key=lambda fs: len(fs.mount)) if found else None


def _gb(size: float) -> str:
    return f"{size:.1f} GB"


def check(ctx: Context, *, resource_dir: str, writes_image: Callable[[Step], bool],
          chuser: Kind, master: bool = True,
          count: Callable[[list[Step]], int] = len) -> None:
    """Run the checks once every planner has run: they count the steps that write a mksysb
    image (`writes_image`), or the images those steps write (`count`: an xCAT service node's
    several nimnodeset steps of one image copy it once). `master`: also check NIM's master
    (an xCAT service node becomes one through its first nimnodeset)."""
    facts = ctx.observed.preflight
    if facts is None:
        return
    site = Address("site", ctx.spec.cluster)
    if master:
        _check_master(ctx, site)
    images = [s for s in ctx.steps if writes_image(s)]
    if not images:
        return
    need = ctx.spec.site.preflight.mksysb_gb * count(images)
    _check_space(ctx, site, facts, resource_dir, need, count(images))
    _check_fsize(ctx, site, facts, images, chuser)


def _check_master(ctx: Context, site: Address) -> None:
    master = ctx.observed.nim.get("master")
    mn = ctx.spec.management_node
    if master is None:  # observation already refused it, naming nim_master_setup (crosscheck)
        return
    words = master.get("if1").split()
    host = words[1].split(".", 1)[0] if len(words) > 1 else ""
    if host != mn.xcat_name.split(".", 1)[0]:
        ctx.error(site, f"preflight: NIM's master interface if1 ({master.get('if1') or 'none'}) "
                  f"is not on the management node's primary hostname {mn.xcat_name}: NIM "
                  "clients reach the master by the name on its install interface, so the "
                  "primary hostname must be that interface's (set the hostname, or "
                  "management_node.name if xCAT knows it by another)")


def _check_space(ctx: Context, site: Address, facts: MasterLimits, resource_dir: str,
                 need: float, count: int) -> None:
    fs = _holding(facts.filesystems, resource_dir)
    if fs is None or fs.free_kb is None:
        ctx.error(site, f"preflight: `df -k` on {ctx.mn} shows no file system holding "
                  f"{resource_dir}: mount one there with room for the mksysb images")
        return
    free = fs.free_kb * 1024 / _GB
    if free < need:
        grow = f"chfs -a size=+{need - free + 1:.0f}G {fs.mount}"
        ctx.error(site, f"preflight: {fs.mount} (holding {resource_dir}) on {ctx.mn} has "
                  f"{_gb(free)} free; the plan's {count} mksysb image(s) need about {_gb(need)} "
                  f"(site.preflight.mksysb_gb each): grow it (`{grow}`) or free space there")


def _check_fsize(ctx: Context, site: Address, facts: MasterLimits, images: list[Step],
                 chuser: Kind) -> None:
    check_fsize(ctx, site, facts.root.get("fsize", ""), images, chuser, where=ctx.mn,
                fix=FIX, run="run `chuser fsize=-1 root` there")


def check_fsize(ctx: Context, site: Address, fsize: str, images: list[Step], chuser: Kind, *,
                where: str, fix: tuple[str, ...], run: str, detail: str = "") -> None:
    """Root's `fsize` on host `where` against one mksysb image: a plan error saying `run`,
    or with `site.preflight.fix_fsize` the step `fix` (on the management node; `detail`
    tells two such steps of one image apart) before every step in `images`."""
    if fsize in ("-1", "unlimited"):
        return
    size_gb = ctx.spec.site.preflight.mksysb_gb
    try:
        limit = int(fsize) * _BLOCK / _GB
    except ValueError:
        limit = 0.0
    if limit >= size_gb:
        return
    if not ctx.spec.site.preflight.fix_fsize:
        ctx.error(site, f"preflight: root's file size limit on {where} is fsize={fsize} "
                  f"(512-byte blocks, about {_gb(limit)}), smaller than one mksysb image "
                  f"({_gb(size_gb)}, site.preflight.mksysb_gb): {run}, or set "
                  "site.preflight.fix_fsize: true to have the plan do it")
        return
    first = images[0].address
    step = Step(chuser, ctx.mn, fix, address=first, detail=detail, reason=f"root's "
                f"fsize={fsize} on {where} is too small for a mksysb image "
                "(site.preflight.fix_fsize)")
    writes = {id(s) for s in images}
    ctx.steps[:] = [dataclasses.replace(s, after=(*s.after, step.key)) if id(s) in writes else s
                    for s in ctx.steps]
    ctx.steps.append(step)
    note = f"first lifts root's file size limit on {where} (fsize={fsize}): {' '.join(fix)}"
    ctx.changes[:] = [dataclasses.replace(c, notes=(*c.notes, note)) if c.address == first
                      else c for c in ctx.changes]
    if not any(c.address == first for c in ctx.changes):
        ctx.changes.append(ResourceChange(first, ChangeKind.UPDATE, notes=(note,)))
