"""Adapter lists from `getmacs -D` (xCAT, per node) and the HMC's `lpar_netboot -M` (one LPAR).

Headers differ by release (TAB placement, `Device Type`, a trailing blank line) and between xCAT
and the HMC, so only the `ent`/`hfi-ent` data lines are read: type, location code, MAC (field 3),
Open Firmware path, then an optional ping result and device type. MACs take the canonical form
of xclone.base.mac, the form both sides of a diff compare.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from xclone.base.mac import attribute_macs
from xclone.observed.parsers.errors import fail

_ADAPTER = re.compile(r"^(ent|hfi-ent)\s")
_NODE_LINE = re.compile(r"^(?P<node>[^\s:#]+): ?(?:\[[^\]]+\]: ?)?(?P<text>.*)$")
_NETBOOT_FAILURE = re.compile(r"^lpar_netboot(?: Status)?: ?(?P<reason>.*)$")
_PING_RESULTS = frozenset({"successful", "unsuccessful", "n/a"})


@dataclass(frozen=True)
class Adapter:
    type: str
    location: str
    macs: tuple[str, ...]
    path: str
    ping: str  # successful | unsuccessful | n/a | "" (no ping test)
    device_type: str  # virtual | physical | "" (older headers)

    @property
    def mac(self) -> str:
        return self.macs[0]


@dataclass(frozen=True)
class NodeMacs:
    """One node's block of getmacs output; `message` is its text when it is not an adapter list
    (a failure such as `Node not found, lparid=7`, or the empty text of an unreachable console)."""

    node: str
    adapters: tuple[Adapter, ...]
    message: str

    def chosen_mac(self) -> str | None:
        """The MAC getmacs stores: the first adapter that answered the ping, else the first."""
        for adapter in self.adapters:
            if adapter.ping == "successful":
                return adapter.mac
        return self.adapters[0].mac if self.adapters else None


@dataclass(frozen=True)
class GetmacsOutput:
    nodes: Mapping[str, NodeMacs]
    other_lines: tuple[str, ...]  # lines without a node prefix (usage, precondition messages)


@dataclass(frozen=True)
class NetbootOutput:
    adapters: tuple[Adapter, ...]
    failure: str  # text of `lpar_netboot: <reason>`, "" when none


def parse_adapter(no: int, line: str) -> Adapter:
    words = line.split()
    if len(words) < 4 or len(words) > 6:
        raise fail(no, line, "adapter line needs type, location, MAC, path [, ping, device type]")
    try:
        macs = attribute_macs(words[2])
    except ValueError as exc:
        raise fail(no, line, str(exc)) from None
    rest = words[4:]
    ping = rest.pop(0) if rest and rest[0] in _PING_RESULTS else ""
    if len(rest) > 1:
        raise fail(no, line, f"unexpected fields {rest!r} after the ping result")
    return Adapter(words[0], words[1], macs, words[3], ping, rest[0] if rest else "")


def parse_getmacs(text: str) -> GetmacsOutput:
    """Read `getmacs NODES -D`: per node a `node: ` line, then header and adapter lines. Blocks
    arrive in completion order; adapter lines belong to the last node line seen."""
    blocks: dict[str, tuple[list[Adapter], list[str]]] = {}
    other: list[str] = []
    last: str | None = None  # adapter lines (even after the 2.10+ blank line) go to this node
    text_open = False  # a blank line closes a node's text; later unprefixed lines are general
    for no, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r")
        if not line.strip():
            text_open = False
            continue
        if _ADAPTER.match(line):
            if last is None:
                raise fail(no, raw, "adapter line before any 'node: ' line")
            blocks[last][0].append(parse_adapter(no, line))
            continue
        if line.lstrip().startswith("#"):
            continue
        node_line = _NODE_LINE.match(line)
        if node_line:
            last, text_open = node_line["node"], True
            texts = blocks.setdefault(last, ([], []))[1]
            if node_line["text"].strip():
                texts.append(node_line["text"].strip())
        elif text_open and last is not None:
            blocks[last][1].append(line.strip())
        else:
            other.append(line.strip())
    nodes = {
        node: NodeMacs(node, tuple(adapters), "\n".join(texts))
        for node, (adapters, texts) in blocks.items()
    }
    return GetmacsOutput(MappingProxyType(nodes), tuple(other))


def parse_lpar_netboot(text: str) -> NetbootOutput:
    """Read the HMC's `lpar_netboot` dialogue: `# ...` progress lines, adapter lines, and a
    closing `lpar_netboot: <reason>` (older tools `lpar_netboot Status: <reason>`) on failure."""
    adapters: list[Adapter] = []
    failure = ""
    for no, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r")
        if _ADAPTER.match(line):
            adapters.append(parse_adapter(no, line))
            continue
        ended = _NETBOOT_FAILURE.match(line.strip())
        if ended:
            failure = ended["reason"].strip()
    return NetbootOutput(tuple(adapters), failure)

