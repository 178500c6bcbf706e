"""The scheduled drift examples (examples/ci/github-drift.yml, gitlab-drift.yml): each matches
its platform's schema (SchemaStore's, vendored by check-jsonschema, when installed), runs on a
schedule, and its `xclone drift` commands parse against the real CLI; exit 2 opens or updates
the issue, exit 1 fails the job."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

import click
import jsonschema
import pytest
import yaml

from tests.ci.conftest import ROOT, SEED

WORKFLOW = ROOT / "examples" / "ci" / "github-drift.yml"
GITLAB = ROOT / "examples" / "ci" / "gitlab-drift.yml"


def _load(path: Path = WORKFLOW) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    # YAML 1.1 reads the key `on` as true; GitHub reads it as the string.
    return {("on" if k is True else k): v for k, v in data.items()}


@pytest.mark.parametrize(("path", "name"), [(WORKFLOW, "github-workflows.json"),
                                            (GITLAB, "gitlab-ci.json")])
def test_drift_workflows_match_the_schemastore_schemas(path: Path, name: str) -> None:
    check_jsonschema = pytest.importorskip("check_jsonschema")
    vendored = Path(check_jsonschema.__file__).parent / "builtin_schemas" / "vendor" / name
    schema = json.loads(vendored.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(_load(path))]
    assert not errors, errors


def _drift_calls(text: str) -> list[list[str]]:
    return [shlex.split(m[1].split(">")[0]) for m in re.finditer(r"xclone (drift .*)", text)]


def _parse(xclone_cli: click.Group, calls: list[list[str]]) -> None:
    command = xclone_cli.get_command(click.Context(xclone_cli), "drift")
    assert command is not None
    for words in calls:
        command.make_context("drift", [w.replace("$SPEC", "cluster") for w in words[1:]])


def test_drift_workflow_runs_nightly_and_keeps_one_issue(
    xclone_cli: click.Group, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _load()
    assert data["on"]["schedule"][0]["cron"]
    assert data["permissions"] == {"contents": "read", "issues": "write"}
    steps = data["jobs"]["drift"]["steps"]
    by_name = {step.get("name"): step for step in steps}
    report = by_name["Report drift"]["run"]
    assert 'if [ "$status" -eq 1 ]; then exit 1; fi' in report
    assert 'echo "drifted=$([ "$status" -eq 2 ]' in report
    assert by_name["Open or update the drift issue"]["if"] == \
        "${{ steps.drift.outputs.drifted == 'true' }}"
    opened = by_name["Open or update the drift issue"]["run"]
    assert "gh issue comment" in opened and "gh issue create" in opened
    assert "gh issue close" in by_name["Close the drift issue once the cluster matches"]["run"]
    calls = _drift_calls(report)
    assert len(calls) == 2
    (tmp_path / "cluster").mkdir()
    (tmp_path / "cluster" / "cluster.yaml").write_text(SEED.read_text(encoding="utf-8"))
    monkeypatch.chdir(tmp_path)
    _parse(xclone_cli, calls)


def test_gitlab_drift_job_runs_on_a_schedule_and_keeps_one_issue(
    xclone_cli: click.Group, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = _load(GITLAB)["xclone-drift"]
    assert job["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "schedule"'}]
    script = "\n".join(job["script"])
    assert 'xclone drift "$SPEC" > drift.txt || status=$?' in script
    assert 'test "$status" -ne 1' in script
    assert 'if [ "$status" -eq 2 ]; then' in script and "state_event=close" in script
    calls = _drift_calls(script)
    assert len(calls) == 2
    (tmp_path / "cluster").mkdir()
    (tmp_path / "cluster" / "cluster.yaml").write_text(SEED.read_text(encoding="utf-8"))
    monkeypatch.chdir(tmp_path)
    _parse(xclone_cli, calls)
