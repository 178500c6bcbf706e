"""Wires `xclone drift` (and `plan --drift`): observe, plan, and report what drifted.

The planner makes the diff (plan/drift.py reads it), the driver says which differences its
tools make themselves, the renderer writes the report. Exit 0: nothing surprising drifted; 2:
something did (a scheduled CI job alerts on it); 1: an error, as everywhere.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from xclone.cli.connect import ConnectionOptions, connection_options
from xclone.cli.planning import build_plan
from xclone.cli.state import untyped_left
from xclone.drivers import registry
from xclone.observed.managed import untyped_why
from xclone.plan.drift import classifier, drift
from xclone.render.drift import render_json, render_text

FORMATS = ("text", "json")


def run_drift(spec: Path, connection: ConnectionOptions, fmt: str,
              targets: tuple[str, ...]) -> int:
    """Print the report; return the exit code."""
    planned = build_plan(spec, connection, targets)
    try:
        classify = classifier(registry.driver(planned.spec.driver))
        left_alone = tuple((address, untyped_why(address.name, hwtype))
                           for address, hwtype in untyped_left(planned.spec, planned.observed))
        report = drift(planned.plan, planned.spec, classify, frozenset(targets), left_alone)
    finally:
        planned.transport.close()
    click.echo(render_json(report) if fmt == "json" else render_text(report), nl=False)
    return report.exit_code


@click.command("drift")
@click.argument("spec", type=click.Path(exists=True, path_type=Path))
@connection_options
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default="text",
              show_default=True)
@click.option("--target", "targets", multiple=True, metavar="ADDR",
              help="Report only this resource (repeatable).")
def drift_command(spec: Path, connection: ConnectionOptions, fmt: str,
                  targets: tuple[str, ...]) -> None:
    """Report how the objects xclone manages differ from SPEC; exit 2 on surprising drift.

    Each difference comes with its evidence (address, attribute, the spec's value, the
    observed one) and is sorted: surprising (changed by hand: postscripts, a MAC, a profile,
    an allocated resource), expected (what xCAT and NIM change themselves: status, Cstate...),
    or ignored (the resource's `ignore_changes`). Marked objects the spec does not have, and
    objects of the spec missing on the cluster, are surprising too. Nothing is changed.

    \b
    Examples:
      xclone drift cluster.yaml                     # exit 0 none, 2 surprising, 1 error
      xclone drift cluster.yaml -f json > drift.json
      xclone plan cluster.yaml --drift              # the same
    """
    sys.exit(run_drift(spec, connection, fmt, targets))
