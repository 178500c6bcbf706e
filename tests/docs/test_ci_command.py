"""CI runs exactly the README's test command: the README's first shell block holds the two
commands a new user types (run the seed on the lab, run the tests), and `.ci/run` ends with the
second one, verbatim. A change to either without the other fails here, not in a user's hands."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```sh\n(.*?)```", text, re.S)
    assert block is not None, "README.md has no sh block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_the_readme_opens_with_the_demo_and_the_test_command() -> None:
    demo, tests = _readme_commands()[:2]
    assert "xclone apply" in demo and "--lab" in demo
    assert "pytest" in tests


def test_ci_runs_exactly_the_readmes_test_command() -> None:
    ci = [line for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
          if line.strip() and not line.lstrip().startswith("#")]
    assert ci[-1] == _readme_commands()[1]
