"""The published JSON Schema of the spec, generated from the user-facing (raw) models.

Generating keeps one source of truth: the committed `schemas/cluster.schema.json` is this
module's output, and a test fails when the two differ. Regenerate with
`python -m xclone.spec.schema > schemas/cluster.schema.json`.
"""

from __future__ import annotations

import json
from typing import Any

from xclone.spec.raw import SCHEMA_ID, RawSpec

__all__ = ["SCHEMA_ID", "cluster_schema", "render"]
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _closed_maps(node: Any) -> None:
    """Pydantic writes a map with constrained keys as `patternProperties`, which lets keys that
    miss the pattern through unchecked; `propertyNames` + `additionalProperties` rejects them."""
    if isinstance(node, list):
        for item in node:
            _closed_maps(item)
        return
    if not isinstance(node, dict):
        return
    patterns = node.get("patternProperties")
    if isinstance(patterns, dict) and len(patterns) == 1:
        ((pattern, value),) = patterns.items()
        del node["patternProperties"]
        node["propertyNames"] = {**node.get("propertyNames", {}), "pattern": pattern}
        node["additionalProperties"] = value
    for value in node.values():
        _closed_maps(value)


def cluster_schema() -> dict[str, Any]:
    """The schema document, keys in a stable order so the committed file diffs cleanly."""
    generated = RawSpec.model_json_schema(mode="validation")
    generated.pop("title", None)
    _closed_maps(generated)
    return {
        "$schema": DIALECT,
        "$id": SCHEMA_ID,
        "title": "xclone cluster spec",
        **generated,
    }


def render() -> str:
    return json.dumps(cluster_schema(), indent=2, sort_keys=False) + "\n"


if __name__ == "__main__":
    print(render(), end="")
