"""Adoption: which objects built by hand `xclone import SPEC ADDR|--all` marks as xclone's.

The planner treats an unmarked object with a name the spec wants as a conflict (CONTRACT §5), so
a cluster built with the runbook cannot be planned until its objects carry the ownership mark.
Adoption writes that mark and nothing else: `chdef ... usercomment=` for xCAT objects and
`nim -o change -a comments=` for NIM machines and networks, keeping any text already there. The
mark and the test for it are the planner's own (plan/context.py `Context.mark` and `owns`), so an
object adopted here is one the next plan calls managed.

One exception, documented in docs/guide.md: the planner calls an LPAR installed when xCAT shows
`status=booted` with `provmethod` (or `profile`) naming its osimage. A node installed by hand with
`nimnodeset -i` has both. A node installed another way may lack them; when NIM confirms the
install (`Cstate_result = success`) and xCAT says `status=booted`, the same `chdef` also sets
`provmethod=<the spec's osimage>`, so the adopted node is never reinstalled.

Pure: spec and observation in, marks out (plan/adoption.py's plain data, shared with the NIM
driver). `to_plan` makes them a plan document whose actions the apply session runs through the
same runner, result judge, journal and lock as apply.
"""

from __future__ import annotations

from collections.abc import Iterator

from xclone.base.address import Address
from xclone.drivers.marks import nim_mark, xcat_mark
from xclone.drivers.xcat.kinds import ActionKind
from xclone.drivers.xcat.servicenodes import ServiceNodes
from xclone.observed.model import NimObject, Observed, XcatObject
from xclone.plan.adoption import Adoption, AdoptionPlan, adopt_each, marks_plan
from xclone.plan.context import Context, PlanOptions
from xclone.plan.document import Plan
from xclone.spec import Spec

__all__ = ["Adoption", "AdoptionPlan", "plan_adoption", "spec_addresses", "to_plan"]

def spec_addresses(spec: Spec) -> list[str]:
    """Every address `--all` adopts: what the spec keeps (an absent LPAR is not adopted)."""
    found = [Address("hmc", n) for n in sorted(spec.hmcs)]
    found += [Address("cec", n) for n in sorted(spec.cecs())]
    found += [Address("network", n) for n in sorted(spec.networks)]
    found += [Address("group", n) for n in sorted(spec.groups)]
    found += [Address("osimage", n) for n in sorted(spec.osimages)]
    found += [Address("lpar", n) for n, lp in sorted(spec.lpars.items()) if lp.state != "absent"]
    return [str(a) for a in found]


def _xcat(ctx: Context, address: str, obj: XcatObject | None,
          extra: tuple[tuple[str, str], ...] = ()) -> Adoption | None:
    if obj is None or ctx.owns(obj):
        return None
    return xcat_mark(address, obj.type, obj.name, obj.get("usercomment"), ctx.mark, extra)


def _nim(ctx: Context, address: str, obj: NimObject | None,
         host: str | None = None) -> Adoption | None:
    if obj is None or ctx.owns(obj):
        return None
    return nim_mark(address, obj.cls, obj.name, obj.get("comments"), ctx.mark, host)


def _provmethod(spec: Spec, name: str, node: XcatObject | None,
                machine: NimObject | None) -> tuple[tuple[str, str], ...]:
    lpar = spec.lpars[name]
    if node is None or machine is None or lpar.osimage is None or lpar.state != "installed":
        return ()
    if node.get("provmethod") or node.get("profile") or node.get("status") != "booted":
        return ()
    if machine.get("Cstate_result") != "success":
        return ()
    return (("provmethod", lpar.osimage),)


def _candidates(ctx: Context, address: Address) -> Iterator[Adoption | None]:
    spec, observed, name, text = ctx.spec, ctx.observed, address.name, str(address)
    if address.type in ("hmc", "cec"):
        yield _xcat(ctx, text, observed.xcat_object("node", name))
    elif address.type in ("group", "osimage"):
        yield _xcat(ctx, text, observed.xcat_object(address.type, name))
    elif address.type == "network":
        yield _xcat(ctx, text, observed.xcat_object("network", name))
        # only NIM's network of the same name: xcat2nim names the networks it defines after
        # xCAT's; one of another name covering the subnet (the master's master_net) is NIM's own
        net, obj = spec.networks[name], observed.nim.get(name)
        if (obj is not None and obj.cls == "networks" and obj.get("net_addr") == str(net.net)
                and obj.get("snm") == str(net.mask)):
            yield _nim(ctx, text, obj)
    elif address.type == "lpar":
        # A service node's LPAR has its NIM machine there, marked there (servicenodes.py).
        sns = ServiceNodes(ctx)
        served = sns.served(spec.lpars[name])
        if served is not None and served.host not in observed.masters:
            served = None
        node, machine = observed.xcat_object("node", name), sns.view(served).nim.get(name)
        if machine is not None and machine.cls != "machines":
            machine = None
        yield _xcat(ctx, text, node, _provmethod(spec, name, node, machine))
        yield _nim(ctx, text, machine, served.host if served is not None else None)


def _exists(observed: Observed, address: Address) -> bool:
    if address.type in ("hmc", "cec", "lpar"):
        return observed.xcat_object("node", address.name) is not None
    return observed.xcat_object(address.type, address.name) is not None


def _adopt(ctx: Context, address: Address) -> tuple[list[Adoption], list[str]]:
    """The marks `address` takes, or the note that says why it takes none."""
    found = [a for a in _candidates(ctx, address) if a is not None]
    if found:
        return found, []
    state = "already marked" if _exists(ctx.observed, address) else "does not exist yet"
    return [], [f"{address}: {state}"]


def plan_adoption(spec: Spec, observed: Observed, addresses: tuple[str, ...]) -> AdoptionPlan:
    """What marking `addresses` (all of the spec's when empty) takes; XcloneError for an address
    the spec does not hold."""
    ctx = Context(spec, observed, PlanOptions())
    return adopt_each(spec_addresses(spec), addresses, "a resource of the spec",
                      lambda address: _adopt(ctx, address))


def to_plan(adoption: AdoptionPlan, spec: Spec, observed_digest: str) -> Plan:
    """The marks as a plan document (plan/adoption.py): `nim-mark` for NIM objects, `chdef`
    for xCAT's."""
    return marks_plan(adoption, spec, observed_digest,
                      lambda a: ActionKind.NIM_MARK if a.system == "NIM" else ActionKind.CHDEF)
