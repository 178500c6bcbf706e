"""Stanza files as `mkdef -z` / `chdef -z` read them (DBobjUtils readFileInput rules)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Stanza:
    name: str
    type: str
    attrs: dict[str, str] = field(default_factory=dict)


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


def read(text: str) -> tuple[list[Stanza], list[str]]:
    """Stanzas in file order, and the names of stanzas that lack an objtype."""
    raw: list[tuple[str, dict[str, str]]] = []
    current: dict[str, str] | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.endswith(":"):
            name = stripped[: stripped.rfind(":")].strip()
            if "=" in name:
                current = None
                continue
            current = {}
            raw.append((name, current))
            continue
        if current is None or "=" not in stripped:
            continue
        key, value = stripped.split("=", 1)
        current[key.strip()] = _unquote(value.strip())
    defaults: dict[str, dict[str, str]] = {}
    stanzas: list[Stanza] = []
    missing: list[str] = []
    for name, attrs in raw:
        if name.startswith("default-"):
            defaults[name[len("default-"):]] = {k: v for k, v in attrs.items() if k != "objtype"}
            continue
        type_ = attrs.pop("objtype", "")
        if not type_:
            missing.append(name)
            continue
        merged = {**defaults.get(type_, {}), **attrs}
        stanzas.append(Stanza(name, type_, merged))
    return stanzas, missing
