"""The steps of one LPAR before batching: each knows which of this LPAR's earlier steps it waits
for and which steps of the resources it uses (lpar.py decides which steps an LPAR needs).

Each step gets its batch extra from `batching.py`: getmacs per HMC; for an LPAR the management
node serves, xcat2nim and rnetboot per HMC and nimnodeset per managed system too (one an xCAT
service node serves keeps its service node's batch of those, servicenodes.py).
"""

from __future__ import annotations

from functools import cache, lru_cache

from xclone.base.address import Address
from xclone.drivers.xcat import servicenodes
from xclone.drivers.xcat.kinds import ActionKind
from xclone.drivers.xcat.resources import batching
from xclone.drivers.xcat.resources.group import group_steps
from xclone.drivers.xcat.resources.infra import cec_steps, hmc_steps
from xclone.drivers.xcat.resources.network import network_steps
from xclone.drivers.xcat.resources.osimage import osimage_steps
from xclone.drivers.xcat.servicenodes import Extra, Served
from xclone.plan.action import Step, StepRef
from xclone.plan.context import Context
from xclone.plan.kinds import Kind
from xclone.spec.model import Lpar


class LparSteps:
    """Builds the steps of one LPAR: each waits for this LPAR's own earlier steps it needs
    (`own`) and for the steps of the resources it uses when the plan has any (`uses`)."""

    def __init__(self, ctx: Context, lpar: Lpar, served: Served | None = None) -> None:
        self.ctx, self.lpar, self.name = ctx, lpar, lpar.name
        self.mn = ctx.mn  # a property that walks the spec: read once, not once per step
        self.sn_extra = served.extra if served is not None else ()
        self.hw_extra = servicenodes.hcp_extra(ctx.spec, lpar)
        self.nim_host = served.host if served is not None else ctx.mn  # where its NIM is
        self.address = Address("lpar", lpar.name)
        self.steps: list[Step] = []
        self.keys: dict[Kind, StepRef] = {}  # an LPAR has at most one step of a kind
        self.node_uses = _node_uses(lpar.hmc, lpar.cec, lpar.groups, lpar.network)
        self.network_uses = network_steps(lpar.network) if lpar.network else ()
        self.install_uses = _install_uses(lpar.osimage, lpar.groups)
        self.served = served

    def own(self, *kinds: ActionKind) -> tuple[StepRef, ...]:
        """This LPAR's steps so far of these kinds (a kind it has no step of is left out)."""
        keys = self.keys
        return tuple([keys[k] for k in kinds if k in keys])

    def extend(self, steps: tuple[Step, ...]) -> None:
        self.steps.extend(steps)
        self.keys.update((step.kind, step.key) for step in steps)

    def add(
        self,
        kind: ActionKind,
        before: tuple[str, ...],
        after_words: tuple[str, ...] = (),
        *,
        after: tuple[StepRef, ...] = (),
        uses: tuple[StepRef, ...] = (),
        destructive: bool = False,
        reason: str = "",
        stdin: str | None = None,
        timeout: int = 600,
        stall: int | None = None,
        extra: tuple[tuple[str, str], ...] = (),
    ) -> None:
        lpar = self.lpar
        step = Step(
            kind,
            self.mn,
            before,
            after_words,
            node=self.name,
            stdin=stdin,
            address=self.address,
            destructive=destructive,
            reason=reason,
            after=after,
            after_if_planned=uses,
            timeout=timeout,
            stall=stall,
            extra=_extra(kind, lpar.hmc, lpar.cec, self.served is not None, extra,
                         self.sn_extra, self.hw_extra),
        )
        self.steps.append(step)
        self.keys[kind] = step.key


@lru_cache(maxsize=4096)
def _extra(kind: ActionKind, hmc: str, cec: str, served: bool, extra: Extra, sn_extra: Extra,
           hw_extra: Extra) -> Extra:
    """A step's batch extra: `extra` with its batch of `kind` (batching.py), sorted, then its
    service nodes' (servicenodes.py). The same few values for every LPAR of one managed system:
    computed (and the tuple kept) once per system and kind, not once per step of 80,000."""
    mine = batching.extra(kind, hmc, cec, served=served)
    own = tuple(sorted((*extra, *mine))) if mine else extra
    return servicenodes.step_extra(kind, own, sn_extra, hw_extra)


@cache  # LPARs of one range share these: one tuple, not one per LPAR
def _node_uses(hmc: str, cec: str, groups: tuple[str, ...],
               network: str | None) -> tuple[StepRef, ...]:
    """What a node's definition names: its HMC, CEC, groups and network."""
    return (
        *hmc_steps(hmc),
        *cec_steps(cec),
        *(ref for g in groups for ref in group_steps(g)),
        *(network_steps(network) if network else ()),
    )


@cache
def _install_uses(osimage: str | None, groups: tuple[str, ...]) -> tuple[StepRef, ...]:
    """What an install reads: the osimage and the groups' postscripts."""
    return (
        *(osimage_steps(osimage) if osimage else ()),
        *(ref for g in groups for ref in group_steps(g)),
    )
