"""Fixtures for the CLI contract tests: the seed scenario of tests/apply in a temporary directory.

`Scenario` lives in tests/apply/helpers.py; it is reused, not copied, so both areas exercise the
same lab set-up."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.apply.helpers import Scenario


@pytest.fixture
def seed(tmp_path: Path) -> Scenario:
    return Scenario(tmp_path)
