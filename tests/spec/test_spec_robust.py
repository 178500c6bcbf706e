"""Whatever the user types, loading ends in a spec or in located diagnostics, never a crash."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzzing import fuzz_examples
from xclone.base.errors import XcloneError
from xclone.spec import load_spec

from .conftest import EXAMPLES

SEED = (EXAMPLES / "seed-cluster.yaml").read_text(encoding="utf-8")
PIECES = ["{", "}", "[", "]", ":", "- ", "\t", "\n", "&a ", "*a", "<<: ", "null", "-1", "yes",
          "!!str ", "'", '"', "#", "0x", "9.114.113.1", ",", "state: absent", "protect: true",
          "password: x", "names: a[3-1]", "mac: 1"]


@settings(max_examples=fuzz_examples(150), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(st.integers(0, len(SEED)), st.sampled_from(PIECES),
                                st.integers(0, 8)), min_size=1, max_size=4))
def test_mutated_seed_never_crashes(tmp_path: Path, edits: list[tuple[int, str, int]]) -> None:
    text = SEED
    for position, piece, cut in edits:
        text = text[:position] + piece + text[position + cut:]
    path = tmp_path / "mutated.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_spec(path)
    except XcloneError as exc:
        assert exc.diagnostics
        assert all(d.location is not None for d in exc.diagnostics)
