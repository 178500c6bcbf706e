"""`--deny`: the changes of a plan a CI gate refuses, judged from the commands, not the labels.

A change's kind alone under-reports: the first install of an LPAR that is running is a `create`,
yet its MAC discovery powers the partition off and its network boot power-cycles it. So
`reinstall` covers every change with an action that powers off or power-cycles an LPAR (the
actions the planner marks destructive) as well as replacements, and `delete` every change with
a removal command as well as deletions.
"""

from __future__ import annotations

from collections import defaultdict

from xclone.base.address import Address
from xclone.plan.action import Action
from xclone.plan.changes import ChangeKind, ResourceChange
from xclone.plan.document import Plan

DENY = ("destructive", "reinstall", "delete")


def reasons(change: ResourceChange, actions: list[Action], deny: tuple[str, ...]) -> list[str]:
    """Which of the `deny` classes this change (with the actions that name it) falls in."""
    destructive = change.destructive or any(a.destructive for a in actions)
    found = []
    if "destructive" in deny and destructive:
        found.append("destructive")
    if "reinstall" in deny and (change.kind is ChangeKind.REPLACE or destructive):
        found.append("reinstall")
    removes = any(a.kind.removes for a in actions)  # the driver's kinds that remove objects
    if "delete" in deny and (change.kind is ChangeKind.DELETE or removes):
        found.append("delete")
    return found


def denied(plan: Plan, deny: tuple[str, ...]) -> list[str]:
    """One line per change the plan may not hold under `--deny`, naming why; an action whose
    resource has no change of its own (none today) is named by its id."""
    by_address: dict[Address, list[Action]] = defaultdict(list)
    for action in plan.actions:
        for address in action.addresses:
            by_address[address].append(action)
    hits = []
    for change in plan.changes:
        found = reasons(change, by_address.pop(change.address, []), deny)
        if found:
            hits.append(f"{change.address} ({', '.join(found)}: {change.reason})")
    for address, actions in sorted(by_address.items()):
        for action in actions:
            orphan = ResourceChange(address, ChangeKind.UPDATE, reason=action.kind.value)
            found = reasons(orphan, [action], deny)
            if found:
                hits.append(f"{address} ({', '.join(found)}: action {action.id} {action.kind})")
    return hits
