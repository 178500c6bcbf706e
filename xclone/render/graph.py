"""The action graph drawn for people: Graphviz dot or Mermaid (renders in GitHub markdown)."""

from __future__ import annotations

from xclone.plan.action import Action
from xclone.plan.document import Plan
from xclone.plan.graph import action_graph

SHOWN = 3
DOT_NEWLINE = "\\n"  # a line break inside a Graphviz label


def defines(action: Action) -> str:
    """What a command that reads its objects on stdin (a stanza) defines: its command line
    alone does not say, and a reviewer must not have to open the stanza."""
    if not action.stdin_parts:
        return ""
    names = [str(a) for a in action.addresses]
    more = f" and {len(names) - SHOWN} more" if len(names) > SHOWN else ""
    return f"defines {', '.join(names[:SHOWN])}{more}"


def _label(plan: Plan, index: int, newline: str) -> str:
    action = plan.actions[index]
    text = action.command().display()
    if len(text) > 60:
        text = text[:57] + "..."
    objects = defines(action)
    return (f"{action.id} {text}" + (f"{newline}{objects}" if objects else "")).replace('"', "'")


def render_dot(plan: Plan) -> str:
    lines = ["digraph xclone {", "  rankdir=TB;", '  node [shape=box, fontname="monospace"];']
    for i, action in enumerate(plan.actions):
        color = ", color=red, fontcolor=red" if action.destructive else ""
        label = _label(plan, i, DOT_NEWLINE)
        lines.append(f'  "a{action.id}" [label="{label}"{color}];')
    lines.extend(f'  "a{dep}" -> "a{child}";' for dep, child in _edges(plan))
    lines.append("}")
    return "\n".join(lines) + "\n"


def _edges(plan: Plan) -> list[tuple[str, str]]:
    return sorted(action_graph(plan.actions).edges)


def render_mermaid(plan: Plan) -> str:
    lines = ["flowchart TD"]
    for i, action in enumerate(plan.actions):
        lines.append(f'  a{action.id}["{_label(plan, i, "<br/>")}"]')
        if action.destructive:
            lines.append(f"  style a{action.id} stroke:#d00,color:#d00")
    lines.extend(f"  a{dep} --> a{child}" for dep, child in _edges(plan))
    return "\n".join(lines) + "\n"
