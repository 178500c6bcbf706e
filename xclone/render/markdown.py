"""The plan as a pull-request comment a reviewer can act on.

Counts first, then one table row per resource with the destructive ones first and flagged, the
commands in a collapsible block (plain HTML, so GitHub, GitLab and any Markdown library render it
the same), the digests `apply PLANFILE` checks, and a warning line when the plan was made from a
snapshot rather than the live cluster. A forge caps comment size (GitHub at 65,536 characters),
so a huge first install lists its first rows and says how many more there are.
"""

from __future__ import annotations

import html

from xclone.plan.changes import ChangeKind, ResourceChange
from xclone.plan.document import Plan
from xclone.render.graph import defines

MAX_ROWS = 150
MAX_COMMANDS = 300
_ICON = {
    ChangeKind.CREATE: "➕ create",
    ChangeKind.UPDATE: "✏️ update",
    ChangeKind.REPLACE: "♻️ reinstall",
    ChangeKind.DELETE: "🗑️ destroy",
    ChangeKind.READ: "🔍 read",
    ChangeKind.NOOP: "no-op",
}


def _cell(text: str) -> str:
    return html.escape(text, quote=False).replace("|", "\\|").replace("\n", " ")


def _details(change: ResourceChange) -> str:
    shown = [f"`{d.name}`: {d.before or '∅'} → {d.after or '∅'}"
             for d in change.diffs if d.before != d.after]
    return "; ".join([*shown, *change.notes]) or change.reason


def _counts(plan: Plan) -> list[str]:
    destructive = [c for c in plan.changes if c.destructive]
    reads = plan.counts()["read"]
    lines = [f"**{plan.summary()}**", ""]
    facts = [f"{len(plan.actions)} command{'' if len(plan.actions) == 1 else 's'}"]
    if reads:
        facts.append(f"{reads} read during apply (MAC discovery)")
    lines += [" · ".join(facts), ""]
    if destructive:
        lines += [f"⚠️ **{len(destructive)} destructive change"
                  f"{'' if len(destructive) == 1 else 's'}** (power off or reinstall): "
                  + ", ".join(f"`{c.address}`" for c in destructive[:20])
                  + (" …" if len(destructive) > 20 else ""), ""]
    return lines


def _table(plan: Plan) -> list[str]:
    if not plan.changes:
        return ["No changes. The cluster matches the spec.", ""]
    ordered = sorted(plan.changes, key=ResourceChange.risk_key)
    lines = ["| | Resource | Change | Details |", "|---|---|---|---|"]
    for c in ordered[:MAX_ROWS]:
        flag = "⚠️" if c.destructive else ""
        kind = f"**{_ICON[c.kind]}** (destructive)" if c.destructive else _ICON[c.kind]
        lines.append(f"| {flag} | `{c.address}` | {kind} | {_cell(_details(c))} |")
    if len(ordered) > MAX_ROWS:
        lines += ["", f"… and {len(ordered) - MAX_ROWS} more resources "
                  "(`xclone show PLANFILE` lists them all)."]
    return [*lines, ""]


def _commands(plan: Plan) -> list[str]:
    if not plan.actions:
        return []
    commands = plan.commands()
    destructive = sum(1 for a in plan.actions if a.destructive)
    marked = f", {destructive} destructive marked !" if destructive else ""
    lines = [f"<details><summary>Commands ({len(commands)}{marked}), "
             "in dependency order</summary>", "", "<pre>"]
    for action, command in commands[:MAX_COMMANDS]:
        mark = "!" if action.destructive else " "
        text = f"{mark}[{action.id}] {action.host}: {command.display()}"
        text += f"  ({defines(action)})" if action.stdin_parts else ""
        lines.append(html.escape(text, quote=False))
    if len(commands) > MAX_COMMANDS:
        lines.append(f"… and {len(commands) - MAX_COMMANDS} more")
    return [*lines, "</pre>", "", "</details>", ""]


def render_markdown(plan: Plan) -> str:
    lines = [f"### xclone plan for `{plan.cluster}`", ""]
    if plan.source != "live":
        lines += [f"📼 Planned from {plan.source}, not the live cluster: no system was "
                  "contacted, so the cluster may have changed since it was recorded.", ""]
    lines += [*_counts(plan), *_table(plan), *_commands(plan)]
    lines += [f"<sub>spec digest `{plan.spec_digest}` · observed digest "
              f"`{plan.observed_digest}`</sub>", ""]
    return "\n".join(lines)
