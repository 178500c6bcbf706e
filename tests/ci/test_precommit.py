"""The `xclone-validate` pre-commit hook, run in a throw-away git repository.

Three depths. Always: the hook's entry run the way pre-commit runs it (the staged files matching
`files` and `types`, appended to the entry), which needs nothing beyond xclone. When pre-commit
is installed: pre-commit itself runs the hook's definition as a local hook with the installed
xclone (`language: system`), so its file selection and reporting are pre-commit's own. With
XCLONE_SLOW_TESTS=1: `pre-commit try-repo` on this checkout, exactly as a user's repository runs
it, which builds the hook's Python environment first (about a minute each time).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.ci.conftest import ROOT, SEED

HOOKS = ROOT / ".pre-commit-hooks.yaml"


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, timeout=60)


@pytest.fixture
def spec_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "specs"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / "good.yaml").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (repo / "bad.yml").write_text("version: 1\ncluster: bad name\n", encoding="utf-8")
    (repo / "notes.txt").write_text("not a spec\n", encoding="utf-8")
    _git(repo, "add", ".")
    return repo


def _hook() -> dict[str, object]:
    hooks = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    (hook,) = [h for h in hooks if h["id"] == "xclone-validate"]
    assert hook["language"] == "python"
    return dict(hook)


def _entry(hook: dict[str, object]) -> list[str]:
    words = shlex.split(str(hook["entry"]))
    assert words[0] == "xclone"
    found = shutil.which("xclone")
    return [found, *words[1:]] if found else [sys.executable, "-m", "xclone", *words[1:]]


def _selected(hook: dict[str, object], repo: Path) -> list[str]:
    staged = subprocess.run(["git", "-C", str(repo), "ls-files"], capture_output=True, text=True,
                            check=True, timeout=60).stdout.split()
    pattern = re.compile(str(hook["files"]))
    types = hook.get("types", [])
    assert isinstance(types, list)
    return [f for f in staged if pattern.search(f)
            and ("yaml" not in types or f.endswith((".yaml", ".yml")))]


@pytest.mark.slow
def test_hook_entry_run_as_pre_commit_runs_it(spec_repo: Path) -> None:
    hook = _hook()
    files = _selected(hook, spec_repo)
    assert files == ["bad.yml", "good.yaml"]
    failed = subprocess.run([*_entry(hook), *files], cwd=spec_repo, capture_output=True,
                            text=True, timeout=120, check=False)
    assert failed.returncode == 1
    assert "good.yaml: valid" in failed.stdout
    assert "bad.yml:2:10: cluster: name 'bad name'" in failed.stderr
    (spec_repo / "bad.yml").unlink()
    _git(spec_repo, "add", "-A")
    passed = subprocess.run([*_entry(hook), *_selected(hook, spec_repo)], cwd=spec_repo,
                            capture_output=True, text=True, timeout=120, check=False)
    assert passed.returncode == 0, passed.stderr


def _check_pre_commit_output(done: subprocess.CompletedProcess[str]) -> None:
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "xclone validate" in output and "Failed" in output
    assert "good.yaml: valid" in output
    assert "bad.yml:2:10: cluster: name 'bad name'" in output
    assert "notes.txt" not in output.split("Failed", 1)[1]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pre-commit") is None, reason="pre-commit is not installed")
@pytest.mark.skipif(shutil.which("xclone") is None, reason="xclone is not installed on PATH")
def test_hook_definition_run_by_pre_commit(spec_repo: Path) -> None:
    hook = {**_hook(), "language": "system"}
    config = {"repos": [{"repo": "local", "hooks": [hook]}]}
    (spec_repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    _git(spec_repo, "add", ".pre-commit-config.yaml")
    env = {**os.environ, "PRE_COMMIT_COLOR": "never"}
    _check_pre_commit_output(subprocess.run(
        ["pre-commit", "run", "--all-files"], cwd=spec_repo, env=env, capture_output=True,
        text=True, timeout=300, check=False))


@pytest.mark.skipif(shutil.which("pre-commit") is None, reason="pre-commit is not installed")
@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="xclone is not a git checkout here")
@pytest.mark.skipif(os.environ.get("XCLONE_SLOW_TESTS") != "1",
                    reason="builds a Python environment (~1 min): set XCLONE_SLOW_TESTS=1")
def test_hook_through_pre_commit_try_repo(spec_repo: Path) -> None:
    env = {**os.environ, "PRE_COMMIT_COLOR": "never"}
    done = subprocess.run(["pre-commit", "try-repo", str(ROOT), "xclone-validate", "--files",
                           "good.yaml", "bad.yml", "notes.txt"], cwd=spec_repo, env=env,
                          capture_output=True, text=True, timeout=900, check=False)
    _check_pre_commit_output(done)
