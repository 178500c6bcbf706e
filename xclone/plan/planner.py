"""`make_plan`: run every resource planner, fail on collected errors, batch and order the steps."""

from __future__ import annotations

import hashlib
from typing import Any

from xclone.drivers import registry
from xclone.observed.model import Observed
from xclone.plan.changes import ResourceChange
from xclone.plan.context import Context, PlanOptions
from xclone.plan.document import Plan
from xclone.plan.graph import batch
from xclone.plan.targets import check_targets, parse_addresses, targeted
from xclone.spec.model import Spec

# `ignore_changes` only silences drift reports: it changes no plan, so no saved plan goes stale
# over it, and specs digest as they did before it existed.
_NOT_PLANNED: dict[str, Any] = {section: {"__all__": {"ignore_changes"}}
                                for section in ("lpars", "groups", "osimages", "networks")}


def spec_digest(spec: Spec) -> str:
    """Of the resolved spec (so comments and layout do not count), serialised by pydantic. The
    default driver is left out, so a spec that names none digests as it did before drivers."""
    exclude = {**_NOT_PLANNED, **({"driver": True} if spec.driver == registry.DEFAULT else {})}
    dumped = spec.model_dump_json(exclude=exclude)
    return "sha256:" + hashlib.sha256(dumped.encode("utf-8")).hexdigest()


def make_plan(
    spec: Spec,
    observed: Observed,
    observed_digest: str,
    options: PlanOptions | None = None,
    *,
    source: str = "live",
) -> Plan:
    options = options or PlanOptions()
    parse_addresses(spec, options.targets, options.replace)
    ctx = Context(spec, observed, options)
    driver = registry.driver(spec.driver)
    driver.plan(ctx)
    check_targets(spec, options.targets, ctx.changes)
    ctx.raise_errors()
    steps, changes = ctx.steps, ctx.changes
    if options.targets:
        steps, changes = targeted(steps, changes, options.targets)
    actions = batch(steps)
    ordered = tuple(sorted(changes, key=ResourceChange.risk_key))
    return Plan(spec.cluster, spec_digest(spec), observed_digest, ordered, actions, source,
                driver.name)
