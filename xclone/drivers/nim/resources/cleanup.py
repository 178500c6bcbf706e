"""Cleanup: tear down what xclone made and the spec no longer wants, in reverse order.

Only objects carrying the cluster's mark are removed, never a protected LPAR. A machine goes
with `nim -Fo reset` (back to ready, whatever it was doing), `nim -o deallocate -a
subclass=all` (NIM refuses to remove a machine holding resources), `nim -o remove`, then its
/etc/hosts line (`hostent -d IP`, only when the line names nothing else). The resources xclone
made for an osimage the spec no longer has (`<image>_bid`, `<image>_spot`, `<image>_mksysb`,
marked) and its marked networks go after every machine, which could still hold them; a SPOT or
resource xclone did not make is never touched, and `nim -o remove` leaves the files in place.
"""

from __future__ import annotations

from collections import defaultdict

from xclone.base.address import Address
from xclone.drivers.nim.kinds import ActionKind
from xclone.drivers.nim.resources import secondary
from xclone.drivers.nim.resources.common import (
    NIM_MACHINES,
    NIM_NETWORKS,
    NIM_RESOURCES,
    made_names,
    master_step,
    remove,
)
from xclone.drivers.nim.resources.managed import MANAGEMENT
from xclone.drivers.nim.resources.reach import unreach_steps
from xclone.drivers.nim.resources.scripts import script_owners, with_steps
from xclone.observed.model import NimObject
from xclone.plan.action import Step, StepRef
from xclone.plan.changes import ChangeKind, ResourceChange
from xclone.plan.context import Context

SCRIPT_TYPES = ("script", "fb_script")  # postscripts, first-boot scripts (scripts.py)
PARTITION_STAYS = "its partition stays on the HMC as it is: xclone never removes or powers off one"


def _why(ctx: Context, default: str) -> str:
    return "xclone destroy" if ctx.options.destroy else default


def _kept_lpars(ctx: Context) -> set[str]:
    protected = {n for n, lp in ctx.spec.lpars.items() if lp.protect}
    if ctx.options.destroy:
        return protected
    return protected | {n for n, lp in ctx.spec.lpars.items() if lp.state != "absent"}


def _machine_steps(ctx: Context, name: str, address: Address) -> list[Step]:
    reset = master_step(ctx, ActionKind.NIM_RESET, ("nim", "-Fo", "reset"), address,
                        reason="stop whatever NIM operation it is in", node=name)
    free = master_step(ctx, ActionKind.NIM_DEALLOCATE,
                       ("nim", "-o", "deallocate", "-a", "subclass=all"), address,
                       after=(reset.key,), reason="free its resources", node=name)
    gone = master_step(ctx, ActionKind.NIM_REMOVE, ("nim", "-o", "remove"), address,
                       after=(free.key,), reason="remove the NIM machine", node=name)
    return [reset, free, gone]


def _hosts_step(ctx: Context, name: str, address: Address, lines: list[tuple[str, tuple[str, ...]]],
                after: tuple[StepRef, ...], detail: str = "") -> tuple[list[Step], str]:
    """`hostent -d IP` for the line naming `name` alone, or with its domain names
    (`name.domain`), or a note why it stays (`lines`: the lines naming it)."""
    for ip, names in lines:
        if any(n != name and not n.startswith(f"{name}.") for n in names):
            return [], f"keeps the /etc/hosts line {ip} {' '.join(names)}: it names others too"
        return [master_step(ctx, ActionKind.HOSTENT_DELETE, ("hostent", "-d", ip), address,
                            after=after, reason="remove its /etc/hosts line", detail=detail)], \
            "removes its /etc/hosts line"
    return [], ""


def _plan_machines(ctx: Context) -> tuple[StepRef, ...]:
    keep = _kept_lpars(ctx)
    refs: list[StepRef] = []
    lines: dict[str, list[tuple[str, tuple[str, ...]]]] = defaultdict(list)
    for ip, names in sorted(ctx.observed.hosts.items()):
        for host in names:
            lines[host].append((ip, names))
    for name, obj in sorted(ctx.observed.nim.items()):
        if obj.cls != NIM_MACHINES or obj.type != "standalone" or name in keep:
            continue
        if not ctx.owns(obj):
            continue
        address = Address("lpar", name)
        steps = _machine_steps(ctx, name, address)
        extra, note = _hosts_step(ctx, name, address, lines.get(name, []), (steps[-1].key,))
        steps += extra
        for host in secondary.observed_hosts(obj):  # its secondary interfaces' lines
            more, _ = _hosts_step(ctx, host, address, lines.get(host, []), (steps[-1].key,),
                                  detail=host)
            steps += more
        refs.extend(s.key for s in steps)
        reason = "state: absent" if name in ctx.spec.lpars else "absent from the spec"
        ctx.add(ResourceChange(address, ChangeKind.DELETE, dict(obj.attrs), None,
                               reason=_why(ctx, reason),
                               notes=(*((note,) if note else ()), PARTITION_STAYS)), steps)
    return tuple(refs)


def _owned(ctx: Context, name: str, cls: str) -> NimObject | None:
    obj = ctx.observed.nim.get(name)
    return obj if obj is not None and obj.cls == cls and ctx.owns(obj) else None


def _plan_images(ctx: Context, after: tuple[StepRef, ...]) -> None:
    wanted = set() if ctx.options.destroy else set(ctx.spec.osimages)
    images = sorted({name.removesuffix("_mksysb") for name, obj in ctx.observed.nim.items()
                     if obj.type == "mksysb" and name.endswith("_mksysb")} - wanted)
    for image in images:
        found = [n for n in made_names(image) if _owned(ctx, n, NIM_RESOURCES)]
        if not found:
            continue
        address = Address("osimage", image)
        steps = [remove(ctx, n, address, after, f"NIM resource {n} made by xclone", detail=n)
                 for n in found]
        ctx.add(ResourceChange(address, ChangeKind.DELETE,
                               {n: ctx.observed.nim[n].type for n in found}, None,
                               reason=_why(ctx, "absent from the spec"),
                               notes=(f"removes NIM resources {', '.join(found)} (their files "
                                      "stay)",)), steps)


def _plan_networks(ctx: Context, after: tuple[StepRef, ...]) -> None:
    wanted = set() if ctx.options.destroy else set(ctx.spec.networks)
    for name, obj in sorted(ctx.observed.nim.items()):
        if name in wanted or _owned(ctx, name, NIM_NETWORKS) is None:
            continue
        address = Address("network", name)
        unreach, notes = unreach_steps(ctx, name, address, after)
        gone = remove(ctx, name, address, (*after, *(s.key for s in unreach)),
                      "remove the NIM network")
        ctx.add(ResourceChange(address, ChangeKind.DELETE, dict(obj.attrs), None,
                               reason=_why(ctx, "absent from the spec"), notes=tuple(notes)),
                [*unreach, gone])


def _plan_scripts(ctx: Context, after: tuple[StepRef, ...]) -> None:
    """Marked script resources no LPAR the spec keeps runs any more, listed under the osimage
    (or LPAR) of the spec whose LPARs ran them, or under the cluster's `site` when no LPAR of
    the spec names them at all (a postscript dropped from every list). One allocated while no
    machine is removed (an install under way) stays, with a note: NIM refuses to remove an
    allocated resource until the install ends."""
    wanted = set() if ctx.options.destroy else set(script_owners(ctx.spec))
    named = script_owners(ctx.spec, everyone=True)
    site = Address("site", ctx.spec.cluster)
    orphans = {n: site for n, o in ctx.observed.nim.items()
               if o.type in SCRIPT_TYPES and n not in named}
    by_owner: dict[Address, list[Step]] = defaultdict(list)
    held: list[str] = []
    for name, owner in sorted({**orphans, **named}.items()):
        obj = _owned(ctx, name, NIM_RESOURCES)
        if name in wanted or obj is None or obj.type not in SCRIPT_TYPES:
            continue
        if obj.get("alloc_count") not in ("", "0") and not after:
            held.append(name)  # with machines removed first, their deallocation frees it
            continue
        by_owner[owner].append(remove(
            ctx, name, owner, after, f"NIM script resource {name} made by xclone", detail=name))
    if held:
        ctx.add(ResourceChange(site, ChangeKind.UPDATE, {"postscripts": ", ".join(held)}, None,
                               reason="no LPAR runs these postscripts", notes=(
                                   f"keeps NIM script resources {', '.join(held)} while an "
                                   "install holds them: removed by a later apply",)), [])
    for owner, steps in sorted(by_owner.items()):
        names = ", ".join(s.detail for s in steps)
        note = f"removes NIM script resources {names}"
        with_steps(ctx, owner, steps, note, ResourceChange(
            owner, ChangeKind.UPDATE, {"postscripts": names}, None,
            reason=_why(ctx, "no LPAR runs these postscripts"), notes=(note,)))


def _plan_managers(ctx: Context, after: tuple[StepRef, ...]) -> None:
    """Marked `cec` objects no kept LPAR boots through (`netboot: nim`), then marked `hmc`
    objects no kept cec object names; the HMC's password file stays (no NIM command removes
    it)."""
    keep = set() if ctx.options.destroy or ctx.spec.netboot != "nim" else {
        (lp.cec, lp.hmc) for lp in ctx.spec.lpars.values() if lp.state != "absent"}
    cec_keys: list[StepRef] = []
    for type_, wanted in (("cec", {c for c, _ in keep}), ("hmc", {h for _, h in keep})):
        for name in sorted(n for n, o in ctx.observed.nim.items() if o.type == type_):
            obj = _owned(ctx, name, MANAGEMENT)
            if obj is None or name in wanted:
                continue
            address = Address(type_, name)
            step = remove(ctx, name, address, after if type_ == "cec" else (*after, *cec_keys),
                          f"remove NIM's {type_} object")
            cec_keys.append(step.key)
            ctx.add(ResourceChange(address, ChangeKind.DELETE, dict(obj.attrs), None,
                                   reason=_why(ctx, "no LPAR of the spec boots through it")),
                    [step])


def plan_cleanup(ctx: Context) -> None:
    after = _plan_machines(ctx)
    _plan_images(ctx, after)
    _plan_scripts(ctx, after)
    _plan_managers(ctx, after)
    _plan_networks(ctx, after)
