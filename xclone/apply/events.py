"""Events the executor reports while it runs; the CLI decides how to show them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

EventKind = Literal[
    "start", "done", "partial", "failed", "skipped", "retry", "progress", "interrupted",
]


@dataclass(frozen=True)
class Event:
    kind: EventKind
    action_id: str
    action_kind: str
    message: str = ""
    nodes: tuple[str, ...] = ()
    duration: float = 0.0
    detail: dict[str, str] = field(default_factory=dict)


Sink = Callable[[Event], None]


@dataclass(frozen=True)
class Failure:
    action_id: str
    command: str
    nodes: tuple[str, ...]
    exit_status: int | None
    output: str


@dataclass(frozen=True)
class Summary:
    done: tuple[str, ...]
    failed: tuple[Failure, ...]
    skipped: tuple[tuple[str, str], ...]
    interrupted: tuple[str, ...] = ()
    commands: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed and not self.skipped and not self.interrupted
