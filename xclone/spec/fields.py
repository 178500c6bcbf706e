"""Constrained strings for spec fields: the check gives a readable message, the schema a pattern.

Pydantic's own pattern errors quote the regular expression, which tells an administrator
nothing; each type here validates with `xclone.base.names` (one clear sentence) and publishes
the equivalent pattern or enum in the JSON Schema so editors flag the same mistakes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from pydantic import AfterValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from xclone.base import names

PRESCRIPT_KINDS = ("standalone", "diskless")

# NIM resource types that `nimnodeset`/bos_inst can allocate next to the mksysb and SPOT.
RESOURCE_TYPES = (
    "bosinst_data",
    "fb_script",
    "image_data",
    "installp_bundle",
    "lpp_source",
    "resolv_conf",
    "script",
)


def _checked(check: Callable[[str], str | None]) -> Callable[[str], str]:
    def validate(value: str) -> str:
        problem = check(value)
        if problem:
            raise ValueError(problem)
        return value

    return validate


def _one_of(what: str, allowed: tuple[str, ...]) -> Callable[[str], str | None]:
    def check(value: str) -> str | None:
        if value in allowed:
            return None
        return f"{what} {value!r} is not one of {', '.join(allowed)}"

    return check


XcatName = Annotated[
    str,
    AfterValidator(_checked(names.name_problem)),
    WithJsonSchema({"type": "string", "pattern": names.NAME_PATTERN, "maxLength": names.NAME_MAX}),
]
LparName = Annotated[
    str,
    AfterValidator(_checked(lambda v: names.name_problem(v, "LPAR name", names.NIM_NAME_MAX))),
    WithJsonSchema(
        {"type": "string", "pattern": names.NAME_PATTERN, "maxLength": names.NIM_NAME_MAX}
    ),
]
HostName = Annotated[
    str,
    AfterValidator(_checked(names.host_problem)),
    WithJsonSchema({"type": "string", "pattern": names.HOST_PATTERN, "maxLength": names.HOST_MAX}),
]
EnvName = Annotated[
    str,
    AfterValidator(_checked(names.env_problem)),
    WithJsonSchema({"type": "string", "pattern": names.ENV_PATTERN}),
]
PrescriptKind = Annotated[
    str,
    AfterValidator(_checked(_one_of("prescript kind", PRESCRIPT_KINDS))),
    WithJsonSchema({"type": "string", "enum": list(PRESCRIPT_KINDS)}),
]
ResourceType = Annotated[
    str,
    AfterValidator(_checked(_one_of("NIM resource type", RESOURCE_TYPES))),
    WithJsonSchema({"type": "string", "enum": list(RESOURCE_TYPES)}),
]


def field_error(field: str, message: str) -> PydanticCustomError:
    """A model-level error that still points at one field (the loader reads `ctx["field"]`)."""
    return PydanticCustomError("xclone", "{message}", {"message": message, "field": field})
