"""What every NIM resource planner shares: where a step runs, the names of the resources xclone
makes, and the step references other planners wait for.

Every NIM command runs on the master (`LC_ALL=C`, so messages are parseable); every HMC command
runs on that HMC with no environment prefix, which its restricted shell refuses (Step.env).
NIM takes one object per command: a step for one LPAR names it as its node (Action.command puts
it in its place among the words), so that a failure stops that LPAR's branch only, and such a
step is never merged with another LPAR's (Step.batch_key); only the install wait lists several
(`lsnim -l NODE...`).
"""

from __future__ import annotations

from functools import cache

from xclone.base.address import Address
from xclone.drivers.nim.kinds import ActionKind
from xclone.plan.action import Step, StepRef
from xclone.plan.context import Context
from xclone.spec.model import Osimage

NIM_MACHINES, NIM_RESOURCES, NIM_NETWORKS = "machines", "resources", "networks"
REACH = "reach"  # the detail of the step giving the master its way to a network (reach.py)


def master_step(ctx: Context, kind: ActionKind, words: tuple[str, ...], address: Address, *,
                reason: str, after: tuple[StepRef, ...] = (),
                uses: tuple[StepRef, ...] = (), detail: str = "", stdin: str | None = None,
                timeout: int = 600, destructive: bool = False, node: str | None = None) -> Step:
    """A command on the NIM master (management_node.host) under LC_ALL=C. `after` must be in
    the plan; `uses` are waited for when planned (Step.after_if_planned); `node`: the LPAR the
    command ends with."""
    return Step(kind, ctx.mn, words, address=address, detail=detail, stdin=stdin,
                reason=reason, after=after, after_if_planned=uses, timeout=timeout,
                destructive=destructive, node=node)


def hmc_step(ctx: Context, hmc: str, kind: ActionKind, words: tuple[str, ...],
             address: Address, *, node: str, reason: str, after: tuple[StepRef, ...],
             after_words: tuple[str, ...] = (), destructive: bool = False,
             timeout: int = 600, detail: str = "",
             extra: tuple[tuple[str, str], ...] = ()) -> Step:
    """A command on an HMC about partition `node` (between `words` and `after_words`): no
    environment prefix (the restricted shell takes none). `detail` tells apart two steps of
    one kind for one LPAR (the MAC discovery's boot and the install's)."""
    return Step(kind, ctx.spec.hmcs[hmc].host, words, after_words, address=address, env=(),
                node=node, reason=reason, after=after, destructive=destructive,
                timeout=timeout, detail=detail, extra=extra)


def define(ctx: Context, kind: ActionKind, nim_type: str, name: str,
           attrs: tuple[tuple[str, str], ...], address: Address, *, reason: str,
           after: tuple[StepRef, ...] = (), uses: tuple[StepRef, ...] = (),
           detail: str = "", timeout: int = 600, node: bool = False) -> Step:
    """`nim -o define -t TYPE -a attr=value ... -a comments=MARK NAME`: the mark is written at
    define time, so an object xclone made is never unmarked, even for a moment. `node`: NAME
    is an LPAR, the step's node."""
    words = ["nim", "-o", "define", "-t", nim_type]
    for attr, value in (*attrs, ("comments", ctx.mark)):
        words += ["-a", f"{attr}={value}"]
    if not node:
        words.append(name)
    return master_step(ctx, kind, tuple(words), address, reason=reason, after=after,
                       uses=uses, detail=detail, timeout=timeout,
                       node=name if node else None)


def remove(ctx: Context, name: str, address: Address, after: tuple[StepRef, ...],
           reason: str, detail: str = "") -> Step:
    return master_step(ctx, ActionKind.NIM_REMOVE, ("nim", "-o", "remove", name), address,
                       detail=detail, after=after, reason=reason)


def mksysb_name(image: str) -> str:
    return f"{image}_mksysb"


def spot_name(image: str, img: Osimage) -> str:
    """The named SPOT, or `<image>_spot` that xclone builds from the mksysb."""
    return f"{image}_spot" if img.creates_spot else str(img.spot)


def bosinst_name(image: str, img: Osimage) -> str:
    """The spec's own bosinst_data resource, or `<image>_bid` that xclone generates."""
    return img.bosinst_data or f"{image}_bid"


def made_names(image: str) -> tuple[str, ...]:
    """The NIM resources xclone makes for osimage `image`, in removal order."""
    return (f"{image}_bid", f"{image}_spot", mksysb_name(image))


@cache  # one tuple per image, not one per LPAR installed from it
def image_steps(image: str) -> tuple[StepRef, ...]:
    """The steps that make osimage `image`'s resources, for its installs to wait for."""
    address = Address("osimage", image)
    return tuple(StepRef(k, address) for k in (
        ActionKind.NIM_DEFINE_MKSYSB, ActionKind.NIM_DEFINE_SPOT, ActionKind.NIM_DEFINE_BOSINST))


@cache
def network_steps(name: str) -> tuple[StepRef, ...]:
    """The steps that give NIM spec network `name` and the master a way to it (its interface
    or a route: reach.py), for its machines to wait for."""
    address = Address("network", name)
    return (StepRef(ActionKind.NIM_DEFINE_NETWORK, address),
            StepRef(ActionKind.NIM_CHANGE_MASTER, address, REACH),
            StepRef(ActionKind.NIM_CHANGE_NETWORK, address, REACH))


def script_step(owner: Address, script: str) -> StepRef:
    return StepRef(ActionKind.NIM_DEFINE_SCRIPT, owner, script)
