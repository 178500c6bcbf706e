"""The action graph drawn for people: Graphviz dot or Mermaid (renders in GitHub markdown)."""

from __future__ import annotations

from xclone.plan.document import Plan


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
    for action in plan.actions:
        for dep in action.depends_on:
            lines.append(f'  "a{dep}" -> "a{action.id}";')
    lines.append("}")
    return "\n".join(lines) + "\n"


def render_mermaid(plan: Plan) -> str:
    lines = ["flowchart TD"]
    for i, action in enumerate(plan.actions):
        lines.append(f'  a{action.id}["{_label(plan, i)}"]')
        if action.destructive:
            lines.append(f"  style a{action.id} stroke:#d00,color:#d00")
    for action in plan.actions:
        for dep in action.depends_on:
            lines.append(f"  a{dep} --> a{action.id}")
    return "\n".join(lines) + "\n"
