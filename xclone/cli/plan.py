"""`xclone plan`, `xclone show` and `xclone graph`: observe, diff, and render the plan."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from xclone.cli.connect import ConnectionOptions, connection_options
from xclone.cli.planning import SKIP_PREFLIGHT, build_plan, collector_paused, plan_flags
from xclone.plan.policy import DENY, denied
from xclone.render.text import plain_text, print_text

# Saved plans (`-o`, `show`) and the other formats are imported where they are used: a text plan
# does not pay for the plan-file format, the JSON, Markdown (html) or graph renderers.
if TYPE_CHECKING:
    from rich.console import Console

    from xclone.plan.document import Plan

FORMATS = ("text", "json", "markdown")
# Above this many resource changes a plan is written as plain text even on a terminal: rich
# would build millions of styled segments (seconds of CPU, hundreds of MiB) for colours that
# nobody reads across 10,000 LPARs.
LARGE_PLAN = 1000


def console() -> Console:
    from rich.console import Console

    return Console(no_color=bool(os.environ.get("NO_COLOR")), highlight=False, soft_wrap=True)


def _styled(plan: Plan) -> bool:
    """Colours only for a terminal (or where FORCE_COLOR asks rich for them) and a plan that
    is not large; a file or a pipe gets the same characters without rich."""
    terminal = sys.stdout.isatty() or bool(os.environ.get("FORCE_COLOR"))
    return terminal and len(plan.changes) <= LARGE_PLAN


def emit(plan: Plan, fmt: str) -> None:
    if fmt == "json":
        from xclone.render.jsonplan import render_json

        click.echo(render_json(plan), nl=False)
    elif fmt == "markdown":
        from xclone.render.markdown import render_markdown

        click.echo(render_markdown(plan), nl=False)
    elif _styled(plan):
        print_text(plan, console())
    else:
        click.echo(plain_text(plan), nl=False)


@click.command("plan")
@click.argument("spec", type=click.Path(exists=True, path_type=Path))
@connection_options
@click.option("-o", "--out", "out", type=click.Path(dir_okay=False, path_type=Path),
              help="Save the plan, with the spec, the connection and the observed digest, "
                   "for `xclone apply FILE` (not written when --deny refuses the plan).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--detailed-exitcode", is_flag=True,
              help="Exit 0 when there are no changes, 2 when there are, 1 on error.")
@click.option("--deny", multiple=True, type=click.Choice(DENY),
              help="Exit 1 if the plan holds such a change (repeatable): a CI gate.")
@click.option("--destroy", is_flag=True,
              help="Plan what `xclone destroy` would remove (with -o: a destroy plan to apply).")
@click.option("--drift", is_flag=True,
              help="Report drift instead, as `xclone drift SPEC` does (exit 2: surprising drift).")
@SKIP_PREFLIGHT
@plan_flags
def plan_command(spec: Path, connection: ConnectionOptions, out: Path | None, fmt: str,
                 detailed_exitcode: bool, deny: tuple[str, ...], destroy: bool, drift: bool,
                 skip_preflight: bool, targets: tuple[str, ...],
                 replace: tuple[str, ...]) -> None:
    """Observe the cluster and show what apply would do to reach SPEC.

    \b
    Examples:
      xclone plan specs/examples/seed-cluster.yaml --lab specs/examples/seed-lab.yaml
      xclone plan cluster.yaml --format markdown > plan.md      # a PR comment
      xclone plan cluster.yaml --detailed-exitcode --deny reinstall   # a CI gate
      xclone plan cluster.yaml -o reviewed.plan                 # then `xclone apply reviewed.plan`
      xclone plan cluster.yaml --destroy --target lpar.node02 -o remove.plan
      xclone plan cluster.yaml --drift --format json            # as `xclone drift`
    """
    if drift:
        from xclone.cli.drift import run_drift

        if destroy or out is not None or deny or replace or detailed_exitcode or \
                fmt == "markdown":
            raise click.UsageError("--drift reports drift: it takes --format text or json and "
                                   "--target, not --destroy, -o, --deny, --replace, "
                                   "--detailed-exitcode or --format markdown")
        sys.exit(run_drift(spec, connection, fmt, targets))
    if destroy and replace:
        raise click.UsageError("--destroy removes objects: --replace (reinstall) does not apply")
    with collector_paused():  # loading, observing, planning and writing: see its docstring
        planned = build_plan(spec, connection, targets, replace, destroy=destroy,
                             skip_preflight=skip_preflight)
        emit(planned.plan, fmt)
    hits = denied(planned.plan, deny)
    if hits:
        click.echo("Error: the plan holds changes denied by --deny:", err=True)
        for hit in hits:
            click.echo(f"  - {hit}", err=True)
        sys.exit(1)
    if out is not None:
        from xclone import __version__
        from xclone.cli import saved
        from xclone.plan.planfile import PlanFile

        document = PlanFile(__version__, saved.copy_of(spec), saved.record(connection),
                            planned.plan, targets, replace, destroy)
        command = saved.write(out, document)
        click.echo(f"Saved the plan to {out}; to apply exactly it, run `{command}` in this "
                   "directory.", err=True)
    if detailed_exitcode and not planned.plan.empty:
        sys.exit(2)


@click.command("show")
@click.argument("planfile", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice((*FORMATS, "dot", "mermaid")), default="text",
              show_default=True)
def show_command(planfile: Path, fmt: str) -> None:
    """Render a plan saved with `xclone plan -o FILE`."""
    from xclone.cli import saved
    from xclone.render.graph import render_dot, render_mermaid

    plan = saved.read(planfile).plan
    if fmt == "dot":
        click.echo(render_dot(plan), nl=False)
    elif fmt == "mermaid":
        click.echo(render_mermaid(plan), nl=False)
    else:
        emit(plan, fmt)


@click.command("graph")
@click.argument("spec", type=click.Path(exists=True, path_type=Path))
@connection_options
@click.option("--format", "fmt", type=click.Choice(("dot", "mermaid")), default="dot",
              show_default=True)
@plan_flags
def graph_command(spec: Path, connection: ConnectionOptions, fmt: str, targets: tuple[str, ...],
                  replace: tuple[str, ...]) -> None:
    """Draw the plan's action graph (Graphviz dot or Mermaid)."""
    from xclone.render.graph import render_dot, render_mermaid

    plan = build_plan(spec, connection, targets, replace).plan
    if plan.empty:
        click.echo("No changes: the cluster matches the spec, so the graph has no actions.",
                   err=True)
    click.echo(render_dot(plan) if fmt == "dot" else render_mermaid(plan), nl=False)
