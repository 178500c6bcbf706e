"""Constrained strings for spec fields: the check gives a readable message, the schema a pattern.

Pydantic's own pattern errors quote the regular expression, which tells an administrator
nothing; each type here validates with `xclone.base.names` (one clear sentence) and publishes
the equivalent pattern or enum in the JSON Schema so editors flag the same mistakes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated

from pydantic import AfterValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from xclone.base import names

PRESCRIPT_KINDS = ("standalone", "diskless")

# The placeholder `xclone import` writes for what it cannot tell; no name, address or host
# accepts it. Here rather than in the importer, so loading a spec does not import the importers.
TODO = "<TODO>"

# The HMC takes a partition id from 1 to the managed system's `max_lpars` (HMC man page
# mksyscfg, `lpar_id`); the largest Power systems (E980, E1080) support 1,000 partitions, so a
# larger id is a typo, caught before it reaches a noderange, a lab MAC or an HMC command.
MAX_LPAR_ID = 1000

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


# A path on the NIM master that becomes `-a location=PATH` of a nim command: absolute, in the
# name characters, no `.` or `..` part (so it names what it says), within AIX's PATH_MAX (1023).
PATH_PATTERN = r"^(/[A-Za-z0-9_.+-]+)+$"
PATH_MAX = 1023
_PATH = re.compile(PATH_PATTERN)


def _path_problem(value: str) -> str | None:
    if len(value) > PATH_MAX or not _PATH.match(value):
        return (f"path {value!r} must be absolute, made of '/'-separated parts of letters, "
                f"digits, '_', '.', '+' and '-', at most {PATH_MAX} characters")
    if any(part in (".", "..") for part in value.split("/")):
        return f"path {value!r} must not have a '.' or '..' part"
    return None


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
AbsolutePath = Annotated[
    str,
    AfterValidator(_checked(_path_problem)),
    WithJsonSchema({"type": "string", "pattern": PATH_PATTERN, "maxLength": PATH_MAX}),
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
