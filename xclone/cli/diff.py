"""`xclone diff OLD_SPEC NEW_SPEC`: what a spec change means, by resource, before any plan.

This is what a reviewer reads on a pull request before CI (which holds the credentials) has
planned it: the resolved specs are compared, so moving LPARs into a range shows as no change,
and an LPAR whose osimage changes is flagged as a reinstall.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from xclone.spec import load_spec
from xclone.spec.semantic_diff import AttrChange, SpecChange, Value, diff_specs, summary

FORMAT_VERSION = 1
_SYMBOL = {"add": "+", "change": "~", "remove": "-"}
_WORD = {"add": "added", "change": "changed", "remove": "removed"}


def warning(change: SpecChange) -> str:
    """Why a reviewer should look twice: what the change can cost a running LPAR."""
    if change.type != "lpar":
        return ""
    attrs = {a.name: a for a in change.attributes}
    state = attrs.get("state")
    if change.kind == "remove" or (state is not None and state.after == "absent"):
        return "LPAR leaves xclone: cleanup removes its xCAT node and NIM machine"
    if change.kind == "change" and "osimage" in attrs:
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
        lines.append(f"{_SYMBOL[change.kind]} {change.address}" + (f"  ! {flag}" if flag else ""))
        for a in change.attributes:
            if change.kind == "change":
                lines.append(f"    {a.name}: {show(a.before)} -> {show(a.after)}")
            else:
                lines.append(f"    {a.name}: {show(a.after if change.kind == 'add' else a.before)}")
    lines += ["", summary(changes)]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md_attr(change: SpecChange, attr: AttrChange) -> str:
    if change.kind == "change":
        return f"`{attr.name}`: {show(attr.before)} → {show(attr.after)}"
    return f"`{attr.name}`: {show(attr.after if change.kind == 'add' else attr.before)}"


def render_markdown(changes: tuple[SpecChange, ...]) -> str:
    lines = ["### xclone spec diff", "", f"**{summary(changes)}**", ""]
    if not changes:
        return "\n".join([*lines, "No changes: both specs describe the same cluster.", ""])
    lines += ["| | Resource | Change | Attributes |", "|---|---|---|---|"]
    for change in changes:
        flag = warning(change)
        attrs = "; ".join(_md_attr(change, a) for a in change.attributes)
        note = f"⚠️ {flag}; " if flag else ""
        lines.append(f"| {'⚠️' if flag else ''} | `{change.address}` | {_WORD[change.kind]} | "
                     f"{_cell(note + attrs)} |")
    return "\n".join([*lines, ""])


def to_json(changes: tuple[SpecChange, ...]) -> dict[str, Any]:
    return {
        "format_version": FORMAT_VERSION,
        "summary": {kind: sum(1 for c in changes if c.kind == kind)
                    for kind in ("add", "change", "remove")},
        "changes": [
            {"address": c.address, "type": c.type, "name": c.name, "action": c.kind,
             "warning": warning(c) or None,
             "attributes": [{"name": a.name, "before": a.before, "after": a.after}
                            for a in c.attributes]}
            for c in changes
        ],
    }


@click.command("diff")
@click.argument("old_spec", type=click.Path(path_type=Path))
@click.argument("new_spec", type=click.Path(path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["text", "markdown", "json"]),
              default="text", show_default=True, help="text, markdown (PR comment) or json.")
@click.option("--detailed-exitcode", is_flag=True,
              help="Exit 0 when nothing changes, 2 when something does (1 on error).")
def diff_command(old_spec: Path, new_spec: Path, output_format: str,
                 detailed_exitcode: bool) -> None:
    """Show what changes between two spec revisions, by resource, contacting nothing.

    Both specs are resolved first (defaults applied, ranges expanded), so rewriting the YAML
    without changing its meaning shows no change.

    \b
    git show main:cluster.yaml > /tmp/old.yaml && xclone diff /tmp/old.yaml cluster.yaml
    """
    changes = diff_specs(load_spec(old_spec), load_spec(new_spec))
    if output_format == "json":
        click.echo(json.dumps(to_json(changes), indent=2))
    elif output_format == "markdown":
        click.echo(render_markdown(changes), nl=False)
    else:
        click.echo(render_text(changes), nl=False)
    if detailed_exitcode and changes:
        sys.exit(2)
