"""Spec diffs for reviewers: text, PR-comment markdown and versioned JSON of a semantic diff.

`xclone diff` reads these before any plan exists, so a pull request shows what a spec change
means (and what it can cost a running LPAR) without contacting the cluster.
"""

from __future__ import annotations

import json
from typing import Any

from xclone.spec.semantic_diff import AttrChange, DiffKind, SpecChange, Value, counts, summary

FORMAT_VERSION = 1


def warning(change: SpecChange) -> str:
    """Why a reviewer should look twice: what the change can cost a running LPAR."""
    if change.type != "lpar":
        return ""
    attrs = {a.name: a for a in change.attributes}
    state = attrs.get("state")
    if change.kind == DiffKind.REMOVE or (state is not None and state.after == "absent"):
        return "LPAR leaves xclone: cleanup removes its xCAT node and NIM machine"
    if change.kind == DiffKind.CHANGE and "osimage" in attrs:
        return "osimage changes: an installed LPAR is reinstalled"
    return ""


def show(value: Value) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return json.dumps(value)


def render_text(changes: tuple[SpecChange, ...]) -> str:
    if not changes:
        return "No changes: both specs describe the same cluster.\n"
    lines: list[str] = []
    for change in changes:
        flag = warning(change)
        lines.append(f"{change.kind.symbol} {change.address}" + (f"  ! {flag}" if flag else ""))
        for a in change.attributes:
            if change.kind == DiffKind.CHANGE:
                lines.append(f"    {a.name}: {show(a.before)} -> {show(a.after)}")
            else:
                shown = a.after if change.kind == DiffKind.ADD else a.before
                lines.append(f"    {a.name}: {show(shown)}")
    lines += ["", summary(changes)]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md_attr(change: SpecChange, attr: AttrChange) -> str:
    if change.kind == DiffKind.CHANGE:
        return f"`{attr.name}`: {show(attr.before)} → {show(attr.after)}"
    return f"`{attr.name}`: {show(attr.after if change.kind == DiffKind.ADD else attr.before)}"


def render_markdown(changes: tuple[SpecChange, ...]) -> str:
    lines = ["### xclone spec diff", "", f"**{summary(changes)}**", ""]
    if not changes:
        return "\n".join([*lines, "No changes: both specs describe the same cluster.", ""])
    lines += ["| | Resource | Change | Attributes |", "|---|---|---|---|"]
    for change in changes:
        flag = warning(change)
        attrs = "; ".join(_md_attr(change, a) for a in change.attributes)
        note = f"⚠️ {flag}; " if flag else ""
        lines.append(f"| {'⚠️' if flag else ''} | `{change.address}` | {change.kind.past} | "
                     f"{_cell(note + attrs)} |")
    return "\n".join([*lines, ""])


def to_json(changes: tuple[SpecChange, ...]) -> dict[str, Any]:
    return {
        "format_version": FORMAT_VERSION,
        "summary": counts(changes),
        "changes": [
            {"address": c.address, "type": c.type, "name": c.name, "action": c.kind.value,
             "warning": warning(c) or None,
             "attributes": [{"name": a.name, "before": a.before, "after": a.after}
                            for a in c.attributes]}
            for c in changes
        ],
    }
