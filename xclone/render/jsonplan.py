"""The JSON plan document (`--format json`), validated in the tests by schemas/plan.schema.json.

The printed document also names the xclone version that made it, as Terraform's JSON plan has
`terraform_version`: a CI policy reading the plan can tell which planner it came from. The
version stays out of `to_json`, whose digest the lock records and saved plans check, so a plan's
identity does not change with the tool's version.
"""

from __future__ import annotations

import json

from xclone import __version__
from xclone.plan.document import Plan, to_json


def render_json(plan: Plan) -> str:
    document = to_json(plan)
    document = {"format_version": document.pop("format_version"), "xclone_version": __version__,
                **document}
    return json.dumps(document, indent=2, sort_keys=False, ensure_ascii=False) + "\n"
