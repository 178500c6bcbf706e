"""`--target` and `--replace`: addresses that must name something, and the targeted subset.

An address that names nothing is an error, never an empty plan: `--target lpar.node3` for a spec
of node01 and node02 would otherwise print "No changes" and let CI believe the cluster matches
(CONTRACT §9). Near matches are offered the way git offers a mistyped subcommand.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from xclone.base.address import Address
from xclone.base.errors import XcloneError
from xclone.plan.action import Step
from xclone.plan.changes import ResourceChange
from xclone.plan.graph import step_graph
from xclone.spec.model import Spec

# xCAT has one site object and always calls it clustersite (its `site` table's only key)
SITE_OBJECT = "clustersite"


def parse_addresses(spec: Spec, targets: Iterable[str], replace: Iterable[str]) -> None:
    """Syntax first, before anything is observed: `lpar` without a name, an unknown type, or a
    `--replace` of something that is not an LPAR of the spec."""
    problems = []
    for flag, texts in (("--target", targets), ("--replace", replace)):
        for text in sorted(texts):
            try:
                address = Address.parse(text)
            except ValueError as exc:
                # a bare name (`--target node01`): the addresses of the spec that carry it
                named = sorted(a for a in spec_addresses(spec) if a.name == text)
                hint = f": did you mean {', '.join(named)}?" if named else ""
                problems.append(f"{flag} {text}: {exc}{hint}")
                continue
            if flag == "--replace" and address.type != "lpar":
                problems.append(f"--replace {text}: only an LPAR can be replaced (reinstalled)")
            elif flag == "--replace" and address.name not in spec.lpars:
                lpars = [str(Address("lpar", n)) for n in spec.lpars]
                problems.append(_unknown(flag, text, lpars, "spec"))
    _raise(problems)


def spec_addresses(spec: Spec) -> set[Address]:
    """Every address the spec names, whether or not it has a change."""
    named = {Address("site", SITE_OBJECT)}
    named |= {Address("cec", name) for name in spec.cecs()}
    for kind, section in (("hmc", spec.hmcs), ("network", spec.networks),
                          ("osimage", spec.osimages), ("group", spec.groups),
                          ("lpar", spec.lpars)):
        named |= {Address(kind, name) for name in section}
    return named


def check_targets(spec: Spec, targets: Iterable[str], changes: Iterable[ResourceChange]) -> None:
    """Each target names a resource of the spec or one the plan changes (a marked object the
    spec no longer wants, planned for cleanup)."""
    known = spec_addresses(spec) | {c.address for c in changes}
    shown = sorted(map(str, known))
    _raise([_unknown("--target", t, shown, "spec or the cluster")
            for t in sorted(targets) if Address.parse(t) not in known])


def targeted(steps: list[Step], changes: list[ResourceChange],
             targets: frozenset[str]) -> tuple[list[Step], list[ResourceChange]]:
    """Keep the targets' steps and everything they depend on, as `terraform -target` does."""
    wanted = {Address.parse(t) for t in targets}
    graph = step_graph(steps)
    keep: set[int] = set()
    for index, step in enumerate(steps):
        if step.address in wanted:
            keep |= {index, *graph.ancestors(index)}
    kept_steps = [s for i, s in enumerate(steps) if i in keep]
    addresses = {s.address for s in kept_steps} | wanted
    return kept_steps, [c for c in changes if c.address in addresses]


def _unknown(flag: str, text: str, known: Iterable[str], where: str) -> str:
    near = sorted(difflib.get_close_matches(text, sorted(known), n=5, cutoff=0.6))
    hint = f"did you mean {', '.join(near)}?" if near else (
        "no similar address (`xclone plan SPEC --format json` lists the resource_changes)")
    return f"{flag} {text} names nothing in the {where}: {hint}"


def _raise(problems: list[str]) -> None:
    if len(problems) == 1:
        raise XcloneError(problems[0])
    if problems:
        raise XcloneError("\n".join(["bad addresses:", *(f"  - {p}" for p in problems)]))
