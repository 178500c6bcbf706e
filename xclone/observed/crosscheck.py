"""Cross-checks of one observation before any plan is made: outputs that cannot be whole.

A plan is a diff against what the probes printed, so a listing that lost objects (cut short,
empty, answered in another locale) turns into re-creations and reinstalls of running LPARs
(issue 11). The probes overlap on purpose: xCAT group `members` name existing nodes only (xCAT
computes them from the node table), and every NIM machine xclone made came from an xCAT node
(`xcat2nim`), carrying the cluster's mark in `comments`. HMC partitions carry no mark; they are
tied to xCAT nodes by the node's `hcp`, `parent` and `id`, which the planner checks per LPAR.
A failed check is an error naming the probe and host: never a plan.
"""

from __future__ import annotations

from collections.abc import Sequence

from xclone.base.errors import XcloneError
from xclone.base.remote import Result
from xclone.observed.model import Observed, Partition
from xclone.observed.probes import Probe

# C0 controls other than TAB/LF/CR, and the replacement character a decoder puts in place of
# bytes it could not read: neither xCAT, NIM nor the HMC prints them in a listing.
_BAD_CHARS = frozenset(chr(c) for c in range(32) if chr(c) not in "\t\n\r") | {"\ufffd"}

REFUSED = "no plan was made"


def _where(entry: Result) -> str:
    return f"{entry.host}: `{entry.command}`"


def check_text(entry: Result) -> None:
    """Output a decoder mangled (U+FFFD, control characters) or that ends in the middle of a
    line (every listing ends with a newline): what it says cannot be trusted."""
    for no, line in enumerate(entry.stdout.splitlines(), start=1):
        bad = next((c for c in line if c in _BAD_CHARS), None)
        if bad is not None:
            what = "an undecodable byte (U+FFFD)" if bad == "\ufffd" else f"control {bad!r}"
            raise XcloneError(f"{_where(entry)}: output line {no} holds {what}: the output was "
                              f"garbled on the way; {REFUSED}")
    if entry.stdout and not entry.stdout.endswith("\n"):
        raise XcloneError(f"{_where(entry)}: output ends in the middle of a line: it was cut "
                          f"short; {REFUSED}")


def _node_probe(probes: Sequence[Probe], entries: Sequence[Result]) -> Result | None:
    for probe, entry in zip(probes, entries, strict=True):
        if probe.kind == "xcat_stanzas" and probe.xcat_type == "node":
            return entry
    return None


def _said(entry: Result) -> str:
    text = " ".join(line.strip() for line in entry.stderr.splitlines() if line.strip())
    return f" (it printed only {text!r} on stderr)" if text and not entry.stdout.strip() else ""


def check_overlaps(observed: Observed, probes: Sequence[Probe], entries: Sequence[Result],
                   mark: str) -> None:
    """The node listing holds every node the other probes name: group members, and NIM machines
    carrying `mark`. A miss means the listing is incomplete (or the cluster changed during
    observation); the message says which and how to go on when a node was removed on purpose."""
    node_entry = _node_probe(probes, entries)
    if node_entry is None:
        return
    nodes = observed.xcat.get("node", {})
    where = _where(node_entry)
    said = _said(node_entry)
    for group in sorted(observed.xcat.get("group", {}).values(), key=lambda g: g.name):
        missing = sorted(m for m in group.get("members").split(",") if m and m not in nodes)
        if missing:
            raise XcloneError(
                f"{where} lists {len(nodes)} node(s){said}, but `lsdef -t group` shows group "
                f"{group.name} with members {', '.join(missing[:5])} that it does not list: the "
                f"node listing is incomplete or changed during observation; {REFUSED}. Run "
                "plan again; if it repeats, check `lsdef -t node -z` on the management node."
            )
    if not mark:
        return
    machines = sorted(
        o.name for o in observed.nim.values()
        if o.cls == "machines" and mark in o.get("comments").split() and o.name not in nodes
    )
    if machines:
        shown = ", ".join(machines[:5]) + (" ..." if len(machines) > 5 else "")
        raise XcloneError(
            f"{where} lists {len(nodes)} node(s){said}, but `lsnim -l` shows {len(machines)} NIM "
            f"machine(s) marked {mark} with no xCAT node: {shown}. The node listing is "
            f"incomplete; {REFUSED}. If such a node was removed from xCAT on purpose, remove its "
            "NIM machine too (`nim -o remove NAME`) and plan again."
        )


def check_partitions(entry: Result, partitions: Sequence[Partition]) -> None:
    """A managed system holds each partition name and id once: a repeat is a garbled listing."""
    for label, values in (("name", [p.name for p in partitions]),
                          ("id", [str(p.lpar_id) for p in partitions])):
        seen: set[str] = set()
        for value in values:
            if value in seen:
                raise XcloneError(f"{_where(entry)}: partition {label} {value} appears twice: "
                                  f"the listing is garbled; {REFUSED}")
            seen.add(value)
