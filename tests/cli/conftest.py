"""Fixtures for the CLI contract tests: the seed scenario of tests/apply in a temporary directory.

`Scenario` lives in tests/apply/helpers.py; it is reused, not copied, so both areas exercise the
same lab set-up."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "apply"))

from helpers import Scenario  # noqa: E402


@pytest.fixture
def seed(tmp_path: Path) -> Scenario:
    return Scenario(tmp_path)
