"""The Hypothesis profiles of tests/fuzzing.py: CI keeps every fuzzer's full example count, a
development run tries a fifth of them with the same deadlines (issue 13 item 9)."""

from __future__ import annotations

from hypothesis import settings

from tests.fuzzing import CI_EXAMPLES, fuzz_examples, profile_for


def test_ci_runs_the_full_counts_and_dev_a_fifth_with_the_same_deadline() -> None:
    ci, dev = settings.get_profile("ci"), settings.get_profile("dev")
    assert ci.max_examples == CI_EXAMPLES == 100
    assert dev.max_examples == CI_EXAMPLES // 5
    assert dev.deadline == ci.deadline == settings.get_profile("default").deadline


def test_the_profile_follows_ci_unless_hypothesis_profile_says_otherwise() -> None:
    assert profile_for({}) == "dev"
    assert profile_for({"CI": "true"}) == "ci"
    assert profile_for({"CI": ""}) == "dev"
    assert profile_for({"CI": "true", "HYPOTHESIS_PROFILE": "dev"}) == "dev"
    assert profile_for({"HYPOTHESIS_PROFILE": "ci"}) == "ci"


def test_an_explicit_example_count_scales_with_the_loaded_profile() -> None:
    loaded = settings().max_examples
    assert fuzz_examples(200) == 200 * loaded // CI_EXAMPLES
    assert fuzz_examples(1) == 1
