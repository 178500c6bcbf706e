"""The apply summary's resource counts: what became of each resource the plan changed.

Terraform ends an apply with `Resources: 7 added, 1 changed, 2 destroyed`; an administrator
reads the outcome in resources (LPARs installed, objects removed), not in batched commands. A
batch that failed for some of its nodes is one failed action but only its failed nodes' LPARs
are failed resources: the others of the batch count as done.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from xclone.apply.events import Summary
from xclone.base.address import Address
from xclone.plan.action import Action
from xclone.plan.changes import ChangeKind
from xclone.plan.document import Plan

# The Plan summary's kinds, in its order, with the apply summary's past tense. Reads (MAC
# discovery) count in neither summary, as in Terraform.
_DONE_WORDS = (
    (ChangeKind.CREATE, "added"),
    (ChangeKind.UPDATE, "changed"),
    (ChangeKind.REPLACE, "reinstalled"),
    (ChangeKind.DELETE, "destroyed"),
)


@dataclass(frozen=True)
class Tally:
    """Resources by outcome: `done` per change kind, `failed` (an action failed for it) and
    `unfinished` (skipped after a failure or not run because of an interrupt)."""

    done: dict[ChangeKind, int]
    failed: int
    unfinished: int


def _failed_for(action: Action, node: str, failures: dict[str, frozenset[str]]) -> bool:
    """Whether `action` failed for the resource named `node`: the failed nodes of a node batch
    (a failure naming none failed the whole batch), any failure of an action without nodes."""
    nodes = failures.get(action.id)
    if nodes is None:
        return False
    if not action.nodes or not nodes or node not in action.nodes:
        return True
    return node in nodes


def tally(plan: Plan, summary: Summary) -> Tally:
    """Each non-trivial change judged by every action that names its address: failed when one
    failed for it (for its node, in a node batch), done when all of them are done."""
    touching: dict[Address, list[Action]] = defaultdict(list)
    for action in plan.actions:
        for address in action.addresses:
            touching[address].append(action)
    failures = {f.action_id: frozenset(f.nodes) for f in summary.failed}
    done_ids = set(summary.done)
    done = {kind: 0 for kind, _ in _DONE_WORDS}
    failed = unfinished = 0
    for change in plan.changes:
        actions = touching.get(change.address, [])
        if change.kind is ChangeKind.NOOP or not actions:
            continue
        if any(_failed_for(a, change.address.name, failures) for a in actions):
            failed += 1
        elif all(a.id in done_ids for a in actions):
            if change.kind in done:
                done[change.kind] += 1
        else:
            unfinished += 1
    return Tally(done, failed, unfinished)


def resource_line(plan: Plan, summary: Summary, kind: str) -> str:
    """`7 added, 1 changed, 0 reinstalled, 2 destroyed` (destroy: `2 destroyed`), then the
    failed and unfinished resources when there are any."""
    counted = tally(plan, summary)
    words = [f"{counted.done[k]} {word}" for k, word in _DONE_WORDS
             if kind != "destroy" or k is ChangeKind.DELETE]
    if counted.failed or counted.unfinished:
        words += [f"{counted.failed} failed", f"{counted.unfinished} not done"]
    return ", ".join(words)
