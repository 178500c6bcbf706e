"""Imports go one way (STYLE.md): a forbidden import anywhere in xclone/ fails this test."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "xclone"

# package -> xclone packages it may import (itself always allowed)
ALLOWED = {
    "base": set(),
    "spec": {"base"},
    "observed": {"base"},
    "transport": {"base"},
    "plan": {"base", "spec", "observed"},
    "render": {"base", "spec", "plan", "apply"},  # spec diffs; apply progress events
    "apply": {"base", "plan", "observed", "transport"},
    "sim": {"base"},
    "cli": {"base", "spec", "observed", "transport", "plan", "render", "apply", "sim"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return {m.split(".")[1] for m in found if m.startswith("xclone.") and m.count(".") >= 1}


@pytest.mark.parametrize("path", sorted(ROOT.rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_follow_layers(path: Path) -> None:
    rel = path.relative_to(ROOT)
    if len(rel.parts) == 1:
        return
    package = rel.parts[0]
    assert package in ALLOWED, f"new package {package}: add it to the layer table"
    used = _imports(path) - {package}
    forbidden = used - ALLOWED[package]
    assert not forbidden, f"{rel} imports {sorted(forbidden)}; allowed: {sorted(ALLOWED[package])}"
