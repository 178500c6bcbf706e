"""How apply shows its progress: one plain line per event, or a live table on a terminal.

During a 40-minute install the operator sees each node's NIM phase as it changes, with the
elapsed time since apply started.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.live import Live
from rich.table import Table

from xclone.apply.events import Event, Sink, Summary
from xclone.plan.document import Plan
from xclone.render.summary import resource_line

_STYLE = {"done": "green", "partial": "yellow", "failed": "bold red", "skipped": "yellow",
          "retry": "yellow", "progress": "cyan", "start": "", "interrupted": "bold red"}


class LineProgress:
    def __init__(self, console: Console) -> None:
        self.console = console
        self.started = time.monotonic()

    def __call__(self, event: Event) -> None:
        elapsed = time.monotonic() - self.started
        minutes, seconds = divmod(int(elapsed), 60)
        nodes = f" {','.join(event.nodes[:4])}{' ...' if len(event.nodes) > 4 else ''}" \
            if event.nodes else ""
        what = {
            "start": "started",
            "done": f"done in {event.duration:.1f}s",
            "partial": f"done for some nodes in {event.duration:.1f}s",
            "failed": "FAILED",
            "skipped": f"skipped: {event.message}",
            "retry": f"retrying: {event.message}",
            "progress": event.message,
            "interrupted": "interrupted",
        }[event.kind]
        line = f"[{minutes:02d}:{seconds:02d}] {event.action_id} {event.action_kind}{nodes}: {what}"
        self.console.print(line, style=_STYLE[event.kind], highlight=False, markup=False)
        if event.kind == "failed" and event.message:
            for text in event.message.splitlines()[:20]:
                self.console.print(f"      {text}", style="red", highlight=False, markup=False)


def print_summary(console: Console, summary: Summary, journal: str, kind: str = "apply",
                  plan: Plan | None = None) -> None:
    """The closing lines, named after what ran (`destroy` must not read "Apply complete"): the
    resources first, as Terraform counts them, then the actions and commands."""
    console.print()
    status = f"{kind.capitalize()} complete" if summary.ok else \
        f"{kind.capitalize()} finished with problems"
    resources = f"{resource_line(plan, summary, kind)}. Actions: " if plan is not None else ""
    console.print(f"{status}: {resources}{len(summary.done)} done, {len(summary.failed)} failed, "
                  f"{len(summary.skipped)} skipped, {len(summary.interrupted)} interrupted; "
                  f"{summary.commands} commands.", style="bold green" if summary.ok else "bold red",
                  highlight=False, markup=False)
    for failure in summary.failed:
        console.print(f"  failed {failure.action_id}: {failure.command}", style="red",
                      highlight=False, markup=False)
        for text in failure.output.splitlines()[:10]:
            console.print(f"      {text}", highlight=False, markup=False)
    for action_id, why in summary.skipped:
        console.print(f"  skipped {action_id}: {why}", style="yellow", highlight=False,
                      markup=False)
    if summary.interrupted:
        console.print(f"  not finished: {', '.join(summary.interrupted)} — run apply again to "
                      "converge", style="yellow", highlight=False, markup=False)
    console.print(f"Journal: {journal}", style="dim", highlight=False, markup=False)


class LiveProgress(LineProgress):
    """On a terminal: the event lines scroll above a live panel with, per action kind, what is
    done and running, and each installing node's NIM phase, with the elapsed time."""

    def __init__(self, console: Console) -> None:
        super().__init__(console)
        self.kinds: dict[str, list[int]] = {}
        self.phases: dict[str, str] = {}
        self.live = Live(self._panel(), console=console, refresh_per_second=4, transient=True)

    def __enter__(self) -> LiveProgress:
        self.live.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.live.__exit__(None, None, None)

    def __call__(self, event: Event) -> None:
        counts = self.kinds.setdefault(event.action_kind, [0, 0, 0])
        if event.kind == "start":
            counts[1] += 1
        elif event.kind in ("done", "partial", "failed"):
            counts[1] = max(0, counts[1] - 1)
            counts[0 if event.kind != "failed" else 2] += 1
        if event.kind == "progress":
            for node in event.nodes:
                self.phases[node] = event.message
        else:
            super().__call__(event)
        self.live.update(self._panel())

    def _panel(self) -> Table:
        elapsed = int(time.monotonic() - self.started)
        table = Table(title=f"xclone apply — {elapsed // 60:02d}:{elapsed % 60:02d} elapsed",
                      show_edge=False, expand=False)
        table.add_column("action kind")
        table.add_column("done", justify="right")
        table.add_column("running", justify="right")
        table.add_column("failed", justify="right")
        for kind, (done, running, failed) in self.kinds.items():
            table.add_row(kind, str(done), str(running), str(failed))
        for node, phase in sorted(self.phases.items())[:12]:
            table.add_row(f"  {node}", "", "", "", end_section=False)
            table.add_row(f"    {phase}", "", "", "")
        if len(self.phases) > 12:
            table.add_row(f"  ... {len(self.phases) - 12} more installing nodes", "", "", "")
        return table


@contextmanager
def showing(console: Console) -> Iterator[Sink]:
    """The progress sink for one run: a live table on a terminal, plain lines elsewhere (CI)."""
    if console.is_terminal:
        with LiveProgress(console) as live:
            yield live
    else:
        yield LineProgress(console)
