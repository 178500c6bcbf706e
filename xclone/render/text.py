"""The Terraform-like terminal rendering, ordered by risk: what can cost a node comes first.

One renderer writes (text, style) pieces into a sink: a rich `Text` on a terminal, where the
styles become colours, or a plain list of strings, which is what a file or a pipe receives and
costs no rich import and no styled-segment objects (a 10,000-LPAR plan is ~1 million pieces).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from xclone.base.address import Address
from xclone.base.secret import masked
from xclone.plan.action import Action
from xclone.plan.changes import ChangeKind, ResourceChange
from xclone.plan.document import Plan

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

STANZAS_SHOWN = 3

_STYLE = {
    ChangeKind.CREATE: "green",
    ChangeKind.UPDATE: "yellow",
    ChangeKind.REPLACE: "bold red",
    ChangeKind.DELETE: "red",
    ChangeKind.READ: "cyan",
    ChangeKind.NOOP: "",
}
_VERB = {
    ChangeKind.CREATE: "will be created",
    ChangeKind.UPDATE: "will be updated in place",
    ChangeKind.REPLACE: "will be reinstalled",
    ChangeKind.DELETE: "will be destroyed",
    ChangeKind.READ: "will be read during apply",
    ChangeKind.NOOP: "is up to date",
}


# Where the objects xclone manages live, per driver (the plan names its driver).
_KEPT_IN = {"xcat": "xCAT and NIM", "nim": "NIM"}


def kept_in(driver: str) -> str:
    """`xCAT and NIM`, `NIM`: what a destroy removes objects from, in the plan's words."""
    return _KEPT_IN.get(driver, driver)


def _verb(c: ResourceChange, driver: str) -> str:
    """An LPAR is destroyed only as xCAT and NIM know it: its partition is hardware on the HMC,
    which xclone never removes (CONTRACT §5), and the reader must not fear it does."""
    if c.kind is ChangeKind.DELETE and c.type == "lpar":
        return f"will be destroyed in {kept_in(driver)} only, the partition stays"
    return _VERB[c.kind]


class _Sink(Protocol):
    def append(self, text: str, style: str = ...) -> object: ...


class _Plain:
    """The sink for a file or a pipe: the styles are dropped, as rich drops them there."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def append(self, text: str, style: str = "") -> None:
        self.parts.append(text)


def _q(value: object) -> str:
    return "(none)" if value is None else f'"{value}"'


def _change(text: _Sink, c: ResourceChange, driver: str) -> None:
    style = _STYLE[c.kind]
    flag = "  [destructive]" if c.destructive else ""
    text.append(f"  # {c.address} {_verb(c, driver)}", style="bold")
    text.append(f" ({c.reason})" if c.reason else "")
    text.append(flag + "\n", style="bold red" if flag else "")
    text.append(f'{c.kind.symbol:>3} {c.type} "{c.name}"', style=style)
    if c.kind is ChangeKind.CREATE and c.after:
        # the attribute lines in one piece: one green span is the same on a terminal as one per
        # line, and a 10,000-LPAR plan has 130,000 of them
        text.append(" {\n")
        text.append("".join([f'      + {key} = "{value}"\n' for key, value in
                             sorted(c.after.items()) if value not in ("", None)]),
                    style="green")
        text.append("    }\n")
    elif c.diffs:
        text.append(" {\n")
        text.append("".join([f"      ~ {d.name}: {_q(d.before)} -> {_q(d.after)}\n"
                             for d in c.diffs]), style="yellow")
        text.append("    }\n")
    else:
        text.append("\n")
    for note in c.notes:
        text.append(f"      ! {note}\n", style="red" if c.destructive else "")
    text.append("\n")


def _stdin(text: _Sink, parts: tuple[tuple[str, str], ...], addresses: tuple[Address, ...]) -> None:
    """A few stanzas are shown as they will be sent (secrets masked); many are counted."""
    if len(parts) <= STANZAS_SHOWN:
        for line in masked("".join(t for _, t in parts)).strip("\n").splitlines():
            text.append(f"        | {line}\n", style="dim")
        return
    more = " ..." if len(addresses) > 3 else ""
    shown = ", ".join(map(str, addresses[:3]))
    text.append(f"        stdin: {len(parts)} stanzas for {shown}{more}\n",
                style="dim")


def _after(action: Action) -> str:
    """What a command waits for: `(after 002, 003)` must succeed first, `ordered after 015`
    must only have ended (Action.ordered_after)."""
    parts = [f"after {', '.join(action.depends_on)}"] if action.depends_on else []
    if action.ordered_after:
        parts.append(f"ordered after {', '.join(action.ordered_after)}")
    return f"  ({'; '.join(parts)})" if parts else ""


def _render(text: _Sink, plan: Plan) -> None:
    if plan.source != "live":
        text.append(f"(planned from {plan.source}: no system was contacted)\n\n", style="dim")
    if plan.empty:
        text.append("No changes. The cluster matches the spec.\n\n", style="bold green")
        text.append(plan.summary() + "\n")
        return
    text.append(f"xclone will perform the following actions on cluster {plan.cluster}:\n\n")
    for change in plan.changes:
        _change(text, change, plan.driver)
    text.append("Commands, in dependency order:\n", style="bold")
    for action, command in plan.commands():
        mark = "!" if action.destructive else " "
        deps = _after(action)
        style = "red" if action.destructive else ""
        label = "wait" if action.kind.polled else "run "
        text.append(f" {mark}[{action.id}] {label} {action.host}: {command.display()}", style=style)
        text.append(deps + "\n", style="dim")
        if command.stdin:
            _stdin(text, action.stdin_parts, action.addresses)
    destructive = sum(1 for a in plan.actions if a.destructive)
    if destructive:
        text.append(
            f"\n{destructive} destructive command(s) marked with '!': they power off or "
            "reinstall LPARs.\n",
            style="bold red",
        )
    text.append("\n" + plan.summary() + "\n", style="bold")


def plain_text(plan: Plan) -> str:
    """The plan as a file or a pipe receives it: the characters of `render_text(plan).plain`."""
    sink = _Plain()
    _render(sink, plan)
    return "".join(sink.parts)


def render_text(plan: Plan) -> Text:
    """The plan as styled rich text, for a terminal."""
    from rich.text import Text

    text = Text()
    _render(text, plan)
    return text


def print_text(plan: Plan, console: Console) -> None:
    console.print(render_text(plan), end="", soft_wrap=True, highlight=False)
