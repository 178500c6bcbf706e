"""The action graph drawn for people: Graphviz dot or Mermaid (renders in GitHub markdown)."""

from __future__ import annotations

from xclone.plan.document import Plan
from xclone.plan.graph import action_graph


def _label(plan: Plan, index: int) -> str:
    action = plan.actions[index]
    text = action.command().display()
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{action.id} {text}".replace('"', "'")


def render_dot(plan: Plan) -> str:
    lines = ["digraph xclone {", "  rankdir=TB;", '  node [shape=box, fontname="monospace"];']
    for i, action in enumerate(plan.actions):
        color = ", color=red, fontcolor=red" if action.destructive else ""
        lines.append(f'  "a{action.id}" [label="{_label(plan, i)}"{color}];')
    lines.extend(f'  "a{dep}" -> "a{child}";' for dep, child in _edges(plan))
    lines.append("}")
    return "\n".join(lines) + "\n"


def _edges(plan: Plan) -> list[tuple[str, str]]:
    return sorted(action_graph(plan.actions).edges)


def render_mermaid(plan: Plan) -> str:
    lines = ["flowchart TD"]
    for i, action in enumerate(plan.actions):
        lines.append(f'  a{action.id}["{_label(plan, i)}"]')
        if action.destructive:
            lines.append(f"  style a{action.id} stroke:#d00,color:#d00")
    lines.extend(f"  a{dep} --> a{child}" for dep, child in _edges(plan))
    return "\n".join(lines) + "\n"
