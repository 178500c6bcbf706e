"""The baselines, built from xclone's own plan so that every variant runs the very same commands.

- *runbook with noderanges* (`runbook_noderanges`): the plan's commands as typed from the
  document, one after another (a chain run with parallelism 1), each long step waited for before
  the next. The xCAT driver's commands keep their noderanges (`nimnodeset -i 610sysb
  'lpar[00001-01000]'` names the same nodes as the group `aixnodes`); the NIM driver's already
  name one machine each, so this is the by-hand procedure typed as loops: every LPAR's
  `hostent`, then every `nim -o define`, one `bos_inst` on a NIM machine group (the one command
  NIM takes a group for, `nim_groups`), every `rmvterm` and `lpar_netboot` (the HMC boots one
  partition per call), and one wait per managed system.
- *runbook node by node* (`runbook`): the naive script, each LPAR from its first command to the
  end of its install before the next LPAR starts.
- *per-resource* (`per_resource`): one action per node keeping the dependency graph, as a
  non-blocking Terraform-style executor would (an LPAR's install wait is its own step).
- *Terraform-like blocking* (`blocking`): one resource per LPAR whose create runs its commands
  and blocks until its install is done, at most `parallelism` LPARs at once (Terraform's default
  `-parallelism=10`), after every shared resource (HMC, network, group, osimage) it references.

Every baseline starts from the plan with the xCAT driver's batches per HMC and per managed system
(`xclone/drivers/xcat/resources/batching.py`) merged back into one noderange per command
(`merged`): the document types one `getmacs`, one `nimnodeset` and one `rnetboot` for the group.
"""

from __future__ import annotations

import dataclasses

from xclone.base.address import Address
from xclone.drivers.nim.kinds import ActionKind as NimKind
from xclone.plan.action import Action
from xclone.plan.document import Plan

# The batch extras that split one of the document's commands by HMC or managed system.
_SPLIT_BY = frozenset({"hmc", "system", "hmc_half"})


def merged(plan: Plan) -> Plan:
    """The plan with the actions that differ only in an HMC or managed-system batch extra made
    one again (nodes, stdin and dependencies joined), each where its first part was; order-only
    edges become dependencies (`_needs`). The order
    kept between parts (an HMC's second-half getmacs after its first half's rnetboot) would be a
    cycle once they are one: `_acyclic` drops it."""
    groups: dict[tuple[object, ...], list[Action]] = {}
    for action in plan.actions:
        if any(k in _SPLIT_BY for k, _ in action.extra):
            rest = tuple(p for p in action.extra if p[0] not in _SPLIT_BY)
            key = (action.kind, action.host, action.before, action.after_words, action.env,
                   rest)
            groups.setdefault(key, []).append(action)
    into = {a.id: found[0].id for found in groups.values() for a in found}
    if not into:
        return dataclasses.replace(plan, actions=tuple(
            dataclasses.replace(a, depends_on=_needs(a), ordered_after=()) for a in plan.actions))
    parts = {found[0].id: found for found in groups.values()}
    actions: list[Action] = []
    for action in plan.actions:
        if into.get(action.id, action.id) != action.id:
            continue  # joined into its group's first part
        found = parts.get(action.id, [action])
        deps = {into.get(d, d) for a in found for d in _needs(a)} - {action.id}
        actions.append(dataclasses.replace(
            action,
            nodes=tuple(sorted(n for a in found for n in a.nodes)),
            stdin_parts=tuple(sorted(p for a in found for p in a.stdin_parts)),
            addresses=tuple(sorted({x for a in found for x in a.addresses})),
            depends_on=tuple(sorted(deps)),
            destructive=any(a.destructive for a in found),
            reasons=tuple(sorted({r for a in found for r in a.reasons})),
            timeout=max(a.timeout for a in found),
            extra=tuple(p for p in action.extra if p[0] not in _SPLIT_BY),
            ordered_after=()))
    return dataclasses.replace(plan, actions=_acyclic(actions))


def _needs(action: Action) -> tuple[str, ...]:
    """Its dependencies and order-only predecessors as one: a baseline never fails, so both
    schedule alike, and the later baselines rebuild one kind of edge only."""
    if not action.ordered_after:
        return action.depends_on
    return tuple(sorted({*action.depends_on, *action.ordered_after}))


def _acyclic(actions: list[Action]) -> tuple[Action, ...]:
    """`actions` without each dependency on an action placed after the dependant: the plan's
    order is topological, and a merged action sits where its first part was, so the only such
    dependencies are the orders kept between merged parts (now one command)."""
    position = {a.id: i for i, a in enumerate(actions)}
    return tuple(dataclasses.replace(a, depends_on=tuple(
        d for d in a.depends_on if position[d] < position[a.id])) for a in actions)


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
    plan = merged(plan)
    by_id = {a.id: a for a in plan.actions}

    def deps_for(action: Action, node: str | None) -> tuple[str, ...]:
        found: list[str] = []
        for dep_id in action.depends_on:
            dep = by_id[dep_id]
            # One LPAR's part of a NIM wait for a managed system needs only that LPAR's own
            # network boot, not its neighbours'.
            owner = _lpar_of(dep)
            if node is not None and owner is not None and owner != node:
                continue
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


def _lpar_of(action: Action) -> str | None:
    """The one LPAR a fine action is for: its node (xCAT) or its only `lpar.` address (NIM
    commands name one machine and keep no node list), else None (a shared step)."""
    if len(action.nodes) == 1:
        node = action.nodes[0]
        return node if Address("lpar", node) in action.addresses else None
    if not action.nodes and len(action.addresses) == 1 and action.addresses[0].type == "lpar":
        return action.addresses[0].name
    return None


def _split(plan: Plan) -> tuple[list[Action], dict[str, list[Action]]]:
    """The per-resource steps as the shared ones and each LPAR's own, both in plan order."""
    fine = per_resource(plan)
    shared: list[Action] = []
    per_lpar: dict[str, list[Action]] = {}
    for action in fine.actions:
        lpar = _lpar_of(action)
        if lpar is None:
            shared.append(action)
        else:
            per_lpar.setdefault(lpar, []).append(action)
    return shared, per_lpar


def _renumbered(plan: Plan, script: list[Action], after: dict[str, tuple[str, ...]]) -> Plan:
    """`script` with fresh ids in its order; `after` gives each action's new dependencies in
    terms of the old ids. Refuses an order that would run a step before one it needs."""
    position = {a.id: i for i, a in enumerate(script)}
    for action in script:
        late = [d for d in action.depends_on if position[d] > position[action.id]]
        if late:
            raise ValueError(f"baseline order breaks a dependency: {action.id} needs {late}")
    width = len(str(len(script)))
    new_id = {a.id: f"{i:0{width}d}" for i, a in enumerate(script, start=1)}
    return dataclasses.replace(plan, actions=tuple(
        dataclasses.replace(a, id=new_id[a.id],
                            depends_on=tuple(sorted(new_id[d] for d in after[a.id])))
        for a in script))


def _chain(plan: Plan, script: list[Action]) -> Plan:
    after: dict[str, tuple[str, ...]] = {script[0].id: ()}
    after.update((b.id, (a.id,)) for a, b in zip(script, script[1:], strict=False))
    return _renumbered(plan, script, after)


def _group_name(number: int) -> str:
    return f"clone_grp{number}"


def nim_groups(plan: Plan) -> Plan:
    """The NIM driver's per-machine `bos_inst` commands that differ only in the machine, as
    an administrator types them: one `nim -o define -t mac_group -a add_member=...` and one
    `bos_inst` on the group (IBM, "Using the NIM bos_inst operation": "a standalone machine or
    a group of standalone machines"). Everything else NIM takes one object at a time."""
    by_words: dict[tuple[tuple[str, ...], tuple[str, ...]], list[Action]] = {}
    for action in plan.actions:
        if action.kind.value == "nim-bos-inst" and len(action.nodes) == 1:
            by_words.setdefault((action.before, action.after_words), []).append(action)
    grouped = {words: found for words, found in by_words.items() if len(found) > 1}
    if not grouped:
        return plan
    replaced: dict[str, str] = {}
    extra: dict[str, list[Action]] = {}
    for number, ((before, after), found) in enumerate(grouped.items(), start=1):
        name, first = _group_name(number), found[0]
        members = tuple(w for a in found for w in ("-a", f"add_member={a.nodes[0]}"))
        addresses = tuple(dict.fromkeys(x for a in found for x in a.addresses))
        needs = tuple(sorted({d for a in found for d in a.depends_on}))
        define = dataclasses.replace(
            first, id=f"{first.id}.group", kind=NimKind.NIM_DEFINE_MACHINE,
            before=("nim", "-o", "define", "-t", "mac_group", *members, name), after_words=(),
            nodes=(),
            addresses=addresses, depends_on=needs, destructive=False,
            reasons=("the machines to install, as one NIM group",))
        install = dataclasses.replace(first, id=f"{first.id}.bos_inst",
                                      before=(*before, name, *after), after_words=(), nodes=(),
                                      addresses=addresses, depends_on=(define.id,))
        extra[first.id] = [define, install]
        replaced.update((a.id, install.id) for a in found)
    actions: list[Action] = []
    for action in plan.actions:
        if action.id in extra:
            actions += extra[action.id]
        elif action.id not in replaced:
            actions.append(dataclasses.replace(action, depends_on=tuple(dict.fromkeys(
                replaced.get(d, d) for d in action.depends_on))))
    return dataclasses.replace(plan, actions=tuple(actions))


def runbook_noderanges(plan: Plan) -> Plan:
    """The plan's own commands, noderanges kept (and the NIM installs armed on a machine
    group), as one chain in the plan's order."""
    grouped = nim_groups(merged(plan))
    return _chain(grouped, list(grouped.actions)) if grouped.actions else grouped


def runbook(plan: Plan) -> Plan:
    """The per-resource steps as one chain: cluster-wide steps, then LPAR after LPAR."""
    shared, per_lpar = _split(plan)
    script = shared + [a for lpar in sorted(per_lpar) for a in per_lpar[lpar]]
    return _chain(plan, script) if script else plan


def blocking(plan: Plan, parallelism: int = 10) -> Plan:
    """Shared resources as the graph orders them, then `parallelism` lanes of LPAR resources:
    LPAR k starts when LPAR k - parallelism has finished its install, as a provider whose
    create blocks until the install ends does under Terraform's semaphore (every LPAR takes
    the same time on the lab, so lanes and a semaphore schedule alike)."""
    shared, per_lpar = _split(plan)
    after: dict[str, tuple[str, ...]] = {a.id: a.depends_on for a in shared}
    shared_ids = tuple(a.id for a in shared)
    lanes: list[str | None] = [None] * parallelism
    script = list(shared)
    for number, lpar in enumerate(sorted(per_lpar)):
        steps = per_lpar[lpar]
        lane = number % parallelism
        previous = lanes[lane]
        first = (previous,) if previous else ()
        # The resource starts after everything shared it may reference (Terraform waits for a
        # whole dependency, not for the part of it this LPAR needs).
        after[steps[0].id] = first + shared_ids
        for before, step in zip(steps, steps[1:], strict=False):
            after[step.id] = (before.id,)
        lanes[lane] = steps[-1].id
        script += steps
    return _renumbered(plan, script, after) if script else plan
