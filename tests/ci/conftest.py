"""Shared paths of the pull-request / CI tests (the real CLI group is tests/conftest.py's
`xclone_cli`)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "specs" / "examples" / "seed-cluster.yaml"


