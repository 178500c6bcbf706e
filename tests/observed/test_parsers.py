"""Every parser over every fixture: `NAME.out` is raw tool output, `NAME.json` names the parser and
holds either the expected parse or the expected error (line number and reason)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from xclone.observed.parsers import hmc, nim, xcat
from xclone.observed.parsers.errors import ParseError

PARSERS: dict[str, Callable[..., Any]] = {
    "xcat_stanzas": xcat.parse_stanzas,
    "xcat_long": xcat.parse_long,
    "xcat_compact": xcat.parse_compact,
    "lsnim_long": nim.parse_lsnim_long,
    "hmc_fields": hmc.parse_fields,
}

FIXTURES = Path(__file__).parent / "fixtures"
CASES = sorted(FIXTURES.glob("*/*.out"))


def _case_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


@pytest.mark.parametrize("raw_path", CASES, ids=_case_id)
def test_parser_fixture(raw_path: Path, as_json: Callable[[Any], Any]) -> None:
    case = json.loads(raw_path.with_suffix(".json").read_text(encoding="utf-8"))
    parse = PARSERS[case["parser"]]
    text = raw_path.read_text(encoding="utf-8")
    if "error" in case:
        with pytest.raises(ParseError) as caught:
            parse(text, **case.get("args", {}))
        err = caught.value
        assert err.line_no == case["error"]["line_no"]
        assert case["error"]["reason_contains"] in err.reason
        assert err.line == text.splitlines()[err.line_no - 1]
        return
    assert as_json(parse(text, **case.get("args", {}))) == case["expected"]


def test_every_fixture_has_an_expectation() -> None:
    for raw_path in CASES:
        case = json.loads(raw_path.with_suffix(".json").read_text(encoding="utf-8"))
        assert ("expected" in case) != ("error" in case), raw_path.name
        assert case["parser"] in PARSERS, raw_path.name


def test_error_names_host_command_and_line_once_located() -> None:
    with pytest.raises(ParseError) as caught:
        xcat.parse_stanzas("node01:\n    id=9\n")
    located = caught.value.at("xcataixmn", "LC_ALL=C lsdef -t node -z")
    assert located.message.startswith("xcataixmn: LC_ALL=C lsdef -t node -z: cannot read output")
    assert "line 1 ('node01:')" in located.message
    assert "objtype" in located.message
