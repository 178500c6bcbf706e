"""Shared helpers for the spec tests: the real CLI group with every command registered."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from xclone.cli.commands import ALL
from xclone.cli.main import cli
from xclone.spec import model

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "specs" / "examples"
INVALID = Path(__file__).resolve().parent / "invalid"


@pytest.fixture(scope="session")
def xclone_cli() -> click.Group:
    for command in ALL:
        cli.add_command(command)
    return cli



def lift_nim_refusal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Accept `driver: nim` in the spec while the driver registry lacks it (until then the
    spec refuses the name); goes when the refusal does."""
    monkeypatch.setattr(model, "UNAVAILABLE_DRIVERS", frozenset())


@pytest.fixture
def nim_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    lift_nim_refusal(monkeypatch)
