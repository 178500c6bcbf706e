"""Shared helpers for the spec tests: the real CLI group with every command registered."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import click
import pytest
import structlog

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


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """The CLI group configures structlog globally (level WARNING); undo it so later tests that
    capture log events in-process see the defaults again."""
    yield
    structlog.reset_defaults()
