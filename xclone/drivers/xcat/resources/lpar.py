"""LPARs: the xCAT node, its MAC, the NIM machine, and the network install from an osimage.

The order is the runbook's and the tools' preconditions (docs/formats.md "Hardware control through
the HMC"): the node is defined, resolvable (makehosts) and has a console (makeconservercf) before
`getmacs -D`; it has a MAC before `xcat2nim`; `nimnodeset` before `rnetboot`; the install is then
waited for.
"""

from __future__ import annotations

from functools import lru_cache

from xclone.base.address import Address
from xclone.base.mac import install_mac
from xclone.drivers.xcat import remedy, snhosts
from xclone.drivers.xcat.kinds import ActionKind
from xclone.drivers.xcat.resources import adapters, batching, blade, lpar_guard
from xclone.drivers.xcat.resources.common import attr_diffs, changed
from xclone.drivers.xcat.resources.infra import site_address
from xclone.drivers.xcat.resources.lpar_state import install_phase, observed_state
from xclone.drivers.xcat.resources.lpar_steps import LparSteps
from xclone.drivers.xcat.resources.network import nim_network_steps
from xclone.drivers.xcat.servicenodes import ServiceNodes, leave_steps, node_attrs
from xclone.drivers.xcat.stanza import assignments, prescripts, stanza
from xclone.observed.model import Partition
from xclone.plan.action import StepRef
from xclone.plan.changes import AttrDiff, ChangeKind, ResourceChange
from xclone.plan.context import Context
from xclone.spec.model import Lpar

OFF = "Not Activated"


def desired_attrs(lpar: Lpar, mark: str) -> dict[str, str]:
    attrs = {
        "groups": ",".join(["lpar", "all", *lpar.groups]),
        "nodetype": "ppc,osi",
        "hwtype": "lpar",
        "mgt": "hmc",
        "cons": "hmc",
        "hcp": lpar.hmc,
        "id": str(lpar.id),
        "pprofile": lpar.profile,
        "parent": lpar.cec,
        "ip": str(lpar.ip) if lpar.ip else "",
        "postscripts": adapters.postscripts(lpar),
        "prescripts-begin": prescripts(lpar.prescripts_begin),
        "prescripts-end": prescripts(lpar.prescripts_end),
        "usercomment": mark,
    }
    if lpar.mac:
        attrs["mac"] = lpar.mac
    if lpar.hardware == "blade":
        attrs.update(blade.node_attrs(lpar))
    attrs.update(adapters.node_attrs(lpar))
    attrs.update(adapters.nic_attrs(lpar))
    return attrs


def _check_partition(ctx: Context, lpar: Lpar, address: Address) -> Partition | None:
    part = ctx.observed.partition(lpar.hmc, lpar.cec, lpar.name)
    system = ctx.observed.systems.get((lpar.hmc, lpar.cec))
    if system is None or not system.reachable:
        return None  # reported once for the CEC
    if part is None:
        ctx.error(
            address,
            f"partition '{lpar.name}' is not on managed system {lpar.cec} "
            f"(HMC {lpar.hmc}): xclone does not create partitions",
        )
        return None
    if part.lpar_id != lpar.id:
        ctx.error(
            address,
            f"id {lpar.id} in the spec, but the HMC shows partition "
            f"{lpar.name} with id {part.lpar_id}",
        )
    if part.profile and part.profile != lpar.profile:
        ctx.error(
            address,
            f"profile '{lpar.profile}' in the spec, but the HMC shows "
            f"partition {lpar.name} with profile '{part.profile}'",
        )
    return part


def plan_lpar(ctx: Context, lpar: Lpar, sns: ServiceNodes) -> None:
    served = sns.served(lpar)
    if sns.refused(served, Address("lpar", lpar.name), lpar.network):
        return
    b = LparSteps(ctx, lpar, served)
    part = _check_partition(ctx, lpar, b.address)
    if part is None:
        return
    node = ctx.observed.xcat_object("node", lpar.name)
    machine = sns.view(served).nim.get(lpar.name)  # an SN's nodes are in its own NIM
    if node is not None and not ctx.owns(node):
        ctx.conflict(b.address, f"xCAT node '{lpar.name}'")
        return
    if machine is not None and not ctx.owns(machine):
        ctx.conflict(b.address, f"NIM machine '{lpar.name}'")
        return
    want = desired_attrs(lpar, ctx.mark)
    want.update(node_attrs(ctx.spec, lpar.name, served, None if node is None else node.attrs,
                           want["groups"]))
    timeouts = ctx.spec.site.timeouts
    diffs: tuple[AttrDiff, ...] = ()
    notes: list[str] = []
    destructive = False
    b.extend(leave_steps(ctx, sns, b.address, node, served))  # moving to another server
    if node is None:
        b.add(
            ActionKind.MKDEF_Z,
            ("mkdef", "-z"),
            stdin=stanza(lpar.name, "node", want),
            uses=b.node_uses,
            reason="node missing in xCAT",
        )
    else:
        want.update(adapters.dropped(node.attrs, want))
        diffs = attr_diffs(want, node.attrs)
        if diffs:
            b.add(
                ActionKind.CHDEF,
                ("chdef",),
                assignments(changed(diffs)),
                after=b.own(ActionKind.XCAT2NIM_REMOVE),
                uses=b.node_uses,
                reason="node attributes differ",
            )
    defined = b.own(ActionKind.MKDEF_Z, ActionKind.CHDEF)
    prep = _prep(b.network_uses, site_address(ctx))
    have_mac = bool(lpar.mac or (node is not None and install_mac(node.get("mac"))))
    phase = install_phase(node, machine, lpar, ctx.options.replace)
    refused = lpar_guard.refusal(node, machine, lpar.name, phase,
                                 asked=str(b.address) in ctx.options.replace,
                                 osimage=lpar.osimage or "",
                                 wants_install=lpar.state == "installed", needs_mac=not have_mac,
                                 running=part.state != OFF and adapters.powers_off(lpar))
    if refused is not None:
        ctx.error(b.address, refused)
        return
    armed = lpar_guard.armed(machine) if lpar.state == "installed" and phase == "done" else None
    if armed is not None:
        b.extend(lpar_guard.disarm_steps(b.nim_host, b.address, b.own(ActionKind.CHDEF)))
        held = f" holding {', '.join(armed)}" if armed else ""
        notes.append(f"NIM has a BOS install armed on installed {lpar.name}{held} that this plan "
                     "did not arm: the next network boot would reinstall it; it is disarmed")
    elif lpar.state == "installed" and phase == "done" and (kept := lpar_guard.leftover(machine)):
        b.extend((lpar_guard.deallocate_step(b.nim_host, b.address, b.own(ActionKind.CHDEF)),))
        diffs = (*diffs, *kept)
    if lpar.state == "installed" and phase == "done" and (
            nics := adapters.confignics_note(lpar, diffs, ctx.spec.networks)):
        notes.append(nics)
    needs_boot = lpar.state == "installed" and phase in ("install", "reinstall", "reset", "boot")
    # xcat2nim defines the machine with `if1='NET HOST MAC ent'` (xcat2nim.pm mkclientdef) and
    # NIM must resolve that hostname, so a node without a NIM machine needs its /etc/hosts line
    # first, booting or not.
    if needs_boot or not have_mac or machine is None:
        b.add(ActionKind.MAKEHOSTS, ("makehosts",), after=defined, uses=prep,
              reason="name must resolve")
    if needs_boot or not have_mac:
        b.add(
            ActionKind.MAKECONSERVERCF,
            ("makeconservercf",),
            after=defined,
            uses=prep,
            reason="getmacs and rnetboot use the console",
        )
    if not have_mac:
        running = part.state != OFF and adapters.powers_off(lpar)
        if running and lpar.protect:
            ctx.error(
                b.address,
                f"protected LPAR is {part.state} and xCAT has no MAC for it: "
                "getmacs -D would power it off; add `mac:` to the spec",
            )
            return
        destructive |= running
        if running:
            notes.append(f"getmacs -D powers off {lpar.name} (now {part.state})")
        b.add(
            ActionKind.GETMACS,
            ("getmacs",),
            adapters.getmacs_words(lpar),
            destructive=running,
            after=(*defined, *b.own(ActionKind.MAKEHOSTS, ActionKind.MAKECONSERVERCF)),
            uses=prep,
            reason=adapters.reason(lpar),
            timeout=timeouts.power,
        )
    if machine is None:
        nim_network = nim_network_steps(lpar.network) if lpar.network else ()
        b.add(
            ActionKind.XCAT2NIM,
            ("xcat2nim", "-t", "node"),
            (f"comments={ctx.mark}",),
            after=(*defined, *b.own(ActionKind.GETMACS, ActionKind.MAKEHOSTS)),
            uses=_joined(prep, nim_network),
            reason="NIM machine missing",
        )
    kind = ChangeKind.CREATE if node is None else ChangeKind.NOOP
    if lpar.state == "installed" and phase != "done":
        if phase == "reinstall" and lpar.protect:
            ctx.error(
                b.address,
                "protected LPAR would be reinstalled: remove `protect: true` "
                "first or keep its osimage",
            )
            return
        ready = b.own(ActionKind.XCAT2NIM, ActionKind.CHDEF)
        if phase in ("install", "reinstall", "reset"):
            force = ("-f",) if phase == "reset" else ()
            b.add(
                ActionKind.NIMNODESET,
                ("nimnodeset", *force, "-i", lpar.osimage or ""),
                after=ready,
                uses=b.install_uses,
                reason="enable the BOS install in NIM",
                # An SN's first nimnodeset of an image copies its resources there first.
                timeout=timeouts.mksysb if served else 600,
            )
        if phase != "wait":
            off = part.state == OFF and phase != "reinstall"
            destructive |= not off
            boot_after = (*b.own(ActionKind.NIMNODESET, ActionKind.MAKEHOSTS,
                                 ActionKind.MAKECONSERVERCF), *ready)
            if lpar.hardware == "blade":
                b.add(ActionKind.RBOOTSEQ, ("rbootseq",), ("net",), after=boot_after,
                      uses=b.install_uses, reason="the network adapter boots first",
                      timeout=timeouts.power)
                b.add(ActionKind.RPOWER_BOOT, ("rpower",), blade.power_words(part.state),
                      destructive=not off, after=b.own(ActionKind.RBOOTSEQ),
                      reason="boot from the network into the NIM install",
                      timeout=timeouts.power)
            else:
                b.add(
                    ActionKind.RNETBOOT,
                    ("rnetboot",),
                    destructive=not off,
                    after=boot_after,
                    uses=b.install_uses,
                    reason="network boot into the NIM install",
                    timeout=timeouts.power,
                    extra=(("ppctimeout", ppctimeout(ctx)),),
                )
            if not off:
                boot = "rpower reset" if lpar.hardware == "blade" else "rnetboot"
                notes.append(f"{boot} power-cycles {lpar.name} (now {part.state})")
        b.add(
            ActionKind.WAIT_INSTALL,
            ("lsdef", "-t", "node", "-i", "status,provmethod", "-c"),
            after=b.own(ActionKind.RNETBOOT, ActionKind.RPOWER_BOOT),
            timeout=timeouts.install,
            stall=timeouts.install_stall,
            reason=f"install of {lpar.osimage}",
            extra=remedy.extra(ctx.options.remediate, lpar.protect),
        )
        if kind is ChangeKind.NOOP:
            kind = ChangeKind.REPLACE if phase == "reinstall" else ChangeKind.UPDATE
    elif kind is ChangeKind.NOOP and b.steps:
        kind = (ChangeKind.UPDATE if diffs or machine is None or armed is not None
                else ChangeKind.READ)
    if kind is ChangeKind.NOOP:
        return
    before_state = observed_state(node, machine)
    after_state = f"installed ({lpar.osimage})" if lpar.state == "installed" else "defined"
    if kind is ChangeKind.REPLACE:
        after_state = f"reinstalled ({lpar.osimage})"
    elif lpar.state == "defined" and before_state.startswith("installed"):
        after_state = before_state  # `defined` never uninstalls a node
    state_diff: tuple[AttrDiff, ...] = ()
    if before_state != after_state and kind is not ChangeKind.CREATE:
        state_diff = (AttrDiff("state", before_state, after_state),)
    ctx.add(
        ResourceChange(
            b.address,
            kind,
            None if node is None else dict(node.attrs),
            {**want, "state": lpar.state, "osimage": lpar.osimage or ""},
            (*diffs, *state_diff),
            _reason(kind, phase),
            destructive,
            tuple(notes),
        ),
        b.steps,
    )


@lru_cache(maxsize=1024)
def _prep(network_uses: tuple[StepRef, ...], site: Address) -> tuple[StepRef, ...]:
    """What makehosts, makeconservercf and getmacs use: the node's network and the site. One
    tuple for all the LPARs of a network, not one per LPAR: the graph resolves each distinct
    tuple once (by identity), so a tuple per LPAR cost three look-ups per step."""
    return (*network_uses, StepRef(ActionKind.CHDEF_SITE, site))


@lru_cache(maxsize=1024)
def _joined(first: tuple[StepRef, ...], second: tuple[StepRef, ...]) -> tuple[StepRef, ...]:
    """`first` then `second`, one tuple per distinct pair (as `_prep`)."""
    return (*first, *second)


def ppctimeout(ctx: Context) -> str:
    """The site table's ppctimeout when rnetboot runs: the spec's (chdef-site runs first), else
    what xCAT shows; kept in the action so that a timeout can name it (judges.py)."""
    if ctx.spec.site.ppctimeout is not None:
        return str(ctx.spec.site.ppctimeout)
    site = ctx.observed.xcat.get("site", {}).get(site_address(ctx).name)
    return (site.get("ppctimeout") if site is not None else "") or "0"


def _reason(kind: ChangeKind, phase: str) -> str:
    if kind is ChangeKind.CREATE:
        return "not defined"
    if kind is ChangeKind.REPLACE:
        return "reinstall"
    return {
        "wait": "install in progress",
        "boot": "install enabled, not booted",
        "reset": "last install failed",
    }.get(phase, "differs from the spec")


def plan_lpars(ctx: Context, sns: ServiceNodes | None = None) -> None:
    """Every LPAR the spec keeps (a fresh NIM's first nimnodeset alone, batching.py), then the
    SNs' /etc/hosts their new nodes need (snhosts)."""
    sns = sns or ServiceNodes(ctx)
    for name in sorted(ctx.spec.lpars):
        lpar = ctx.spec.lpars[name]
        if lpar.state != "absent":
            plan_lpar(ctx, lpar, sns)
    batching.first_nimnodeset_alone(ctx)
    batching.first_half_first(ctx)
    snhosts.plan_copies(ctx, sns)
