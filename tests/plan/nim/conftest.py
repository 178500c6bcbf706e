"""The NIM planner's tests: the example pair (specs/examples/nim-cluster.yaml on nim-lab.yaml)
in a temporary directory, planned and applied through the real CLI, the lab changed with the
commands an administrator would type on the master or the HMC."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.apply.helpers import Scenario
from xclone.spec import model


@pytest.fixture
def nim(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Scenario:
    # The spec's refusal of `driver: nim` (S1's, model.UNAVAILABLE_DRIVERS) is lifted here until
    # it goes with the driver registered.
    monkeypatch.setattr(model, "UNAVAILABLE_DRIVERS", frozenset(), raising=False)
    return Scenario(tmp_path, lab_name="nim-lab.yaml", spec_name="nim-cluster.yaml")
