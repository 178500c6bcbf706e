"""Per-node judgement of batched commands: one fixture per batch (stdout, stderr, exit, nodes)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from xclone.drivers.xcat import outcomes
from xclone.drivers.xcat.outcomes import node_outcomes

CASES = sorted((Path(__file__).parent / "fixtures" / "outcomes").glob("*.json"))


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_node_outcomes(path: Path) -> None:
    case = json.loads(path.read_text(encoding="utf-8"))
    good = getattr(outcomes, case.get("good_texts", "SUCCESS_TEXTS"))
    got = node_outcomes(
        case["stdout"], case["stderr"], case["exit_status"], case["nodes"],
        good_texts=good, mn=case.get("mn"),
    )
    assert sorted(got) == sorted(case["nodes"])
    for node, want in case["expected"].items():
        outcome = got[node]
        assert outcome.node == node
        assert outcome.ok is want["ok"], (node, outcome)
        assert outcome.text == want["text"]
        assert list(outcome.codes) == want.get("codes", list(outcome.codes))
        assert list(outcome.kinds) == want.get("kinds", list(outcome.kinds))


def test_lines_are_paired_by_name_not_position() -> None:
    nodes = ["node01", "node02"]
    forward = node_outcomes("node01: Success\nnode02: Node not found\n", "", 1, nodes)
    backward = node_outcomes("node02: Node not found\nnode01: Success\n", "", 1, nodes[::-1])
    assert forward == backward
    assert [forward[n].ok for n in ("node01", "node02")] == [True, False]


def test_a_name_that_is_not_in_the_batch_is_not_a_node_line() -> None:
    got = node_outcomes("hmc01: Success\n", "", 1, ["node01"])
    assert not got["node01"].ok
    assert got["node01"].text == "hmc01: Success"
