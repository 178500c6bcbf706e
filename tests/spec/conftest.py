"""Shared paths of the spec tests: the examples and the invalid specs (the real CLI group is
tests/conftest.py's `xclone_cli`)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "specs" / "examples"
INVALID = Path(__file__).resolve().parent / "invalid"



