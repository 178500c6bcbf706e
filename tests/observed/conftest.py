"""Shared helpers for the observation tests: turning parsed values into JSON-comparable data."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

import pytest


def jsonable(value: Any) -> Any:
    """Dataclasses, mappings and tuples as dicts and lists: the shape fixtures are written in."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


@pytest.fixture(name="as_json")
def as_json_fixture() -> Callable[[Any], Any]:
    return jsonable
