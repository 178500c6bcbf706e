"""Adoption's plain data, the same for every driver: the objects `xclone import SPEC ADDR|--all`
marks as xclone's, and the plan document that runs the marks.

Which objects a driver marks, and the command that writes each mark, are the driver's (its
`adopt`, drivers/marks.py); what a mark is never changes: the ownership mark (`xclone:<cluster>`,
base/mark.py) added to the attribute that holds it, keeping the text already there. The apply
session runs the document with the same runner, result judge, journal and lock as apply.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from xclone.base.address import Address
from xclone.base.command import Command
from xclone.base.errors import XcloneError
from xclone.plan.action import MN_ENV, Action
from xclone.plan.document import Plan
from xclone.plan.kinds import Kind
from xclone.plan.planner import spec_digest
from xclone.spec import Spec

# A mark is one small attribute change: it never needs the planner's 600 s default.
MARK_TIMEOUT = 120


@dataclass(frozen=True)
class Adoption:
    """One object to mark: where it lives, the attribute holding the mark (`field`) before
    and after, any extra attribute the same command sets, and that command's words (`argv`,
    the driver's)."""

    address: str
    system: str  # who holds it, for people: xCAT or NIM
    type: str  # xCAT object type, or NIM class
    name: str
    field: str
    before: str
    after: str
    argv: tuple[str, ...]
    extra: tuple[tuple[str, str], ...] = ()
    host: str | None = None  # the NIM master holding it (an install server); None: the MN

    def command(self) -> Command:
        return Command(self.argv, MN_ENV)

    def describe(self) -> str:
        extra = "".join(f", {k}: {v!r}" for k, v in self.extra)
        on = f" on {self.host}" if self.host else ""
        return (f"{self.address}: {self.system} {self.type} {self.name}{on}: "
                f"{self.field} {self.before!r} -> {self.after!r}{extra}")


@dataclass(frozen=True)
class AdoptionPlan:
    adoptions: tuple[Adoption, ...]
    notes: tuple[str, ...]  # what is already adopted or missing (the plan creates it)


def with_mark(text: str, mark: str) -> str:
    """The attribute's text with the mark added after what an administrator wrote there."""
    return f"{text.strip()} {mark}" if text.strip() else mark


def adopt_each(known: list[str], addresses: tuple[str, ...], held: str,
               adopt: Callable[[Address], tuple[list[Adoption], list[str]]]) -> AdoptionPlan:
    """The loop of every driver's adoption: `addresses` (all of `known`, the driver's addresses
    of the spec, when empty) each through `adopt` (its marks and notes), in the order given.
    XcloneError, before anything is looked at, for an address that is not `held` (the message's
    words for what `known` holds)."""
    wanted = list(addresses) or known
    for text in wanted:
        if text not in known:
            raise XcloneError(f"{text}: not {held} (it has: "
                              f"{', '.join(known[:8])}{', ...' if len(known) > 8 else ''})")
    adoptions: list[Adoption] = []
    notes: list[str] = []
    for text in wanted:
        found, said = adopt(Address.parse(text))
        adoptions += found
        notes += said
    return AdoptionPlan(tuple(adoptions), tuple(notes))


def marks_plan(adoption: AdoptionPlan, spec: Spec, observed_digest: str,
               kind: Callable[[Adoption], Kind]) -> Plan:
    """The marks as a plan document: one independent action per object, on the host holding
    it (the adoption's `host`, else the management node), of the driver's `kind` for it. It
    holds no resource changes: a mark changes who owns an object, not what the spec wants."""
    actions = tuple(
        Action(id=f"mark{index}", kind=kind(a), host=a.host or spec.management_node.host,
               before=a.argv, after_words=(), nodes=(), stdin_parts=(),
               addresses=(Address.parse(a.address),), depends_on=(), destructive=False,
               reasons=(a.describe(),), timeout=MARK_TIMEOUT, env=MN_ENV)
        for index, a in enumerate(adoption.adoptions, start=1))
    return Plan(spec.cluster, spec_digest(spec), observed_digest, (), actions)
