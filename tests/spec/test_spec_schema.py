"""The committed JSON Schema is the generated one, accepts the examples, rejects bad shapes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from xclone.spec.schema import SCHEMA_ID, render

from .conftest import EXAMPLES, INVALID, ROOT

SCHEMA_FILE = ROOT / "schemas" / "cluster.schema.json"

# Invalid specs whose problem is one of shape (so a schema-aware editor flags it too); the
# others need cross-references, uniqueness or IP arithmetic that only the loader checks.
SHAPE_ERRORS = [
    "bad-state", "hostile-name", "hostile-profile", "literal-password", "method-rte",
    "missing-cluster", "name-leading-dash", "name-too-long", "ppctimeout-negative",
    "ppctimeout-zero", "prescript-kind", "resource-type", "secret-env-name", "unknown-lpar-key",
    "unknown-top-key", "wrong-type-groups", "wrong-type-id", "wrong-version", "bad-host",
]


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _data(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_committed_schema_is_generated_from_the_models() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == render(), (
        "schemas/cluster.schema.json is stale: run "
        "`python -m xclone.spec.schema > schemas/cluster.schema.json`"
    )


def test_schema_header() -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == SCHEMA_ID


def test_every_property_has_a_description() -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    missing: list[str] = []

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            for name, prop in node.get("properties", {}).items():
                if "description" not in prop:
                    missing.append(f"{where}.{name}")
            for key, value in node.items():
                walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for item in node:
                walk(item, where)

    walk(schema, "$")
    assert not missing


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*-cluster.yaml")), ids=lambda p: p.name)
def test_schema_accepts_examples(validator: Draft202012Validator, path: Path) -> None:
    assert list(validator.iter_errors(_data(path))) == []


@pytest.mark.parametrize("name", SHAPE_ERRORS)
def test_schema_rejects_invalid_shapes(validator: Draft202012Validator, name: str) -> None:
    assert list(validator.iter_errors(_data(INVALID / f"{name}.yaml")))


def test_examples_name_the_schema_for_editors() -> None:
    for path in EXAMPLES.glob("*-cluster.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../../schemas/cluster.schema.json"
