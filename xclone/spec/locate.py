"""Turn pydantic validation errors into diagnostics that point at the offending YAML node.

Pydantic reports a `loc` path through the data; the marks table is keyed by the same path, so
each error lands on the field's line (or, for a missing key, its parent's). Messages are reworded
into the spec's vocabulary and never include the rejected input, which may be a secret.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ValidationError

from xclone.base.address import Address
from xclone.base.diagnostics import Diagnostic, Location
from xclone.base.yamlmarks import Marks, Path

_ADDRESS_TYPES = {
    "hmcs": "hmc",
    "networks": "network",
    "osimages": "osimage",
    "groups": "group",
    "lpars": "lpar",
}


def address_for(path: Path, cluster: object = None) -> str | None:
    """The resource address a document path belongs to (`lpar.node01`), or a section label."""
    if not path:
        return None
    head = path[0]
    if head in _ADDRESS_TYPES and len(path) > 1:
        return f"{_ADDRESS_TYPES[str(head)]}.{path[1]}"
    if head == "site":
        return str(Address("site", cluster)) if isinstance(cluster, str) and cluster else "site"
    if head == "lpar_ranges" and len(path) > 1:
        return f"lpar_ranges[{path[1]}]"
    if head in ("lpar_defaults", "management_node"):
        return str(head)
    return None


def known_keys(models: Iterable[type[BaseModel]]) -> list[str]:
    """Every field name of these models and the models they contain, for 'did you mean'."""
    seen: set[type[BaseModel]] = set()
    keys: set[str] = set()
    pending = list(models)
    while pending:
        model = pending.pop()
        if model in seen:
            continue
        seen.add(model)
        for name, info in model.model_fields.items():
            keys.add(name)
            pending.extend(_models_in(info.annotation))
    return sorted(keys)


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    for arg in getattr(annotation, "__args__", ()):
        found.extend(_models_in(arg))
    return found


def _label(loc: Path) -> str:
    label = ""
    for part in reversed(loc):
        if isinstance(part, int):
            label = f"[{part}]{label}"
        else:
            return f"{part}{label}"
    return label


# pydantic's error types for a value outside its choices or its bounds: the rule alone hides
# the typo (`input should be less than or equal to 1000`), so the message quotes the input
_CHOICES = ("literal_error", "enum", "greater_than_equal", "less_than_equal", "greater_than",
            "less_than")


def _message(error: Any, loc: Path, keys: list[str], *, labelled: bool) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    last = str(loc[-1]) if loc else ""
    if kind == "extra_forbidden":
        # `keys` spans every section, so the key itself may be valid elsewhere: never offer it.
        close = difflib.get_close_matches(last, [k for k in keys if k != last], n=1)
        return f"unknown key {last!r}" + (f" (did you mean {close[0]!r}?)" if close else "")
    if kind == "xclone":
        return str(ctx.get("message", error["msg"]))
    text = str(ctx["error"]) if kind == "value_error" and "error" in ctx else str(error["msg"])
    text = text.replace("a valid tuple", "a list").replace("a valid dictionary", "a mapping")
    if kind in _CHOICES and "input" in error:
        text = f"{text} (got {error['input']!r})"
    label = _label(loc) if labelled else ""
    if not label or text.startswith(label.split("[")[0]):
        return text
    return f"{label}: {text[:1].lower()}{text[1:]}"


def validation_diagnostics(
    exc: ValidationError,
    marks: Marks,
    *,
    base: Path = (),
    fields: dict[str, Path] | None = None,
    keys: list[str] | None = None,
    address: str | None = None,
    cluster: object = None,
    missing: str = "missing required key {key!r}",
) -> list[Diagnostic]:
    """One diagnostic per pydantic error.

    `base` is where the validated data sits in the document; `fields` maps a top-level field
    to its own document path when the data was assembled from several places (an LPAR built from
    lpar_defaults, a range and its own entry). `missing` words a missing key (`{key}`).
    """
    found: list[Diagnostic] = []
    for error in exc.errors(include_url=False):
        loc: Path = tuple(error["loc"])
        ctx = error.get("ctx") or {}
        if error["type"] == "xclone" and "field" in ctx:
            loc = (*loc, str(ctx["field"]))
        is_key = bool(loc) and loc[-1] == "[key]"
        if is_key:
            loc = loc[:-1]
        path = (*base, *loc)
        if fields and loc and str(loc[0]) in fields:
            path = (*fields[str(loc[0])], *loc[1:])
        at_key = is_key or error["type"] == "extra_forbidden"
        where: Location | None = marks.at(path, key=at_key)
        message = _message(error, loc, keys or [], labelled=not is_key)
        if error["type"] == "missing":
            message = missing.format(key=str(loc[-1]) if loc else "")
        found.append(Diagnostic(message, where, address or address_for(path, cluster)))
    return found
