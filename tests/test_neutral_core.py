"""The core stays driver-neutral (issue 13, "Done when"): no address is spelt by hand (`f"lpar.
{name}"` and its kin: only `base.address.Address` makes the `TYPE.NAME` text), and the planner
core, the executor and the renderers name no xCAT command, not even in a docstring, so that a
second driver never has to read around the first one's words.

Each check is also fed synthetic source, so a check that stopped seeing its pattern would fail."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from xclone.base.address import RESOURCE_TYPES
from xclone.sim.faults import XCAT_COMMANDS

ROOT = Path(__file__).resolve().parent.parent / "xclone"
NEUTRAL = ("plan", "apply", "render")
# The only place allowed to join a type and a name into an address.
ADDRESS_MODULE = ROOT / "base" / "address.py"
_TYPED = re.compile(rf"^({'|'.join(RESOURCE_TYPES)})\.")
# A string literal opening on `TYPE.`: only a module holding one is parsed (the fast loop).
_QUOTED = re.compile(rf"[\"']({'|'.join(RESOURCE_TYPES)})\.")
_XCAT = re.compile(rf"\b({'|'.join(XCAT_COMMANDS)})\b")


def _prefix(node: ast.AST) -> ast.expr | None:
    """The literal a string-building expression starts from: an f-string's first piece, the
    left operand of `+` or `%`, the receiver of `.format`."""
    if isinstance(node, ast.JoinedStr) and node.values:
        return node.values[0]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
        return node.left
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
            and node.func.attr == "format":
        return node.func.value
    return None


def hand_made_addresses(text: str) -> list[int]:
    """Lines building `TYPE.NAME` from a literal prefix: `f"lpar.{x}"`, `"lpar." + x`,
    `"lpar.%s" % x` and `"lpar.{}".format(x)`."""
    if not _QUOTED.search(text):
        return []
    return sorted(node.lineno for node in ast.walk(ast.parse(text))
                  if isinstance(prefix := _prefix(node), ast.Constant)
                  and isinstance(prefix.value, str) and _TYPED.match(prefix.value)
                  and isinstance(node, ast.expr))


def xcat_words(text: str) -> list[str]:
    """Every xCAT command the lab answers (sim/faults.py XCAT_COMMANDS) named in `text`."""
    return [f"{number}: {match.group(0)}" for number, line in enumerate(text.splitlines(), 1)
            for match in _XCAT.finditer(line)]


def test_no_address_is_made_by_hand() -> None:
    found = [f"{path.relative_to(ROOT)}:{line}" for path in sorted(ROOT.rglob("*.py"))
             if path != ADDRESS_MODULE
             for line in hand_made_addresses(path.read_text(encoding="utf-8"))]
    assert not found, found


@pytest.mark.parametrize("package", NEUTRAL)
def test_the_core_names_no_xcat_command(package: str) -> None:
    found = [f"{path.relative_to(ROOT)}:{word}" for path in sorted((ROOT / package).rglob("*.py"))
             for word in xcat_words(path.read_text(encoding="utf-8"))]
    assert not found, found


@pytest.mark.parametrize("text", [
    'a = f"lpar.{name}"\n', 'a = "hmc." + name\n', 'a = "cec.%s" % name\n',
    'a = "osimage.{}".format(name)\n', 'def f(n):\n    return Address.parse(f"group.{n}")\n',
])
def test_a_hand_made_address_is_caught(text: str) -> None:
    assert hand_made_addresses(text)


@pytest.mark.parametrize("text", [
    'a = Address("lpar", name)\n', 'a = f"interfaces.{nic}.ip"\n', 'a = "lpars." + name\n',
    'a = f"{kind}: lpar"\n',
])
def test_what_is_no_address_passes(text: str) -> None:
    assert not hand_made_addresses(text)


def test_an_xcat_word_is_caught_and_a_longer_word_is_not() -> None:
    assert xcat_words('"""Runs `rnetboot` over a noderange."""\n') == ["1: rnetboot"]
    assert not xcat_words("lsdefaults = rpowered = 'getmacs_x'\n")
