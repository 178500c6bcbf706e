"""Golden plans: each scenario's text, JSON and markdown plans and its lab apply's commands are
byte-identical to the files under tests/golden/<scenario>/ (issue 13: refactors change nothing).

A difference here is a change in what users see or in what xclone runs. If it is wanted,
regenerate with `python -m tests.golden.regen SCENARIO` and say why in the commit."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.golden.regen import GOLDEN, record
from tests.golden.scenarios import SCENARIOS


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_outputs_match_the_golden_files(name: str, tmp_path: Path) -> None:
    recorded = record(name, tmp_path)
    folder = GOLDEN / name
    stored = {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())}
    assert sorted(recorded) == sorted(stored), f"{name}: files differ; see tests/golden/README.md"
    for filename, text in recorded.items():
        assert text == stored[filename], (
            f"{name}/{filename} differs from the golden file; if the change is wanted, run "
            f"`python -m tests.golden.regen {name}` and say why in the commit")


def test_every_golden_folder_is_a_scenario() -> None:
    """A scenario renamed or dropped leaves no stale folder behind that nothing compares."""
    folders = {p.name for p in GOLDEN.iterdir() if p.is_dir()} - {"inputs", "__pycache__"}
    assert folders == set(SCENARIOS)
