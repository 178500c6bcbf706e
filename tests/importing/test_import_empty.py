"""An empty or stanza-less file is refused with one clear error, not turned into an empty spec."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from xclone.cli.main import _register, cli


def test_a_file_without_stanzas_is_an_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing scanned\n", encoding="utf-8")
    _register()
    result = CliRunner().invoke(cli, ["import", "--stanza", str(empty)])
    assert result.exit_code == 1
    assert f"{empty}: no object stanzas found" in result.output
    assert "Traceback" not in result.output
