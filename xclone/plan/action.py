"""Actions: one concrete command on one host, with what it depends on and whom it may hurt.

A node-scoped action keeps its nodes apart from its other words, so that the executor can run the
same command again for a subset of the nodes after a partial failure of the step before.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import KW_ONLY, dataclass, field
from typing import Any, NamedTuple

from xclone.base.address import Address
from xclone.base.command import C_LOCALE, Command
from xclone.base.noderange import compact
from xclone.plan.kinds import Kind

MN_ENV = C_LOCALE

# How the executor treats an action beyond "run it once" (the JSON `mode`, from the kind).
RUN = "run"
WAIT_INSTALL = "wait-install"


class StepRef(NamedTuple):
    """Names one step: its kind and the resource it is for, plus a detail where one resource
    has several steps of one kind (the NIM resources an osimage's cleanup removes). A tuple, so
    that the graph of 70,000 steps hashes its keys at the speed of strings."""

    kind: Kind
    address: Address
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.kind} of {self.address}" + (f" ({self.detail})" if self.detail else "")


@dataclass(frozen=True, slots=True)
class Step:
    """A fine-grained action for one resource, before batching; `key` names it.

    `after` lists steps that this plan must hold (a missing one is a planner bug, and building
    the graph fails on it); `after_if_planned` lists steps of resources that may already be as
    the spec wants them, so that this plan has no step for them: those are waited for only when
    planned. `ordered_after` and `ordered_after_if_planned` are order only, with the same two
    rules: this step starts after them but does not need them to succeed (a failure there skips
    nothing here), as make's order-only prerequisites; for limits shared by independent work
    (an HMC's sessions, a server's installs at once)."""

    kind: Kind
    host: str
    before: tuple[str, ...]
    after_words: tuple[str, ...] = ()
    _: KW_ONLY
    address: Address
    detail: str = ""
    node: str | None = None
    stdin: str | None = None
    destructive: bool = False
    reason: str = ""
    after: tuple[StepRef, ...] = ()
    after_if_planned: tuple[StepRef, ...] = ()
    ordered_after: tuple[StepRef, ...] = ()
    ordered_after_if_planned: tuple[StepRef, ...] = ()
    timeout: int = 600
    stall: int | None = None  # a polled wait's no-progress limit (site.timeouts.install_stall)
    # The HMC's restricted shell takes no environment prefix: HMC steps set env=().
    env: tuple[tuple[str, str], ...] = MN_ENV
    extra: tuple[tuple[str, str], ...] = ()
    key: StepRef = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", StepRef(self.kind, self.address, self.detail))

    def but(self, **changes: Any) -> Step:
        """This step with `changes`, as `dataclasses.replace` makes it but without its walk of
        the fields and a second run of `__init__`: the batching rules copy ~25,000 steps of a
        10,000-LPAR plan. A change to what the key is made of goes through `replace` (which
        makes the key again), as does an unknown name (which it refuses)."""
        if not changes.keys() <= _COPIED:
            return dataclasses.replace(self, **changes)
        copy = object.__new__(Step)
        for name in _SLOTS:
            _set(copy, name, changes[name] if name in changes else getattr(self, name))
        return copy

    def batch_key(self) -> tuple[object, ...]:
        # A kind that names one object per command (no noderange, not a polled wait: NIM's
        # `nim -o bos_inst ... NAME`) keeps each node's step an action of its own.
        alone = None if self.kind.noderange or self.kind.polled else self.node
        return (
            self.kind,
            self.host,
            self.before,
            self.after_words,
            self.node is None,
            self.env,
            self.extra,
            alone,
        )


_SLOTS = Step.__slots__
_COPIED = frozenset(_SLOTS) - {"kind", "address", "detail", "key"}
_set = object.__setattr__  # a frozen dataclass's own way to set a slot


@dataclass(frozen=True)
class Action:
    """A batched command. `nodes` are the noderange members (empty when the command names no
    nodes); `stdin_parts` are the per-node parts of commands that read their objects on stdin.
    `depends_on` must have succeeded (a failure there skips this); `ordered_after` must only
    have ended, in any way: an order between independent commands, never a need."""

    id: str
    kind: Kind
    host: str
    before: tuple[str, ...]
    after_words: tuple[str, ...]
    nodes: tuple[str, ...]
    stdin_parts: tuple[tuple[str, str], ...]
    addresses: tuple[Address, ...]
    depends_on: tuple[str, ...]
    destructive: bool
    reasons: tuple[str, ...]
    timeout: int = 600
    env: tuple[tuple[str, str], ...] = MN_ENV
    # A polled wait's no-progress limit: in the plan, so a saved plan applies with its own.
    stall: int | None = None
    # What the driver needs at apply time that is not a word of the command, as sorted
    # (key, value) pairs: e.g. the HMC and managed system whose reference codes an install
    # wait also polls. In the batch key, so one action never mixes two values.
    extra: tuple[tuple[str, str], ...] = ()
    ordered_after: tuple[str, ...] = ()

    def extra_value(self, key: str) -> str | None:
        return dict(self.extra).get(key)

    @property
    def mode(self) -> str:
        return WAIT_INSTALL if self.kind.polled else RUN

    def command(self, nodes: Iterable[str] | None = None) -> Command:
        """The command for all nodes, or for the subset still worth running."""
        chosen = tuple(self.nodes if nodes is None else sorted(set(nodes) & set(self.nodes)))
        words = list(self.before)
        if self.nodes and not self.stdin_parts:
            if self.kind.noderange:
                words.append(compact(chosen))
            else:
                words.extend(chosen)
        words.extend(self.after_words)
        stdin = None
        if self.stdin_parts:
            keep = set(chosen) if self.nodes else None
            stdin = "".join(t for n, t in self.stdin_parts if keep is None or n in keep)
        return Command(tuple(words), self.env, stdin)
