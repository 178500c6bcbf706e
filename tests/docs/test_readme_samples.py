"""The README's sample messages are the ones xclone prints."""

from __future__ import annotations

import re
from pathlib import Path

import click
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "specs" / "examples" / "seed-cluster.yaml"


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_sample_validate_message_is_the_real_one(tmp_path: Path,
                                                     xclone_cli: click.Group) -> None:
    spec = tmp_path / "seed-cluster.yaml"
    text = SEED.read_text(encoding="utf-8")
    assert "ip: 9.114.113.231" in text
    spec.write_text(text.replace("ip: 9.114.113.231", "ip: 9.114.114.5"), encoding="utf-8")
    result = CliRunner().invoke(xclone_cli, ["validate", str(spec)])
    assert result.exit_code == 1
    (line,) = [ln for ln in result.output.splitlines() if "lpar.node02" in ln]
    shown = line.replace(str(tmp_path) + "/", "")
    assert shown.startswith("seed-cluster.yaml:")
    assert _flat(shown) in _flat((ROOT / "README.md").read_text(encoding="utf-8"))
