"""The list of subcommands; each lives in its own module of this package."""

from __future__ import annotations

import click

from xclone.cli.validate import validate

ALL: list[click.Command] = []
ALL.append(validate)
