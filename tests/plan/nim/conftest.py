"""The NIM planner's tests: the example pair (specs/examples/nim-cluster.yaml on nim-lab.yaml)
in a temporary directory, planned and applied through the real CLI, the lab changed with the
commands an administrator would type on the master or the HMC."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.apply.helpers import Scenario


@pytest.fixture
def nim(tmp_path: Path) -> Scenario:
    return Scenario(tmp_path, lab_name="nim-lab.yaml", spec_name="nim-cluster.yaml")
