"""Shared helpers for the spec tests: the real CLI group with every command registered."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from xclone.cli.commands import ALL
from xclone.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "specs" / "examples"
INVALID = Path(__file__).resolve().parent / "invalid"


@pytest.fixture(scope="session")
def xclone_cli() -> click.Group:
    for command in ALL:
        cli.add_command(command)
    return cli

