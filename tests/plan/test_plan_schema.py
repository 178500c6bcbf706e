"""Every plan the planner makes validates against the published schemas/plan.schema.json."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tests.plan.builders import converged_lab, empty_lab, running, seed_spec
from xclone import __version__
from xclone.plan.document import to_json
from xclone.plan.planner import make_plan
from xclone.render.jsonplan import render_json

SCHEMA = json.loads((Path(__file__).parents[2] / "schemas" / "plan.schema.json").read_text())


@pytest.mark.parametrize("case", ["empty-lab", "converged", "running", "absent"])
def test_plans_validate(case: str) -> None:
    spec = seed_spec(node02={"state": "absent"}) if case == "absent" else seed_spec()
    observed = {"empty-lab": empty_lab(), "converged": converged_lab(seed_spec()),
                "running": running(empty_lab(), "node01"),
                "absent": converged_lab(seed_spec())}[case]
    document = json.loads(render_json(make_plan(spec, observed, "sha256:" + "0" * 64)))
    jsonschema.Draft202012Validator(SCHEMA).validate(document)
    assert document.pop("xclone_version") == __version__  # printed only, outside the digest
    assert document == to_json(make_plan(spec, observed, "sha256:" + "0" * 64))


def test_schema_rejects_a_malformed_plan() -> None:
    document = to_json(make_plan(seed_spec(), empty_lab(), "d"))
    document["resource_changes"][0]["change"]["actions"] = ["explode"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(SCHEMA).validate(document)
