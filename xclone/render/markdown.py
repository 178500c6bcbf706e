"""The plan as a pull-request comment: counts, a table of changes (destructive first), the
commands in a collapsible section, the digests, and where the observation came from."""

from __future__ import annotations

from xclone.plan.changes import ChangeKind
from xclone.plan.document import Plan

_ICON = {
    ChangeKind.CREATE: "➕ create",
    ChangeKind.UPDATE: "✏️ update",
    ChangeKind.REPLACE: "♻️ reinstall",
    ChangeKind.DELETE: "🗑️ destroy",
    ChangeKind.READ: "🔍 read",
    ChangeKind.NOOP: "no-op",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(plan: Plan) -> str:
    lines = [f"### xclone plan for `{plan.cluster}`", "", f"**{plan.summary()}**", ""]
    if plan.source != "live":
        lines += [f"> Planned from {plan.source}: no system was contacted.", ""]
    destructive = [c for c in plan.changes if c.destructive]
    if destructive:
        lines += [
            f"> ⚠️ **{len(destructive)} destructive change(s)**: "
            + ", ".join(f"`{c.address}`" for c in destructive),
            "",
        ]
    if plan.changes:
        lines += ["| | Resource | Change | Details |", "|---|---|---|---|"]
        for c in plan.changes:
            details = (
                "; ".join(
                    [
                        *(f"{d.name}: {d.before or '∅'} → {d.after or '∅'}" for d in c.diffs),
                        *c.notes,
                    ]
                )
                or c.reason
            )
            flag = "⚠️" if c.destructive else ""
            lines.append(f"| {flag} | `{c.address}` | {_ICON[c.kind]} | {_cell(details)} |")
        lines.append("")
    else:
        lines += ["No changes. The cluster matches the spec.", ""]
    if plan.actions:
        lines += [
            "<details><summary>Commands (" + str(len(plan.actions)) + ")</summary>",
            "",
            "```",
        ]
        for action, command in plan.commands():
            mark = "!" if action.destructive else " "
            lines.append(f"{mark}[{action.id}] {action.host}: {command.display()}")
        lines += ["```", "", "</details>", ""]
    lines += [
        f"<sub>spec `{plan.spec_digest[:19]}` · observed `{plan.observed_digest[:19]}`</sub>",
        "",
    ]
    return "\n".join(lines)
