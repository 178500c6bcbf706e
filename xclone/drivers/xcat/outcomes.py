"""Per-node results of one batched noderange command, judged from its own lines, never by position.

xCAT goes on with the other nodes when one fails (docs/formats.md "Messages and exit statuses"):
the hardware commands (rpower, getmacs, rnetboot) print `node: text` on stdout with no `Error:` and
only the text tells success from failure; plugin errors print `node: Error: text` on stderr, and
some (xcat2nim, nimnodeset) `Error: text` on stdout with exit status 0, so both streams are read
for errors; AIX plugins name the node inside quotes (`... failed for 'node01'.`). Lines arrive in
completion order and a node's text may span lines (getmacs), so each line is attached to the node
it names.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from xclone.observed.parsers.messages import Message, classify

SUCCESS_TEXTS = frozenset({"Success"})
# What `rpower stat` answers (the raw HMC state): good answers for that command, pass them in.
LPAR_STATES = frozenset({
    "Not Activated", "Starting", "Running", "Shutting Down", "Open Firmware", "Error",
    "Not Available", "Hardware Discovery", "Migrating - Running", "Migrating - Not Activated",
    "Suspended", "Suspending", "Resuming", "Operating",
})

_NODE_LINE = re.compile(r"^(?P<node>[^\s:]+): ?(?P<text>.*)$")
# getmacs adapter rows: the ping test's `ent`/`hfi-ent` lines, and the lshwres-style table of a
# plain getmacs (`virtualio`, `hea`, a DFM node's `HFI`), whose rows break after the MAC on AIX
# (PPCmac.pm/FSPmac.pm format_mac), so a row's indented rest belongs to it.
_ADAPTER = re.compile(r"^(ent|hfi-ent|HFI|virtualio|hea)\s")
_SERVER_TAG = re.compile(r"^\[[^\]]+\]:\s?")
_QUOTED = re.compile(r"['\"]([^'\"\s]+?)\.?['\"]")


@dataclass(frozen=True)
class NodeOutcome:
    node: str
    ok: bool
    text: str  # the node's own text (lines joined), or the messages that decided for it
    codes: tuple[str, ...] = ()  # message ids seen for this node (0042-NNN, HSCLxxxx)
    kinds: tuple[str, ...] = ()  # their kinds (messages.KNOWN / XCAT_TEXTS): not_found, ...


@dataclass
class _Seen:
    own: list[str] = field(default_factory=list)  # the node's `node: text` block on stdout
    adapters: int = 0  # getmacs adapter lines in that block
    errors: list[Message] = field(default_factory=list)  # errors naming the node
    mentions: list[Message] = field(default_factory=list)  # other lines quoting the node


def _named(text: str, seen: dict[str, _Seen]) -> list[str]:
    m = _NODE_LINE.match(text)
    if m and m["node"] in seen:
        return [m["node"]]
    return sorted(set(_QUOTED.findall(text)) & seen.keys())


def _read_stdout(stdout: str, seen: dict[str, _Seen], mn: str | None
                 ) -> tuple[list[Message], list[Message]]:
    """Attach stdout lines to nodes; return the lines that name none (PPC precondition texts)
    and the `Error:` lines that name none: xCAT plugins print errors on stdout too, with exit
    status 0 (xcat2nim, nimnodeset), so an error is an error on either stream."""
    general: list[Message] = []
    errors: list[Message] = []
    last: str | None = None
    text_open = False  # a blank line closes a node's text block
    row_open = False  # the line before was a getmacs adapter row
    for line in stdout.splitlines():
        if not line.strip():
            text_open = row_open = False
            continue
        m = _NODE_LINE.match(line)
        continued, row_open = row_open and line[:1].isspace(), False
        if continued:
            continue
        if m and m["node"] in seen:
            last, text_open = m["node"], True
            seen[last].own.append(_SERVER_TAG.sub("", m["text"].strip()))
        elif last is not None and _ADAPTER.match(line):
            seen[last].adapters += 1
            row_open = True
        elif line.lstrip().startswith("#"):
            continue
        elif last is not None and text_open:
            seen[last].own.append(line.strip())
        else:
            message = classify(line, mn)
            named = _named(message.text, seen)
            is_error = message.severity == "error"
            for node in named:
                (seen[node].errors if is_error else seen[node].mentions).append(message)
            if not named:
                (errors if is_error else general).append(message)
    return general, errors


def _read_stderr(stderr: str, seen: dict[str, _Seen], mn: str | None) -> list[Message]:
    """Attach error lines to the nodes they name; return the errors that name none."""
    general: list[Message] = []
    for line in stderr.splitlines():
        if not line.strip():
            continue
        m = _NODE_LINE.match(line.strip())
        if m and m["node"] in seen:
            seen[m["node"]].errors.append(classify(m["text"], mn))
            continue
        message = classify(line, mn)
        if message.severity != "error":
            continue
        named = _named(message.text, seen)
        for node in named:
            seen[node].errors.append(message)
        if not named:
            general.append(message)
    return general


@dataclass(frozen=True)
class _Batch:
    exit_status: int
    general_errors: tuple[Message, ...]  # stderr errors naming no node: they fail silent nodes
    general_lines: tuple[Message, ...]  # stdout lines naming no node, to explain a failure
    explained: bool  # some node has its own error, so a non-zero exit is accounted for


def _outcome(node: str, ok: bool, messages: Iterable[Message], own: list[str] | None = None
             ) -> NodeOutcome:
    """The node's own text when it has one, else the texts of the messages that decided."""
    messages = tuple(messages)
    texts = own if own is not None else [m.text for m in messages]
    text = "\n".join(t for t in texts if t)
    codes = tuple(m.code for m in messages if m.code)
    kinds = tuple(m.kind for m in messages if m.kind)
    return NodeOutcome(node, ok, text, codes, kinds)


def _judge(node: str, seen: _Seen, batch: _Batch, good_texts: Collection[str]) -> NodeOutcome:
    if seen.errors:
        return _outcome(node, False, [*seen.mentions, *seen.errors])
    if seen.own:
        first = seen.own[0]
        getmacs_ok = not first and seen.adapters > 0 and not any(seen.own[1:])
        own_messages = [classify(t) for t in seen.own if t]
        return _outcome(node, first in good_texts or getmacs_ok, own_messages, seen.own)
    if batch.general_errors:
        return _outcome(node, False, [*seen.mentions, *batch.general_errors])
    if batch.exit_status == 0 or batch.explained:
        return _outcome(node, True, seen.mentions)
    explanation = seen.mentions or list(batch.general_lines)
    if not explanation:
        return NodeOutcome(node, False, f"no result for this node (exit {batch.exit_status})")
    return _outcome(node, False, explanation)


def node_outcomes(
    stdout: str,
    stderr: str,
    exit_status: int,
    nodes: Iterable[str],
    *,
    good_texts: Collection[str] = SUCCESS_TEXTS,
    mn: str | None = None,
) -> dict[str, NodeOutcome]:
    """Judge each node of a batch. A node with its own `node: text` line is good when that text is
    a good text (or, for getmacs, empty and followed by adapter lines). A node without a line of
    its own is good when the command exited 0, or when every error named other nodes."""
    seen = {node: _Seen() for node in nodes}
    general_lines, stdout_errors = _read_stdout(stdout, seen, mn)
    general_errors = stdout_errors + _read_stderr(stderr, seen, mn)
    explained = any(s.errors for s in seen.values())
    batch = _Batch(exit_status, tuple(general_errors), tuple(general_lines), explained)
    return {node: _judge(node, s, batch, good_texts) for node, s in seen.items()}
