"""xclone installs the way its users install it, and reports the version it was released as.

The CI examples install the distribution `xclone-aix` from the project's git repository at a
release tag (the name `xclone` on the public index is an unrelated project). The slow test runs
each example's install line, as written, in a fresh virtual environment with `XCLONE_GIT_URL`
pointing at a temporary clone of this checkout tagged there with that release tag; it then runs
`pip install -e .` in another fresh environment. The fast tests check that the version, the tag
the examples install and the pre-commit `rev` all name the same release.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.ci.conftest import ROOT
from xclone import __version__

EXAMPLES = sorted((ROOT / "examples" / "ci").glob("*.yml"))
TAG = f"v{__version__}"
INSTALL = re.compile(r"pip install .*\bxclone")


def _install_lines(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [line.strip().removeprefix("- ").removeprefix("run: ").strip()
            for line in text.splitlines() if INSTALL.search(line)]


def test_every_example_installs_xclone_aix_from_git_at_the_release_tag() -> None:
    for path in EXAMPLES:
        lines = _install_lines(path)
        assert lines, path.name
        for line in lines:
            assert '"xclone-aix @ git+${XCLONE_GIT_URL:?' in line, line
            assert line.endswith(f'@{TAG}"'), line
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert "XCLONE_GIT_URL" in data.get("env", data.get("variables", {})), path.name


def test_version_tag_and_pre_commit_rev_agree() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'name = "xclone-aix"' in pyproject
    assert 'version = {attr = "xclone.__version__"}' in pyproject
    assert '"xclone-aix[test]"' in pyproject
    for doc in (ROOT / ".pre-commit-hooks.yaml", ROOT / "docs" / "guide.md"):
        revs = re.findall(r"rev: (\S+)", doc.read_text(encoding="utf-8"))
        assert revs and set(revs) == {TAG}, (doc.name, revs)


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=900,
                          check=False)
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _venv(where: Path) -> tuple[Path, dict[str, str]]:
    _run([sys.executable, "-m", "venv", str(where)], cwd=where.parent)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["PATH"] = f"{where / 'bin'}{os.pathsep}{env['PATH']}"
    env["VIRTUAL_ENV"] = str(where)
    return where / "bin", env


@pytest.mark.slow
def test_the_examples_install_line_and_an_editable_install_work_in_fresh_venvs(
    tmp_path: Path,
) -> None:
    clone = tmp_path / "xclone"
    _run(["git", "clone", "-q", str(ROOT), str(clone)], cwd=tmp_path)
    _run(["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid", "tag", "-f",
          "-a", TAG, "-m", f"xclone {__version__}"], cwd=clone)
    for number, line in enumerate(sorted({ln for p in EXAMPLES for ln in _install_lines(p)})):
        bin_dir, env = _venv(tmp_path / f"venv{number}")
        # `localhost`: the pip bundled with Python 3.11 refuses `git+file:///` (no host) in a
        # `name @ URL` requirement.
        env["XCLONE_GIT_URL"] = f"file://localhost{clone}"
        _run(["bash", "-ec", line], cwd=tmp_path, env=env)
        assert _run([str(bin_dir / "xclone"), "--version"], cwd=tmp_path).split() == \
            ["xclone,", "version", __version__]
        shown = _run([str(bin_dir / "python"), "-m", "pip", "show", "xclone-aix"], cwd=tmp_path)
        assert f"Version: {__version__}" in shown
    bin_dir, env = _venv(tmp_path / "venv-editable")
    _run([str(bin_dir / "python"), "-m", "pip", "install", "-q", "-e", "."], cwd=clone, env=env)
    assert __version__ in _run([str(bin_dir / "xclone"), "--version"], cwd=tmp_path)
    spec = ROOT / "specs" / "examples" / "seed-cluster.yaml"
    assert "valid" in _run([str(bin_dir / "xclone"), "validate", str(spec)], cwd=tmp_path)
