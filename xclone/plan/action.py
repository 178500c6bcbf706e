"""Actions: one concrete command on one host, with what it depends on and whom it may hurt.

A node-scoped action keeps its nodes apart from its other words, so that the executor can run the
same command again for a subset of the nodes after a partial failure of the step before.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from xclone.base.command import Command
from xclone.base.noderange import compact

MN_ENV = (("LC_ALL", "C"),)

# How the executor treats an action beyond "run it once".
RUN = "run"
WAIT_INSTALL = "wait-install"


@dataclass(frozen=True)
class Step:
    """A fine-grained action for one resource, before batching. `key` names it for `after`
    references; a reference to a key no resource emitted means "already done"."""

    key: tuple[str, ...]
    kind: str
    host: str
    before: tuple[str, ...]
    after_words: tuple[str, ...] = ()
    node: str | None = None
    stdin: str | None = None
    address: str = ""
    destructive: bool = False
    reason: str = ""
    after: tuple[tuple[str, ...], ...] = ()
    mode: str = RUN
    timeout: int = 600

    def batch_key(self) -> tuple[object, ...]:
        return (
            self.kind,
            self.host,
            self.before,
            self.after_words,
            self.mode,
            self.node is None,
        )


@dataclass(frozen=True)
class Action:
    """A batched command. `nodes` are the noderange members (empty when the command names no
    nodes); `stdin_parts` are the per-node stanzas for `mkdef -z`-style commands."""

    id: str
    kind: str
    host: str
    before: tuple[str, ...]
    after_words: tuple[str, ...]
    nodes: tuple[str, ...]
    stdin_parts: tuple[tuple[str, str], ...]
    addresses: tuple[str, ...]
    depends_on: tuple[str, ...]
    destructive: bool
    reasons: tuple[str, ...]
    mode: str = RUN
    timeout: int = 600
    env: tuple[tuple[str, str], ...] = MN_ENV

    def command(self, nodes: Iterable[str] | None = None) -> Command:
        """The command for all nodes, or for the subset still worth running."""
        chosen = tuple(self.nodes if nodes is None else sorted(set(nodes) & set(self.nodes)))
        words = list(self.before)
        if self.nodes and not self.stdin_parts:
            words.append(compact(chosen))
        words.extend(self.after_words)
        stdin = None
        if self.stdin_parts:
            keep = set(chosen) if self.nodes else None
            stdin = "".join(t for n, t in self.stdin_parts if keep is None or n in keep)
        return Command(tuple(words), self.env, stdin)
