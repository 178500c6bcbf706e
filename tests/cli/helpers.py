"""Builders of the plan-file tests (tests/cli/test_planfile*.py, test_driver.py): save the seed's
plan, read and edit it as a user with a text editor could, and check that an edited file is
refused before anything runs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.apply.helpers import Scenario
from xclone.base.digest import digest

NODE01 = "lsdef -t node -o node01"


def saved_plan(seed: Scenario, *extra: str) -> tuple[Path, str]:
    planfile = seed.dir / "seed.plan"
    result = seed.plan("-o", "seed.plan", *extra)
    assert result.exit_code == 0, result.output
    return planfile, result.output


def document(planfile: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(planfile.read_text(encoding="utf-8"))
    return data


def rewrite(planfile: Path, data: dict[str, Any], *, fresh_digest: bool) -> None:
    """Edit a plan file as someone with a text editor would, or as someone who also recomputes
    the sha256 (which anyone can)."""
    if fresh_digest:
        data["digest"] = digest({k: v for k, v in data.items() if k != "digest"})
    planfile.write_text(json.dumps(data, indent=2), encoding="utf-8")


def untouched(seed: Scenario) -> bool:
    """Nothing ran: node01 is not defined, no lock was taken, no journal was started."""
    no_lock = seed.mn("ls /var/lib/xclone/locks")[1].strip() == ""
    return seed.mn(NODE01)[0] == 1 and no_lock and not seed.journals()


def assert_refused(seed: Scenario, message: str = "") -> None:
    """`apply seed.plan` and `show seed.plan` both fail with one `Error: seed.plan: ...` message
    holding `message`, and nothing ran."""
    for command in ("apply", "show"):
        result = seed.xclone(command, "seed.plan")
        assert result.exit_code == 1, result.output
        assert "Error: seed.plan: " in result.output and message in result.output, result.output
        assert "Traceback" not in result.output
    assert untouched(seed)
