"""Regenerate the golden files on purpose: `python -m tests.golden.regen [SCENARIO ...]`.

Run it from the repository root, review `git diff tests/golden`, and commit the new files with a
message that says why the plans changed."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from tests.golden.scenarios import SCENARIOS

GOLDEN = Path(__file__).resolve().parent


def record(name: str, where: Path) -> dict[str, str]:
    """The files one scenario records, built in `where` (a fresh directory)."""
    return SCENARIOS[name](where)


def main(names: list[str]) -> int:
    unknown = sorted(set(names) - set(SCENARIOS))
    if unknown:
        print(f"unknown scenario(s): {', '.join(unknown)}; known: {', '.join(SCENARIOS)}")
        return 1
    for name in names or list(SCENARIOS):
        target = GOLDEN / name
        target.mkdir(exist_ok=True)
        for old in target.iterdir():
            old.unlink()
        with tempfile.TemporaryDirectory() as where:
            files = record(name, Path(where))
        for filename, text in files.items():
            (target / filename).write_text(text, encoding="utf-8")
        print(f"{name}: {', '.join(sorted(files))}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
