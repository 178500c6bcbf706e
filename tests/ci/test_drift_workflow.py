"""The scheduled drift examples (examples/ci/github-drift.yml, gitlab-drift.yml): each matches
its platform's schema (SchemaStore's, vendored by check-jsonschema, when installed), runs on a
schedule, and its `xclone drift` commands parse against the real CLI; exit 2 opens or updates
the issue, exit 1 fails the job."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import jsonschema
import pytest
import yaml

from tests.apply.helpers import Scenario
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


def _fake_tools(bin_dir: Path, seed: Scenario) -> Path:
    """`xclone` that reaches the seed lab (the workflow's own words, plus `--lab`), and a `gh`
    that logs each call and answers `gh issue list ... --jq '.[0].number'` from a file, as gh
    prints a --jq result: the number, or nothing for an empty list (cli/cli pkg/jq prints a JSON
    null as an empty line)."""
    bin_dir.mkdir()
    calls, issue = bin_dir / "gh.log", bin_dir / "open-issue"
    xclone = bin_dir / "xclone"
    xclone.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m xclone "$@" '
                      f"--lab {shlex.quote(str(seed.lab_file))}\n", encoding="utf-8")
    gh = bin_dir / "gh"
    gh.write_text(f'#!/bin/sh\necho "$*" >> {calls}\n'
                  f'case "$1 $2" in "issue list") cat {issue} 2>/dev/null || true;; esac\n',
                  encoding="utf-8")
    for tool in (xclone, gh):
        tool.chmod(0o755)
    return bin_dir


def _run_steps(steps: list[dict[str, Any]], work: Path, env: dict[str, str]) -> dict[str, str]:
    """Run the workflow's steps as a GitHub runner does: each `run` with `bash -e` (the
    default shell on Linux), a step's `if` read from the outputs the report step wrote to
    $GITHUB_OUTPUT; `uses:` steps (checkout, setup-python, upload) are the runner's own."""
    output = work / "github-output"
    output.write_text("", encoding="utf-8")
    for step in steps:
        if "run" not in step or step["name"] == "Install xclone":
            continue
        outputs = dict(line.split("=", 1) for line in output.read_text().splitlines())
        condition = step.get("if")
        if condition is not None:
            wanted = re.fullmatch(r"\$\{\{ steps\.drift\.outputs\.drifted == '(\w+)' \}\}",
                                  condition)
            assert wanted is not None, condition
            if outputs.get("drifted") != wanted[1]:
                continue
        # a step's env holds expressions: the secret from the runner's env, the rest dummies
        own = {k: env["HMC01_PASSWORD"] if v == "${{ secrets.HMC01_PASSWORD }}" else
               re.sub(r"\$\{\{[^}]*\}\}", "x", v) for k, v in step.get("env", {}).items()}
        done = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=work, text=True,
                              capture_output=True, timeout=300,
                              env={**env, **own, "GITHUB_OUTPUT": str(output)})
        if done.returncode != 0:
            return {"failed": step["name"], "stderr": done.stderr}
    return dict(line.split("=", 1) for line in output.read_text().splitlines())


@pytest.mark.slow
def test_the_drift_workflow_opens_then_updates_then_closes_one_issue(tmp_path: Path) -> None:
    """The workflow's shell steps as written, on the seed lab: a hand change opens the issue
    (label created, none open: `gh issue create`), the next night comments on the open one, and
    once apply put the cluster back the issue is closed; a broken check fails the job."""
    (tmp_path / "lab").mkdir()
    seed = Scenario(tmp_path / "lab")
    assert seed.converge().exit_code == 0
    work = tmp_path / "repo"
    work.mkdir()
    (work / "cluster").mkdir()
    (work / "cluster" / "cluster.yaml").write_text(seed.spec_file.read_text(), encoding="utf-8")
    tools = _fake_tools(tmp_path / "bin", seed)
    job = _load()
    env = {**os.environ, **seed.env, **job["env"], "PATH": f"{tools}:{os.environ['PATH']}",
           "GH_TOKEN": "t", "RUN_URL": "https://example.invalid/run/1"}
    steps = job["jobs"]["drift"]["steps"]
    calls = tools / "gh.log"

    assert _run_steps(steps, work, env) == {"drifted": "false"}  # converged: nothing opened
    assert calls.read_text().splitlines() == [  # only the look for an open issue to close
        "issue list --label xclone-drift --state open --json number --jq .[0].number"]
    assert seed.mn("chdef -t node -o node01 postscripts=evil")[0] == 0
    assert _run_steps(steps, work, env) == {"drifted": "true"}
    log = calls.read_text().splitlines()[1:]
    assert log[0].startswith("label create xclone-drift")
    assert log[-1].startswith("issue create --title xclone: the cluster drifted from cluster "
                              "--label xclone-drift --body-file body.md")
    body = (work / "body.md").read_text(encoding="utf-8")
    assert 'lpar.node01 postscripts: spec "foo,bar", observed "evil"' in body
    assert json.loads((work / "drift.json").read_text())["summary"]["surprising"] == 1

    (tools / "open-issue").write_text("7\n", encoding="utf-8")
    assert _run_steps(steps, work, env) == {"drifted": "true"}
    assert calls.read_text().splitlines()[-1] == "issue comment 7 --body-file body.md"

    assert seed.converge().exit_code == 0
    assert _run_steps(steps, work, env) == {"drifted": "false"}
    assert calls.read_text().splitlines()[-1].startswith("issue close 7 --comment ")

    (work / "cluster" / "cluster.yaml").write_text("version: 1\n", encoding="utf-8")
    failed = _run_steps(steps, work, env)
    assert failed["failed"] == "Report drift", failed


def _fake_curl(bin_dir: Path) -> Path:
    """A `curl` that logs each call and answers the issue list (a GET) from a file, `[]` when
    none is open, as GitLab's issues API answers."""
    calls, issues = bin_dir / "curl.log", bin_dir / "open-issues.json"
    curl = bin_dir / "curl"
    curl.write_text(f'#!/bin/sh\necho "$*" >> {calls}\n'
                    f'case "$*" in *--request*) ;; *) cat {issues} 2>/dev/null || echo "[]";; '
                    "esac\n", encoding="utf-8")
    curl.chmod(0o755)
    return calls


def _run_job(script: list[str], work: Path, env: dict[str, str]) -> int:
    """The job's `script` lines in one shell, as GitLab's runner runs them (bash, errexit and
    pipefail); `before_script` installs tools and xclone, which the test has already."""
    done = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", "\n".join(script)], cwd=work,
                          env=env, text=True, capture_output=True, timeout=300)
    return done.returncode


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("jq") is None, reason="the GitLab job reads the API with jq")
def test_the_gitlab_drift_job_opens_then_notes_then_closes_one_issue(tmp_path: Path) -> None:
    (tmp_path / "lab").mkdir()
    seed = Scenario(tmp_path / "lab")
    assert seed.converge().exit_code == 0
    work = tmp_path / "repo"
    (work / "cluster").mkdir(parents=True)
    (work / "cluster" / "cluster.yaml").write_text(seed.spec_file.read_text(), encoding="utf-8")
    tools = _fake_tools(tmp_path / "bin", seed)
    calls = _fake_curl(tools)
    job = _load(GITLAB)
    env = {**os.environ, **seed.env, **job["variables"], "PATH": f"{tools}:{os.environ['PATH']}",
           "CI_API_V4_URL": "https://gitlab.invalid/api/v4", "CI_PROJECT_ID": "3",
           "CI_JOB_URL": "https://gitlab.invalid/job/1", "XCLONE_GITLAB_TOKEN": "t"}
    script = job["xclone-drift"]["script"]
    api = "https://gitlab.invalid/api/v4/projects/3/issues"

    assert _run_job(script, work, env) == 0  # converged: only the look for an open issue
    assert [line.split()[-1] for line in calls.read_text().splitlines()] == \
        [f"{api}?labels=xclone-drift&state=opened"]
    assert seed.mn("chdef -t node -o node01 postscripts=evil")[0] == 0
    assert _run_job(script, work, env) == 0
    opened = calls.read_text().splitlines()[-1]
    assert "--request POST" in opened and "labels=xclone-drift" in opened
    assert "description@body.md" in opened and opened.endswith(f" {api}")
    assert 'observed "evil"' in (work / "body.md").read_text(encoding="utf-8")

    (tools / "open-issues.json").write_text('[{"iid": 7}]\n', encoding="utf-8")
    assert _run_job(script, work, env) == 0
    assert calls.read_text().splitlines()[-1].endswith(f"body@body.md {api}/7/notes")
    assert seed.converge().exit_code == 0
    assert _run_job(script, work, env) == 0
    closed = calls.read_text().splitlines()[-1]
    assert "--request PUT" in closed and closed.endswith(f"state_event=close {api}/7")

    (work / "cluster" / "cluster.yaml").write_text("version: 1\n", encoding="utf-8")
    assert _run_job(script, work, env) != 0  # a broken check fails the job
