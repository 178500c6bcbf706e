"""The `xclone` entry point: the command group, and the one place user errors become exit 1."""

from __future__ import annotations

import sys
from typing import Any

import click

from xclone import __version__
from xclone.base.errors import XcloneError
from xclone.cli.logs import configure


class XcloneGroup(click.Group):
    """Turns every XcloneError into one clear message on stderr and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except XcloneError as exc:
            for diag in exc.diagnostics:
                click.echo(diag.format(), err=True)
            if exc.message and not exc.diagnostics:
                click.echo(f"Error: {exc.message}", err=True)
            elif exc.message:
                click.echo(exc.message, err=True)
            sys.exit(1)


@click.group(cls=XcloneGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="xclone")
@click.option("--log-format", type=click.Choice(("text", "json")), default="text",
              show_default=True, help="Log events on stderr as text or as JSON lines.")
@click.option("-v", "--verbose", count=True, help="More log events (-v info, -vv debug).")
def cli(log_format: str, verbose: int) -> None:
    """Plan and apply AIX LPAR clones from mksysb images with xCAT and NIM."""
    configure(log_format, verbose)


def _register() -> None:
    from xclone.cli import commands

    for command in commands.ALL:
        cli.add_command(command)


def main() -> None:
    _register()
    cli(prog_name="xclone")
