"""Every invalid spec under invalid/ fails through the real CLI with its message and line.

Each file starts with `# expect: <message fragment>`; the expected line is the one marked
`# <-- here`, or the one given by a `# line: N` header when no line can carry a marker. Files
named `nim-*` are `driver: nim` specs; `xcat-*` ones use a nim-only field under the xCAT driver.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from tests.spec.conftest import INVALID, ROOT

CASES = sorted(INVALID.glob("*.yaml"))


def _expectation(path: Path) -> tuple[str, int]:
    lines = path.read_bytes().decode("utf-8", "replace").splitlines()
    fragment = lines[0].removeprefix("# expect: ")
    for number, line in enumerate(lines, start=1):
        if line.startswith("# line: "):
            return fragment, int(line.removeprefix("# line: "))
        if line.endswith("# <-- here"):
            return fragment, number
    raise AssertionError(f"{path.name} names no expected line")


def _relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_there_are_at_least_forty_cases() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_invalid_spec_fails_with_message_and_line(xclone_cli: click.Group, path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    fragment, line = _expectation(path)
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(xclone_cli, ["validate", _relative(path)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    matching = [text for text in result.output.splitlines() if fragment in text]
    assert matching, result.output
    assert any(text.startswith(f"{_relative(path)}:{line}:") for text in matching), result.output


@pytest.mark.slow
@pytest.mark.parametrize("name", ["hostile-name", "tab-indent", "binary", "literal-password"])
def test_invalid_spec_through_python_m_xclone(name: str) -> None:
    path = INVALID / f"{name}.yaml"
    fragment, line = _expectation(path)
    done = subprocess.run(
        [sys.executable, "-m", "xclone", "validate", _relative(path)],
        cwd=ROOT, capture_output=True, text=True, check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr + done.stdout
    assert f"{_relative(path)}:{line}:" in done.stderr
    assert fragment in done.stderr


def test_literal_password_is_never_echoed(xclone_cli: click.Group) -> None:
    path = INVALID / "literal-password.yaml"
    for fmt in ("text", "json"):
        result = CliRunner().invoke(xclone_cli, ["validate", str(path), "--format", fmt])
        assert result.exit_code == 1
        assert "abc123" not in result.output


def test_missing_file_and_directory_without_yaml(xclone_cli: click.Group, tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(xclone_cli, ["validate", str(tmp_path / "nope.yaml")])
    assert missing.exit_code == 1
    assert "nope.yaml: no such file or directory" in missing.output
    empty_dir = runner.invoke(xclone_cli, ["validate", str(tmp_path)])
    assert empty_dir.exit_code == 1
    assert "holds no *.yaml spec files" in empty_dir.output
    assert "Traceback" not in missing.output + empty_dir.output


def test_json_format_lists_every_diagnostic(xclone_cli: click.Group) -> None:
    path = INVALID / "range-outside-network.yaml"
    result = CliRunner().invoke(xclone_cli, ["validate", str(path), "--format", "json"])
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["valid"] is False
    messages = [d["message"] for d in document["diagnostics"]]
    assert messages == ["first_ip 9.114.113.232 + 30 names runs past network net1 "
                        "(9.114.113.224/27): the last LPAR would get 9.114.114.5; 23 fit, up "
                        "to 9.114.113.254"]  # one error for the range (issue 18)
    first = document["diagnostics"][0]
    assert set(first) == {"severity", "file", "line", "column", "address", "message"}
    assert first["severity"] == "error" and isinstance(first["line"], int)


def test_every_error_is_reported_sorted_by_line(xclone_cli: click.Group, tmp_path: Path) -> None:
    text = (INVALID / "duplicate-ip.yaml").read_text(encoding="utf-8")
    text = text.replace("spot: 610spot}", "spot: 610spot, method: rte}")
    text = text.replace("net1: {net: 9.114.113.224, mask: 255.255.255.224",
                        "net1: {net: 9.114.113.224, mask: 255.0.255.0")
    spec = tmp_path / "many.yaml"
    spec.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(xclone_cli, ["validate", str(spec)])
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith(str(spec) + ":")]
    lines = [int(line.split(":")[1]) for line in errors if line.split(":")[1].isdigit()]
    assert len(lines) == 2 and lines == sorted(lines)
    assert "2 errors" in result.output
