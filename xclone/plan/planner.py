"""`make_plan`: run every resource planner, fail on collected errors, batch and order the steps."""

from __future__ import annotations

import hashlib

from xclone.base.address import Address
from xclone.base.errors import XcloneError
from xclone.observed.model import Observed
from xclone.plan.action import Step
from xclone.plan.changes import ResourceChange
from xclone.plan.context import Context, PlanOptions
from xclone.plan.document import Plan
from xclone.plan.graph import batch, step_graph
from xclone.plan.resources.cleanup import plan_cleanup
from xclone.plan.resources.group import plan_groups
from xclone.plan.resources.infra import plan_cecs, plan_hmcs, plan_site
from xclone.plan.resources.lpar import plan_lpars
from xclone.plan.resources.network import plan_networks
from xclone.plan.resources.osimage import plan_osimages
from xclone.spec.model import Spec


def spec_digest(spec: Spec) -> str:
    """Of the resolved spec (so comments and layout do not count), serialised by pydantic."""
    return "sha256:" + hashlib.sha256(spec.model_dump_json().encode("utf-8")).hexdigest()


def _check_addresses(spec: Spec, addresses: frozenset[str], flag: str) -> None:
    for text in sorted(addresses):
        try:
            address = Address.parse(text)
        except ValueError as exc:
            raise XcloneError(f"{flag} {text}: {exc}") from None
        if flag == "--replace" and (address.type != "lpar" or address.name not in spec.lpars):
            raise XcloneError(f"--replace {text}: only an LPAR of the spec can be replaced")


def _targeted(
    steps: list[Step], changes: list[ResourceChange], targets: frozenset[str]
) -> tuple[list[Step], list[ResourceChange]]:
    """Keep the targets' steps and everything they depend on, as `terraform -target` does."""
    graph = step_graph(steps)
    keep: set[int] = set()
    for index, step in enumerate(steps):
        if step.address in targets:
            keep |= {index, *graph.ancestors(index)}
    kept_steps = [s for i, s in enumerate(steps) if i in keep]
    addresses = {s.address for s in kept_steps} | targets
    return kept_steps, [c for c in changes if c.address in addresses]


def make_plan(
    spec: Spec,
    observed: Observed,
    observed_digest: str,
    options: PlanOptions | None = None,
    *,
    source: str = "live",
) -> Plan:
    options = options or PlanOptions()
    _check_addresses(spec, options.targets, "--target")
    _check_addresses(spec, options.replace, "--replace")
    ctx = Context(spec, observed, options)
    if not options.destroy:
        plan_site(ctx)
        plan_hmcs(ctx)
        plan_cecs(ctx)
        plan_networks(ctx)
        plan_groups(ctx)
        plan_osimages(ctx)
        plan_lpars(ctx)
    plan_cleanup(ctx)
    ctx.raise_errors()
    steps, changes = ctx.steps, ctx.changes
    if options.targets:
        steps, changes = _targeted(steps, changes, options.targets)
    actions = batch(steps)
    ordered = tuple(sorted(changes, key=ResourceChange.risk_key))
    return Plan(spec.cluster, spec_digest(spec), observed_digest, ordered, actions, source)
