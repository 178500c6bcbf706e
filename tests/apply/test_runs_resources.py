"""`xclone runs show` ends with the resource counts the apply itself ended with (`7 added, 1
changed, 0 reinstalled, 0 destroyed`, Terraform's way of counting an outcome), journaled in the
run's `run.end` record; a run journaled before run.end carried them shows as it always did."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.apply.helpers import Scenario


@pytest.fixture(name="seed")
def seed_fixture(tmp_path: Path) -> Scenario:
    return Scenario(tmp_path)


def _resources(output: str, prefix: str) -> str:
    """The resource words of a closing line: what comes between `prefix: ` and `. Actions:`."""
    found = re.search(rf"^{prefix}: (.*?)\. Actions: ", output, re.MULTILINE)
    assert found is not None, output
    return found.group(1)


def test_runs_show_repeats_the_resource_counts_the_apply_ended_with(seed: Scenario) -> None:
    applied = seed.apply()
    assert applied.exit_code == 0, applied.output
    counted = _resources(applied.output, "Apply complete")
    assert re.fullmatch(r"[1-9]\d* added, \d+ changed, \d+ reinstalled, \d+ destroyed", counted)
    [journal] = seed.journals()
    end = json.loads(journal.read_text().splitlines()[-1])
    assert end["event"] == "run.end" and end["resources"] == counted

    shown = seed.xclone("runs", "show", "last", str(seed.spec_file))
    assert shown.exit_code == 0, shown.output
    assert _resources(shown.output, "Summary") == counted
    assert f"Summary: {counted}. Actions: " in shown.output and "0 failed" in shown.output


def test_a_run_journaled_without_resource_counts_shows_actions_only(seed: Scenario) -> None:
    runs = seed.dir / ".xclone" / "runs"
    runs.mkdir(parents=True)
    records: list[dict[str, Any]] = [
        {"event": "run.start", "kind": "apply", "run_id": "aaaa0001", "cluster": "clustersite",
         "spec": "seed-cluster.yaml"},
        {"event": "run.end", "ok": True, "done": ["a1", "a2"], "failed": [], "skipped": [],
         "interrupted": [], "commands": 3}]
    (runs / "20261201T000000Z-aaaa0001.jsonl").write_text(
        "\n".join(json.dumps({"ts": "2026-12-01T00:00:00", **r}) for r in records) + "\n")
    shown = seed.xclone("runs", "show", "aaaa0001")
    assert shown.exit_code == 0, shown.output
    assert "Summary: 2 done, 0 failed, 0 skipped, 0 interrupted; 3 commands.\n" in shown.output
    assert "Actions:" not in shown.output
