"""The JSON plan document (`--format json`), validated in the tests by schemas/plan.schema.json."""

from __future__ import annotations

import json

from xclone.plan.document import Plan, to_json


def render_json(plan: Plan) -> str:
    return json.dumps(to_json(plan), indent=2, sort_keys=False, ensure_ascii=False) + "\n"
