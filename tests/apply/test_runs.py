"""`xclone runs` (issue 18): the journal lives beside the spec (`.xclone/runs/`), so runs are
listed and shown from any directory, with their cluster, spec, commands, results and summary."""

from __future__ import annotations

import json
import os
from pathlib import Path

from click.testing import CliRunner, Result

from tests.apply.helpers import Scenario
from xclone.cli.main import _register, cli


def _elsewhere(seed: Scenario, where: Path, *args: str) -> Result:
    """The CLI run from a directory other than the spec's."""
    _register()
    old = os.getcwd()
    where.mkdir(exist_ok=True)
    os.chdir(where)
    try:
        return CliRunner().invoke(cli, list(args), env=seed.env, catch_exceptions=False)
    finally:
        os.chdir(old)


def test_runs_are_journaled_beside_the_spec_and_shown_from_anywhere(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    seed = Scenario(tmp_path / "site")
    other = tmp_path / "elsewhere"
    applied = _elsewhere(seed, other, "apply", str(seed.spec_file), "--lab", str(seed.lab_file),
                         "--auto-approve")
    assert applied.exit_code == 0, applied.output
    assert not (other / ".xclone").exists()
    [journal] = seed.journals()
    run_id = json.loads(journal.read_text().splitlines()[0])["run_id"]

    listed = _elsewhere(seed, other, "runs", "list", str(seed.spec_file))
    assert listed.exit_code == 0, listed.output
    assert run_id in listed.output and "cluster clustersite" in listed.output
    assert f"spec {seed.spec_file}" in listed.output and " ok " in listed.output

    shown = _elsewhere(seed, other, "runs", "show", run_id, str(seed.spec_file))
    assert shown.exit_code == 0, shown.output
    assert f"Run {run_id}: apply of cluster clustersite" in shown.output
    assert "[observe] xcataixmn: " in shown.output and "mkdef" in shown.output
    assert "-> exit 0 in" in shown.output and "0 failed" in shown.output
    assert f"Journal: {journal}" in shown.output

    last = _elsewhere(seed, other, "runs", "show", "last", str(seed.spec_file))
    assert last.output == shown.output

    missing = _elsewhere(seed, other, "runs", "show", "deadbeef", str(seed.spec_file))
    assert missing.exit_code == 1 and "Error: no run deadbeef in" in missing.output


def test_an_interrupted_run_is_listed_as_interrupted_not_failed(tmp_path: Path) -> None:
    """A run whose closing record lists unfinished actions (Ctrl-C) reads `interrupted`; one
    with no closing record (killed) reads `running or killed`."""
    seed = Scenario(tmp_path)
    runs = seed.dir / ".xclone" / "runs"
    runs.mkdir(parents=True)
    start = {"event": "run.start", "kind": "apply", "run_id": "aaaa0001",
             "cluster": "clustersite", "spec": "seed-cluster.yaml"}
    end = {"event": "run.end", "ok": False, "done": ["a1"], "failed": [], "skipped": [],
           "interrupted": ["a7"], "commands": 3}
    (runs / "20261201T000000Z-aaaa0001.jsonl").write_text(
        "\n".join(json.dumps({"ts": "2026-12-01T00:00:00", **r}) for r in (start, end)) + "\n")
    (runs / "20261201T000100Z-aaaa0002.jsonl").write_text(
        json.dumps({**start, "run_id": "aaaa0002", "ts": "2026-12-01T00:01:00"}) + "\n")
    listed = seed.xclone("runs")
    assert listed.exit_code == 0, listed.output
    first, second = listed.output.splitlines()
    assert "aaaa0002" in first and "running or killed" in first
    assert "aaaa0001" in second and "interrupted" in second and "failed" not in second
    shown = seed.xclone("runs", "show", "aaaa0001")
    assert "interrupted" in shown.output and "not finished: a7" in shown.output
