"""Cleanup: tear down what xclone created and the spec no longer wants, in reverse order.

Only objects carrying the cluster's mark are ever removed, and never a protected LPAR. An LPAR's
NIM machine goes first (`xcat2nim -r -f` resets and deallocates it), then its /etc/hosts line and
its console (`makehosts -d`, `makeconservercf -d`), then its xCAT node; an
osimage's own NIM resources only after every machine that could hold them is gone.
"""

from __future__ import annotations

from xclone.base.address import Address
from xclone.drivers.xcat.kinds import ActionKind
from xclone.drivers.xcat.resources.infra import site_address
from xclone.drivers.xcat.resources.network import unreach_steps
from xclone.drivers.xcat.resources.osimage import created_resources
from xclone.drivers.xcat.servicenodes import ServiceNodes, copies_removal
from xclone.observed.model import XcatObject
from xclone.plan.action import Step, StepRef
from xclone.plan.changes import ChangeKind, ResourceChange
from xclone.plan.context import Context


def _wanted_lpars(ctx: Context) -> set[str]:
    if ctx.options.destroy:
        return {n for n, lp in ctx.spec.lpars.items() if lp.protect}
    return {n for n, lp in ctx.spec.lpars.items() if lp.state != "absent"}


def _why(ctx: Context, default: str) -> str:
    return "xclone destroy" if ctx.options.destroy else default


def _wanted(ctx: Context, names: set[str]) -> set[str]:
    return set() if ctx.options.destroy else names


def plan_cleanup(ctx: Context, sns: ServiceNodes | None = None) -> None:
    """A node of a service node (its `servicenode` attribute) has its NIM machine there, and
    xCAT dispatches its `xcat2nim -r` there (xcat2nim.pm preprocess_request): one batch per
    service node."""
    sns = sns or ServiceNodes(ctx)
    nodes = ctx.observed.xcat.get("node", {})
    keep = _wanted_lpars(ctx)
    protected = {n for n, lp in ctx.spec.lpars.items() if lp.protect}
    lpar_steps: list[StepRef] = []
    for name, node in sorted(nodes.items()):
        if node.get("hwtype") != "lpar" or name in keep or not ctx.owns(node):
            continue
        if name in protected:
            continue
        address = Address("lpar", name)
        steps = []
        served = sns.by_attr(node.get("servicenode"))
        machine = sns.view(served).nim.get(name)
        if machine is not None and ctx.owns(machine):
            steps.append(
                Step(
                    ActionKind.XCAT2NIM_REMOVE,
                    ctx.mn,
                    ("xcat2nim", "-t", "node", "-r", "-f"),
                    node=name,
                    address=address,
                    reason="remove the NIM machine (reset and deallocate first)",
                    extra=served.extra if served is not None else (),
                )
            )
        steps += _trace_steps(ctx, address, node, tuple(s.key for s in steps))
        steps.append(
            Step(
                ActionKind.RMDEF,
                ctx.mn,
                ("rmdef", "-t", "node"),
                node=name,
                address=address,
                after=tuple(s.key for s in steps),
                reason="remove the xCAT node",
            )
        )
        lpar_steps.extend(s.key for s in steps)
        ctx.add(
            ResourceChange(
                address,
                ChangeKind.DELETE,
                dict(node.attrs),
                None,
                reason=_why(ctx, "state: absent" if name in ctx.spec.lpars
                            else "absent from the spec"),
                notes=(*_trace_notes(steps), PARTITION_STAYS),
            ),
            steps,
        )
    after_lpars = tuple(lpar_steps)
    _plan_osimages(ctx, after_lpars, sns)
    _plan_xcat_deletes(ctx, "network", _wanted(ctx, set(ctx.spec.networks)), after_lpars)
    _plan_xcat_deletes(ctx, "group", _wanted(ctx, set(ctx.spec.groups)), after_lpars)
    _plan_hardware(ctx, keep, after_lpars)
    if ctx.options.destroy:
        _report_kept(ctx)


# xCAT's nimnodeset defines this NIM script for every standalone install and adds it to the
# osimage (aixinstall.pm, "create a NIM script resource using xcataixscript"); it is not ours.
XCAT_SCRIPT = "xcataixscript"


def _report_kept(ctx: Context) -> None:
    """What destroy leaves on purpose, said once on the site: the site keys the spec sets (they
    are cluster-wide and their earlier values are unknown) and xCAT's own by-products."""
    site = ctx.spec.site
    keys = sorted({*site.attributes, *(k for k, v in (("ppctimeout", site.ppctimeout),
                                                       ("domain", site.domain)) if v is not None)})
    objects = ctx.observed.xcat.get("site", {})
    address = site_address(ctx)
    have = objects[address.name].attrs if address.name in objects else {}
    notes = []
    shown = [f"{k}={have[k]}" for k in keys if k in have]
    if shown:
        notes.append(f"keeps site attributes {', '.join(shown)}: cluster-wide settings whose "
                     "earlier values xclone does not know")
    if XCAT_SCRIPT in ctx.observed.nim and not ctx.owns(ctx.observed.nim[XCAT_SCRIPT]):
        notes.append(f"keeps NIM script {XCAT_SCRIPT}: xCAT's nimnodeset makes it for every "
                     "AIX install")
    if notes:
        ctx.add(ResourceChange(address, ChangeKind.NOOP, dict(have), dict(have),
                               reason="xclone destroy keeps it", notes=tuple(notes)))


PARTITION_STAYS = "its partition stays on the HMC as it is: xclone never removes or powers off one"


def _trace_steps(ctx: Context, address: Address, node: XcatObject,
                 after: tuple[StepRef, ...]) -> list[Step]:
    """`makehosts -d` and `makeconservercf -d` for a node being removed. Both read the node's
    definition (hosts.pm takes the IP from it; conserver.pm only deletes the console of a node
    whose `cons` is set), so they run before `rmdef`; after the NIM machine is gone, which may
    still need the name to resolve (`after`: the NIM machine's removal, if planned). These
    are the node's traces outside the xCAT tables."""
    steps = []
    if node.get("ip"):
        steps.append(Step(ActionKind.MAKEHOSTS_DELETE, ctx.mn, ("makehosts", "-d"),
                          node=address.name, address=address, after=after,
                          reason="remove its /etc/hosts entry"))
    if node.get("cons"):
        steps.append(Step(ActionKind.MAKECONSERVERCF_DELETE, ctx.mn, ("makeconservercf", "-d"),
                          node=address.name, address=address, after=after,
                          reason="remove its console from /etc/conserver.cf"))
    return steps


def _trace_notes(steps: list[Step]) -> tuple[str, ...]:
    kinds = {step.kind for step in steps}
    gone = [what for kind, what in ((ActionKind.MAKEHOSTS_DELETE, "its /etc/hosts line"),
                                    (ActionKind.MAKECONSERVERCF_DELETE, "its console"))
            if kind in kinds]
    if not gone:
        return ()
    tail = (" (xCAT's conserver.cf headers stay)"
            if ActionKind.MAKECONSERVERCF_DELETE in kinds else "")
    return (f"removes {' and '.join(gone)}{tail}",)


def _plan_osimages(ctx: Context, after: tuple[StepRef, ...], sns: ServiceNodes) -> None:
    """An osimage's own NIM resources on the management node, its copies on the service
    nodes (servicenodes.copies_removal), then its xCAT definition."""
    wanted = _wanted(ctx, set(ctx.spec.osimages))
    for name, img in sorted(ctx.observed.xcat.get("osimage", {}).items()):
        if name in wanted or not ctx.owns(img):
            continue
        address = Address("osimage", name)
        steps = []
        removed = []
        spot = img.get("spot")
        owned_spot = (spot,) if spot and ctx.owns(ctx.observed.nim.get(spot)) else ()
        for res in (*created_resources(name), *owned_spot):
            if res in ctx.observed.nim:
                removed.append(res)
                steps.append(_nim_remove(ctx, res, address, after,
                                         f"NIM resource {res} made by mknimimage", detail=res))
        copies, copies_note = copies_removal(ctx, sns, img, address, after)
        steps += [copies] if copies is not None else []
        steps.append(
            Step(
                ActionKind.RMDEF_OSIMAGE,
                ctx.mn,
                ("rmdef", "-t", "osimage", "-o", name),
                address=address,
                after=(*after, *(s.key for s in steps)),
                reason="remove the xCAT osimage",
            )
        )
        kept = sorted({img.get("spot"), img.get("resolv_conf")} - {"", *owned_spot})
        note = f"keeps pre-existing NIM resources: {', '.join(kept)}" if kept else ""
        ctx.add(
            ResourceChange(
                address,
                ChangeKind.DELETE,
                dict(img.attrs),
                None,
                reason=_why(ctx, "absent from the spec"),
                notes=(
                    f"removes NIM resources: {', '.join(removed) or 'none'}",
                    *((note,) if note else ()),
                    *((copies_note,) if copies_note else ()),
                ),
            ),
            steps,
        )


def _nim_remove(ctx: Context, name: str, address: Address, after: tuple[StepRef, ...],
                reason: str, detail: str = "") -> Step:
    """`nim -o remove NAME` on the management node, for an object xclone made."""
    return Step(ActionKind.NIM_REMOVE, ctx.mn, ("nim", "-o", "remove", name), address=address,
                detail=detail, after=after, reason=reason)


_RMDEF = {"network": ActionKind.RMDEF_NETWORK, "group": ActionKind.RMDEF_GROUP}


def _plan_xcat_deletes(
    ctx: Context, type_: str, wanted: set[str], after: tuple[StepRef, ...]
) -> None:
    for name, obj in sorted(ctx.observed.xcat.get(type_, {}).items()):
        if name in wanted or not ctx.owns(obj):
            continue
        address = Address(type_, name)
        steps = []
        nim = ctx.observed.nim.get(name)
        if type_ == "network" and nim is not None and nim.cls == "networks" and ctx.owns(nim):
            steps += unreach_steps(ctx, name, address, after)
            steps.append(_nim_remove(ctx, name, address, (*after, *(s.key for s in steps)),
                                     "remove the NIM network"))
        steps.append(
            Step(
                _RMDEF[type_],
                ctx.mn,
                ("rmdef", "-t", type_, "-o", name),
                address=address,
                after=(*after, *(s.key for s in steps)),
                reason=f"remove the xCAT {type_}",
            )
        )
        ctx.add(
            ResourceChange(
                address,
                ChangeKind.DELETE,
                dict(obj.attrs),
                None,
                reason=_why(ctx, "absent from the spec"),
            ),
            steps,
        )


def _plan_hardware(ctx: Context, keep: set[str], after: tuple[StepRef, ...]) -> None:
    """CEC and HMC nodes go once no kept LPAR needs them (the partitions themselves stay)."""
    cecs = {ctx.spec.lpars[n].cec for n in keep if n in ctx.spec.lpars}
    hmcs = {ctx.spec.lpars[n].hmc for n in keep if n in ctx.spec.lpars}
    if not ctx.options.destroy:
        cecs |= set(ctx.spec.cecs())
        hmcs |= set(ctx.spec.hmcs)
    cec_keys: list[StepRef] = []
    for hwtype, wanted in (("cec", cecs), ("hmc", hmcs)):
        for name, node in sorted(ctx.observed.xcat.get("node", {}).items()):
            if node.get("hwtype") != hwtype or name in wanted or not ctx.owns(node):
                continue
            address = Address(hwtype, name)
            step = Step(ActionKind.RMDEF, ctx.mn, ("rmdef", "-t", "node"), node=name,
                        address=address, after=after if hwtype == "cec" else (*after, *cec_keys),
                        reason=f"remove the {hwtype} node")
            if hwtype == "cec":
                cec_keys.append(step.key)
            ctx.add(
                ResourceChange(
                    address,
                    ChangeKind.DELETE,
                    dict(node.attrs),
                    None,
                    reason=_why(ctx, "no LPAR of the spec uses it"),
                ),
                [step],
            )
