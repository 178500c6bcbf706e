"""`xclone diff OLD_SPEC NEW_SPEC`: wires spec loading, the semantic diff and its renderers.

This is what a reviewer reads on a pull request before CI (which holds the credentials) has
planned it: the resolved specs are compared (spec/semantic_diff.py), so moving LPARs into a
range shows as no change; render/diff.py flags an LPAR whose osimage changes as a reinstall.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from xclone.render.diff import render_markdown, render_text, to_json
from xclone.spec import load_spec
from xclone.spec.semantic_diff import diff_specs


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
