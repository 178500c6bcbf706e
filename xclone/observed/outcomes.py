"""Per-node results of one batched noderange command, judged from its own lines, never by position.

xCAT goes on with the other nodes when one fails (FORMATS §1.3, §5.1-2): the hardware commands
(rpower, getmacs, rnetboot) print `node: text` on stdout with no `Error:` and only the text tells
success from failure; plugin errors print `node: Error: text` on stderr; AIX plugins name the node
inside quotes (`... failed for 'node01'.`). Lines arrive in completion order and a node's text may
span lines (getmacs), so each line is attached to the node it names.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from xclone.observed.messages import Message, classify, strip_prefixes

SUCCESS_TEXTS = frozenset({"Success"})
# What `rpower stat` answers (the raw HMC state): good answers for that command, pass them in.
LPAR_STATES = frozenset({
    "Not Activated", "Starting", "Running", "Shutting Down", "Open Firmware", "Error",
    "Not Available", "Hardware Discovery", "Migrating - Running", "Migrating - Not Activated",
    "Suspended", "Suspending", "Resuming", "Operating",
})

_NODE_LINE = re.compile(r"^(?P<node>[^\s:]+): ?(?P<text>.*)$")
_ADAPTER = re.compile(r"^(ent|hfi-ent)\s")
_SERVER_TAG = re.compile(r"^\[[^\]]+\]:\s?")


@dataclass(frozen=True)
class NodeOutcome:
    node: str
    ok: bool
    text: str  # the node's own text (lines joined), or the general error that decided it
    codes: tuple[str, ...] = ()


@dataclass
class _Seen:
    stdout: list[str]
    errors: list[Message]
    adapters: int = 0


def _own_text(text: str) -> str:
    return _SERVER_TAG.sub("", text.strip())


def _read_stdout(stdout: str, seen: dict[str, _Seen]) -> list[str]:
    """Attach stdout lines to nodes; return the lines that name none (PPC precondition texts)."""
    unattached: list[str] = []
    last: str | None = None
    text_open = False
    for line in stdout.splitlines():
        if not line.strip():
            text_open = False
            continue
        m = _NODE_LINE.match(line)
        if m and m["node"] in seen:
            last, text_open = m["node"], True
            seen[last].stdout.append(_own_text(m["text"]))
        elif last is not None and _ADAPTER.match(line):
            seen[last].adapters += 1
        elif line.lstrip().startswith("#"):
            continue
        elif last is not None and text_open:
            seen[last].stdout.append(line.strip())
        else:
            unattached.append(line.strip())
    return unattached


def _read_stderr(stderr: str, seen: dict[str, _Seen], mn: str | None) -> list[Message]:
    general: list[Message] = []
    for line in stderr.splitlines():
        if not line.strip():
            continue
        m = _NODE_LINE.match(line.strip())
        if m and m["node"] in seen:
            message = classify(m["text"], mn)
            seen[m["node"]].errors.append(message)
            continue
        message = classify(line, mn)
        if message.severity != "error":
            continue
        m = _NODE_LINE.match(message.text)
        named = [m["node"]] if m and m["node"] in seen else _quoted_nodes(message.text, seen)
        for node in named:
            seen[node].errors.append(message)
        if not named:
            general.append(message)
    return general


def _quoted_nodes(text: str, nodes: Collection[str]) -> list[str]:
    quoted = set(re.findall(r"['\"]([^'\"\s]+?)\.?['\"]", text))
    return sorted(quoted & set(nodes))


@dataclass(frozen=True)
class _Batch:
    exit_status: int
    general: tuple[Message, ...]  # errors that name no node: they decide for silent nodes
    stdout_rest: tuple[str, ...]  # stdout lines that name no node, to explain a failure
    explained: bool  # some node has its own error line, so the exit status is accounted for


def _judge(node: str, seen: _Seen, batch: _Batch, good_texts: Collection[str]) -> NodeOutcome:
    if seen.errors:
        text = "\n".join(m.text for m in seen.errors)
        return NodeOutcome(node, False, text, tuple(m.code for m in seen.errors if m.code))
    if seen.stdout:
        first, text = seen.stdout[0], "\n".join(t for t in seen.stdout if t)
        ok = first in good_texts or (not first and seen.adapters > 0 and len(seen.stdout) == 1)
        codes = tuple(c for c in (classify(t).code for t in seen.stdout) if c)
        return NodeOutcome(node, ok, text, codes)
    if batch.general:
        text = "\n".join(m.text for m in batch.general)
        return NodeOutcome(node, False, text, tuple(m.code for m in batch.general if m.code))
    if batch.exit_status == 0 or batch.explained:
        return NodeOutcome(node, True, "")
    text = "\n".join(batch.stdout_rest) or f"no result for this node (exit {batch.exit_status})"
    return NodeOutcome(node, False, text)


def node_outcomes(
    stdout: str,
    stderr: str,
    exit_status: int,
    nodes: Iterable[str],
    *,
    good_texts: Collection[str] = SUCCESS_TEXTS,
    mn: str | None = None,
) -> dict[str, NodeOutcome]:
    """Judge each node of a batch. A node is good when its own first line is a good text (or, for
    getmacs, an empty text followed by adapter lines), or, with no line of its own, when the
    command exited 0 or its errors all named other nodes. Anything else is a failure."""
    seen = {node: _Seen([], []) for node in nodes}
    rest = _read_stdout(stdout, seen)
    general = _read_stderr(stderr, seen, mn)
    explained = any(s.errors for s in seen.values())
    batch = _Batch(exit_status, tuple(general), tuple(rest), explained)
    return {node: _judge(node, s, batch, good_texts) for node, s in seen.items()}

__all__ = ["LPAR_STATES", "SUCCESS_TEXTS", "NodeOutcome", "node_outcomes", "strip_prefixes"]
