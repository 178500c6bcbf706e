"""Shared helpers for the pull-request / CI tests: the real CLI with every command registered."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from xclone.cli.commands import ALL
from xclone.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "specs" / "examples" / "seed-cluster.yaml"


@pytest.fixture(scope="session")
def xclone_cli() -> click.Group:
    for command in ALL:
        cli.add_command(command)
    return cli
