"""The site table, HMC nodes and CEC nodes: the hardware xCAT must know before any LPAR.

CECs and LPAR partitions are checked against the HMC, never invented: xclone only defines them
in xCAT, with the type-model and serial the HMC reports (names are labels: docs/formats.md
"Hardware control through the HMC").
"""

from __future__ import annotations

from functools import cache

from xclone.base.address import Address
from xclone.drivers.xcat.kinds import ActionKind
from xclone.drivers.xcat.resources.common import attr_diffs, changed, update_in_place
from xclone.drivers.xcat.stanza import assignments, stanza
from xclone.plan.action import Step, StepRef
from xclone.plan.changes import ChangeKind, ResourceChange
from xclone.plan.context import Context


def site_address(ctx: Context) -> Address:
    """xCAT has one site object (`clustersite` unless the cluster shows another name)."""
    return Address("site", next(iter(sorted(ctx.observed.xcat.get("site", {}))), "clustersite"))


@cache  # one tuple per name, not one per LPAR that names it
def hmc_steps(name: str) -> tuple[StepRef, ...]:
    """The steps that define or update HMC `name`, for nodes it drives to wait for."""
    address = Address("hmc", name)
    return (StepRef(ActionKind.MKDEF_HMC, address), StepRef(ActionKind.CHDEF, address))


@cache
def cec_steps(name: str) -> tuple[StepRef, ...]:
    address = Address("cec", name)
    return (StepRef(ActionKind.MKDEF_Z, address), StepRef(ActionKind.CHDEF, address))


def plan_site(ctx: Context) -> None:
    site = ctx.spec.site
    want = dict(site.attributes)
    if site.ppctimeout is not None:
        want["ppctimeout"] = str(site.ppctimeout)
    if site.domain is not None:
        want["domain"] = site.domain
    if not want:
        return
    address = site_address(ctx)
    objects = ctx.observed.xcat.get("site", {})
    have = objects[address.name].attrs if address.name in objects else {}
    diffs = attr_diffs(want, have)
    if not diffs:
        return
    update_in_place(ctx, ActionKind.CHDEF_SITE, address, "site", have, want, diffs,
                    "site keys differ")


def plan_hmcs(ctx: Context) -> None:
    wanted = ctx.spec.hmcs
    nodes = ctx.observed.xcat.get("node", {})
    for name, hmc in sorted(wanted.items()):
        address = Address("hmc", name)
        have = nodes.get(name)
        want = {
            "groups": "hmc,all",
            "nodetype": "ppc",
            "hwtype": "hmc",
            "mgt": "hmc",
            "username": hmc.username,
            "usercomment": ctx.mark,
        }
        # PPC.pm dispatches the hardware commands of the HMC's nodes by this attribute.
        served = {"servicenode": hmc.service_node} if hmc.service_node else {}
        want.update(served)
        if have is None:
            # The password travels on stdin, as a marker apply fills in at the last moment:
            # on the command line it would show in the management node's process list.
            secret = {"password": hmc.password.ref().marker()} if hmc.password else {}
            step = Step(
                ActionKind.MKDEF_HMC,
                ctx.mn,
                ("mkdef", "-z"),
                node=name,
                stdin=stanza(name, "node", {**want, **secret}),
                address=address,
                reason="HMC node missing in xCAT",
            )
            ctx.add(
                ResourceChange(
                    address,
                    ChangeKind.CREATE,
                    None,
                    {**want, "host": hmc.host},
                    reason="not defined in xCAT",
                ),
                [step],
            )
            continue
        if not ctx.owns(have):
            ctx.conflict(address, f"xCAT node '{name}'")
            continue
        # Never the password: observations hold it masked (`***`, xclone.base.redact) and the
        # spec only a reference, so there is nothing to compare it with.
        diffs = attr_diffs({"username": hmc.username, **served}, have.attrs)
        if diffs:
            update_in_place(ctx, ActionKind.CHDEF, address, "node", have.attrs, want,
                            diffs, "HMC user or service node differs")


def plan_cecs(ctx: Context) -> None:
    nodes = ctx.observed.xcat.get("node", {})
    for cec, hmc in sorted(ctx.spec.cecs().items()):
        address = Address("cec", cec)
        system = ctx.observed.systems.get((hmc, cec))
        if system is None:
            shown = sorted(s for h, s in ctx.observed.systems if h == hmc)
            ctx.error(
                address,
                f"managed system '{cec}' is not on HMC {hmc} "
                f"(it shows: {', '.join(shown) or 'none'})",
            )
            continue
        if not system.reachable:
            ctx.error(address, f"managed system '{cec}' is '{system.state}' on HMC {hmc}: "
                      "the HMC cannot list or drive its partitions until that is fixed")
            continue
        want = {
            "groups": "cec,all",
            "nodetype": "ppc",
            "hwtype": "cec",
            "mgt": "hmc",
            "hcp": hmc,
            "mtm": system.type_model,
            "serial": system.serial,
            "usercomment": ctx.mark,
        }
        have = nodes.get(cec)
        if have is None:
            step = Step(
                ActionKind.MKDEF_Z,
                ctx.mn,
                ("mkdef", "-z"),
                node=cec,
                stdin=stanza(cec, "node", want),
                address=address,
                after_if_planned=hmc_steps(hmc),
                reason="CEC node missing in xCAT",
            )
            ctx.add(
                ResourceChange(address, ChangeKind.CREATE, None, want,
                               reason="not defined in xCAT"),
                [step],
            )
        elif not ctx.owns(have):
            ctx.conflict(address, f"xCAT node '{cec}'")
        else:
            diffs = attr_diffs({k: want[k] for k in ("hcp", "mtm", "serial")}, have.attrs)
            if diffs:
                step = Step(
                    ActionKind.CHDEF,
                    ctx.mn,
                    ("chdef",),
                    after_words=assignments(changed(diffs)),
                    node=cec,
                    address=address,
                    reason="CEC attributes differ",
                )
                ctx.add(
                    ResourceChange(
                        address,
                        ChangeKind.UPDATE,
                        dict(have.attrs),
                        want,
                        diffs,
                        "CEC attributes differ",
                    ),
                    [step],
                )
