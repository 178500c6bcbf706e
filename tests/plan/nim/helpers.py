"""Helpers for the NIM planner's tests: plan and apply the example pair through the real CLI,
read the plan document, run an administrator's command in the lab."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import yaml

from tests.apply.helpers import Scenario

CEC = "Server-9117-MMA-SN10F6F3D"
HMC = "hmc01.cluster.com"
MASTER = "nimmaster"
MARK = "xclone:clustersite"


def plan_doc(seed: Scenario, *extra: str) -> dict[str, Any]:
    result = seed.plan("--format", "json", *extra)
    assert result.exit_code == 0, result.output
    doc: dict[str, Any] = json.loads(result.stdout)
    return doc


def commands(doc: dict[str, Any]) -> list[str]:
    """`host: command` per action, in the plan's order."""
    return [f"{a['host']}: {a['command']}" for a in doc["actions"]]


def changes(doc: dict[str, Any]) -> dict[str, list[str]]:
    return {c["address"]: c["change"]["actions"] for c in doc["resource_changes"]}


def plan_error(seed: Scenario, *extra: str) -> str:
    result = seed.plan(*extra)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return result.output


def apply(seed: Scenario) -> None:
    result = seed.xclone("apply", str(seed.spec_file), "--lab", str(seed.lab_file),
                         "--auto-approve")
    assert result.exit_code == 0, result.output


def ok(seed: Scenario, command: str, host: str = MASTER) -> str:
    result = seed.lab.execute(host, command)
    assert (result.stderr, result.exit_status) == ("", 0), command
    return result.stdout


def edit_lab(seed: Scenario, change: Callable[[dict[str, Any]], None]) -> None:
    """Change the lab file before the lab's first command (the state is seeded from it then)."""
    data = yaml.safe_load(seed.lab_file.read_text(encoding="utf-8"))
    change(data)
    seed.lab_file.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
