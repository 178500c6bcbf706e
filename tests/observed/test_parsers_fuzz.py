"""Whatever a tool prints, a parser either returns data or raises ParseError (an XcloneError the
CLI shows as one message): never another exception, so never a traceback."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fuzzing import fuzz_examples
from xclone.drivers.xcat.outcomes import node_outcomes
from xclone.observed.parsers import hmc, hosts, nim, xcat
from xclone.observed.parsers.errors import ParseError

PARSERS: list[Callable[[str], Any]] = [
    lambda t: xcat.parse_stanzas(t, default_type="node"),
    lambda t: xcat.parse_long(t, default_type="node"),
    xcat.parse_compact,
    nim.parse_lsnim_long,
    lambda t: hmc.parse_fields(t, ("name", "lpar_id", "state")),
    hmc.parse_virtual_eth,
    hosts.parse_hosts,
]

# Text built from the pieces these formats are made of, so the fuzzer reaches deep branches.
PIECES = st.sampled_from([
    "node01", ":", "=", " = ", ",", '"', '""', "\n", "\t", "    ", "   ", "#", "Object name: ",
    "(node)", "objtype=node", "ent ", "fef9dfb7c602", "Error: ", "0042-053", "HSCL8018",
    "No results were found.", "type    name", "default-node", "|", "a", "9",
    "9.114.113.230", "::1", "127.0.0.1 loopback localhost",
])
TEXT = st.one_of(st.text(), st.lists(PIECES, max_size=40).map("".join))


@pytest.mark.parametrize("parse", PARSERS, ids=range(len(PARSERS)))
@settings(max_examples=fuzz_examples(150), deadline=None)
@given(text=TEXT)
def test_parsers_fail_only_with_parse_error(parse: Callable[[str], Any], text: str) -> None:
    try:
        parse(text)
    except ParseError as exc:
        assert exc.line_no >= 0 and exc.reason


@settings(max_examples=fuzz_examples(150), deadline=None)
@given(stdout=TEXT, stderr=TEXT, exit_status=st.integers(0, 255))
def test_node_outcomes_always_answers_for_every_node(
    stdout: str, stderr: str, exit_status: int
) -> None:
    got = node_outcomes(stdout, stderr, exit_status, ["node01", "node02"])
    assert sorted(got) == ["node01", "node02"]
