"""How the management node's install commands are batched (issue 16): per HMC and per managed
system instead of one noderange for all, so that the first LPARs boot while others are defined.

- `getmacs -D`, `xcat2nim` and `rnetboot`: one batch per HMC. xCAT forks `getmacs -D` and
  `rnetboot` one process per LPAR, at most half of site `maxssh` per HMC and `ppcmaxp` in all
  (xCAT 2.9.2 PPC.pm `process_command` lines 187-372). The limit is per command, so two of them
  on one HMC at once would double its sessions: the plan orders every two getmacs/rnetboot
  batches of one HMC, which keeps each HMC at the sessions one command for all gave it, and an
  HMC whose LPARs are discovered goes on to NIM and its boots without waiting for the others.
- An HMC with boots on several managed systems: the first half of them (by name) is discovered
  and booted first (`first_half_first`): the second half's getmacs, xcat2nim and rnetboot are
  batches of their own (extra `hmc_half`), and its getmacs and rnetboot are ordered after the
  first half's rnetboot. The first half's installs restore from the master while the second half is
  discovered, instead of after the HMC's whole getmacs; half, so that they keep the master's
  bandwidth busy until the second half boots (its discovery takes about as long as the first's).
- `nimnodeset`: one batch per managed system. It works on the management node alone, one
  `nim -o bos_inst` after another (aixinstall.pm `nimnodeset` lines 598-1390), so one command
  for 1,000 LPARs holds every boot for the whole loop; NIM enables BOS installs of several
  machines allocating the same resources at once (IBM AIX "Using concurrency control",
  https://www.ibm.com/docs/en/aix/7.3.0?topic=nim-using-concurrency-control: a machine group's
  `bos_inst` runs `concurrent` clients at a time), so the systems' commands run side by side,
  as many as the management node's sessions allow.
- prenimnodeset creates NIM's `xcataixscript` script resource when NIM has none (check, then
  `nim -Fo define`, aixinstall.pm lines 8636-8730; a failed define fails the whole command): two
  first nimnodesets at once would race to define it. Where the observed NIM has none, the first
  managed system's nimnodeset runs alone and the others wait for it.

The second half's wait for the first half's rnetboot is order only (Step.ordered_after): it is
there for the master's bandwidth and the HMC's sessions, not because the second half needs the
first, so a node that fails in the first half (its getmacs, say) skips only its own steps, and
the second half is discovered and booted once the first half's rnetboot has ended, whether or
not all of it booted. It is "if planned": `--target` keeps what a target needs, not what it is
merely ordered after. The first nimnodeset stays a dependency of the others: when it fails, NIM
may still lack xcataixscript and theirs would fail the same way. As a dependency it also passes
on its system's nodes that failed before it (their getmacs, say), which skips the others too
(the executor's rule for a failed node an action does not name) while NIM lacks the script;
the next apply carries on, with the script defined.

`getmacs` goes by the HMC for every LPAR: xCAT dispatches it by the node's hcp, never by the
node's service node (PPC.pm lines 1985-2015), so a service node's LPARs share their HMC's batch.
Their `xcat2nim`, `nimnodeset` and `rnetboot` keep one batch per service node (servicenodes.py),
whose boots are staged in its own windows (waves.py).
"""

from __future__ import annotations

from functools import lru_cache

from xclone.drivers.xcat.kinds import ActionKind
from xclone.plan.action import StepRef
from xclone.plan.context import Context

EXTRA_HMC = "hmc"  # the HMC whose LPARs one getmacs, xcat2nim or rnetboot batch names
EXTRA_SYSTEM = "system"  # the managed system whose LPARs one nimnodeset batch names
# The batches of an HMC's second half of managed systems, ordered after the first half's rnetboot
SECOND_HALF = ("hmc_half", "2")
PER_HMC = frozenset({ActionKind.GETMACS, ActionKind.XCAT2NIM, ActionKind.RNETBOOT})
XCAT_SCRIPT = "xcataixscript"  # xCAT's own NIM script resource, made by the first nimnodeset

Extra = tuple[tuple[str, str], ...]


def extra(kind: ActionKind, hmc: str, cec: str, *, served: bool) -> Extra:
    """The batch extra of an LPAR's step of `kind`; `served`: a service node serves it."""
    if kind is ActionKind.GETMACS or (kind in PER_HMC and not served):
        return ((EXTRA_HMC, hmc),)
    if kind is ActionKind.NIMNODESET and not served:
        return ((EXTRA_SYSTEM, cec),)
    return ()


def first_nimnodeset_alone(ctx: Context) -> None:
    """Where NIM has no `xcataixscript` yet, every other managed system's nimnodeset steps wait
    for one step of the first system's (by name; its last, in the planners' order): that step is
    one of the first system's batch, so each other system's batch waits for that whole batch,
    which defines the script; the others then find it. One edge per waiting step, not one per
    step of the first system (40 per LPAR of the benchmark's lab); `--target` of any waiting
    LPAR keeps that one first-system LPAR, enough to define the script before its own."""
    if XCAT_SCRIPT in ctx.observed.nim:
        return
    steps = ctx.steps
    by_system: dict[str, list[int]] = {}
    for index, step in enumerate(steps):
        if step.kind is ActionKind.NIMNODESET:
            system = _value(step.extra, EXTRA_SYSTEM)
            if system is not None:
                by_system.setdefault(system, []).append(index)
    if len(by_system) < 2:
        return
    first = (steps[by_system.pop(min(by_system))[-1]].key,)
    # The LPARs of one range share their `after_if_planned` tuple: keep sharing the longer one
    # (the graph resolves each distinct tuple once).
    longer: dict[int, tuple[tuple[StepRef, ...], tuple[StepRef, ...]]] = {}
    for indexes in by_system.values():
        for index in indexes:
            step = steps[index]
            known = longer.get(id(step.after_if_planned))
            if known is None:  # the original is kept too, so that its id stays its own
                known = longer[id(step.after_if_planned)] = (
                    step.after_if_planned, (*step.after_if_planned, *first))
            steps[index] = step.but(after_if_planned=known[1])


def first_half_first(ctx: Context) -> None:
    """On each HMC with boots on several managed systems, the first half of those systems (by
    name; the larger half when odd) is discovered and booted first: the second half's getmacs,
    xcat2nim and rnetboot are batches of their own (extra `hmc_half`), and its getmacs and
    rnetboot are ordered after the first half's rnetboot (one step of it: that batch is one
    action), order only: the first half's failures skip nothing of the second's."""
    steps, lpars = ctx.steps, ctx.spec.lpars
    boots: dict[str, dict[str, int]] = {}  # HMC -> system -> one rnetboot step of it
    batched: list[tuple[int, str, str]] = []  # index, HMC, managed system
    for index, step in enumerate(steps):
        if step.kind in PER_HMC and step.node is not None:
            hmc = _value(step.extra, EXTRA_HMC)
            if hmc is not None:
                cec = lpars[step.node].cec
                batched.append((index, hmc, cec))
                if step.kind is ActionKind.RNETBOOT:
                    boots.setdefault(hmc, {}).setdefault(cec, index)
    first = {hmc: frozenset(sorted(systems)[:(len(systems) + 1) // 2])
             for hmc, systems in boots.items() if len(systems) > 1}
    if not first:
        return
    # One tuple per HMC, shared by its second half's steps: the graph resolves each distinct
    # tuple once. The second half's extra is one tuple per extra it had (shared the same way).
    booted = {hmc: (steps[boots[hmc][min(half)]].key,) for hmc, half in first.items()}
    halved: dict[Extra, Extra] = {}
    for index, hmc, cec in batched:
        half = first.get(hmc)
        if half is None or cec in half:
            continue
        step = steps[index]
        ordered = step.ordered_after_if_planned
        if step.kind is not ActionKind.XCAT2NIM:
            ordered = (*ordered, *booted[hmc]) if ordered else booted[hmc]
        marked = halved.get(step.extra)
        if marked is None:
            marked = halved[step.extra] = tuple(sorted((*step.extra, SECOND_HALF)))
        steps[index] = step.but(extra=marked, ordered_after_if_planned=ordered)


@lru_cache(maxsize=4096)
def _value(extra: Extra, name: str) -> str | None:
    """`name` in a step's batch extra, once per distinct extra: the steps of one managed system
    and kind share one (lpar_steps.py `_extra`), so 80,000 steps have a few hundred."""
    return dict(extra).get(name)
