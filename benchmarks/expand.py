"""The two baselines, built from xclone's own plan so all three run the very same commands.

Both undo noderange batching: every node-scoped action becomes one action per node (a `mkdef -z`
keeps only that node's stanza). The *per-resource* baseline keeps the dependency graph, as a
Terraform-style executor would, one command per resource. The *runbook* baseline is what an
administrator's script does: the cluster-wide steps first, then each LPAR from `mkdef` to the end
of its install before the next one starts (a chain, run with parallelism 1).
"""

from __future__ import annotations

import dataclasses

from xclone.base.address import Address
from xclone.plan.action import Action
from xclone.plan.document import Plan


def _one(action: Action, node: str, new_id: str, depends_on: tuple[str, ...]) -> Action:
    mine = tuple(a for a in action.addresses if a.name == node)
    return dataclasses.replace(
        action,
        id=new_id,
        nodes=(node,),
        stdin_parts=tuple(p for p in action.stdin_parts if p[0] == node),
        addresses=mine or action.addresses,
        depends_on=depends_on,
    )


def _expanded_id(action: Action, node: str) -> str:
    return f"{action.id}.{node}"


def per_resource(plan: Plan) -> Plan:
    """One action per node; a node's step waits for the same node's earlier steps, and for
    every member of a dependency that does not name it (an LPAR waits for all CECs)."""
    by_id = {a.id: a for a in plan.actions}

    def deps_for(action: Action, node: str | None) -> tuple[str, ...]:
        found: list[str] = []
        for dep_id in action.depends_on:
            dep = by_id[dep_id]
            if not dep.nodes:
                found.append(dep.id)
            elif node is not None and node in dep.nodes:
                found.append(_expanded_id(dep, node))
            else:
                found.extend(_expanded_id(dep, n) for n in dep.nodes)
        return tuple(sorted(found))

    actions: list[Action] = []
    for action in plan.actions:
        if not action.nodes:
            actions.append(dataclasses.replace(action, depends_on=deps_for(action, None)))
            continue
        for node in action.nodes:
            actions.append(_one(action, node, _expanded_id(action, node), deps_for(action, node)))
    return dataclasses.replace(plan, actions=tuple(actions))


def _lpar_of(action: Action, node: str) -> str | None:
    return node if Address("lpar", node) in action.addresses else None


def runbook(plan: Plan) -> Plan:
    """The per-resource steps as one chain: cluster-wide steps, then LPAR after LPAR."""
    fine = per_resource(plan)
    shared = [a for a in fine.actions if not a.nodes or _lpar_of(a, a.nodes[0]) is None]
    per_lpar: dict[str, list[Action]] = {}
    for action in fine.actions:
        if action.nodes and (lpar := _lpar_of(action, action.nodes[0])) is not None:
            per_lpar.setdefault(lpar, []).append(action)
    script = shared + [a for lpar in sorted(per_lpar) for a in per_lpar[lpar]]
    position = {a.id: i for i, a in enumerate(script)}
    for action in script:
        late = [d for d in action.depends_on if position[d] > position[action.id]]
        if late:
            raise ValueError(f"runbook order breaks a dependency: {action.id} needs {late}")
    width = len(str(len(script)))
    chain: list[Action] = []
    for number, action in enumerate(script, start=1):
        previous = (f"{number - 1:0{width}d}",) if number > 1 else ()
        chain.append(dataclasses.replace(action, id=f"{number:0{width}d}", depends_on=previous))
    return dataclasses.replace(plan, actions=tuple(chain))
