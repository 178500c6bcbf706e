"""Hypothesis profiles (issue 13 item 9: the fast loop well under 30 s). CI runs every fuzzer
with the full example counts ("ci", Hypothesis's own defaults: the CI machine sets `CI`); a
development run tries about a fifth of them ("dev"), the same deadlines, so the fuzzers cost
the fast loop about half what they did. `HYPOTHESIS_PROFILE=ci` (or pytest's
`--hypothesis-profile`) gives a development run CI's counts. tests/conftest.py imports this
before any test module, so the profile holds when their `@settings` are evaluated."""

from __future__ import annotations

import os
from collections.abc import Mapping

from hypothesis import settings

CI_EXAMPLES = int(settings.get_profile("default").max_examples)

settings.register_profile("ci", parent=settings.get_profile("default"))
settings.register_profile("dev", max_examples=max(1, CI_EXAMPLES // 5))


def profile_for(env: Mapping[str, str]) -> str:
    """The profile a run with environment `env` uses: `HYPOTHESIS_PROFILE`, else "ci" where `CI`
    is set (as CI services set it, `CI=true`), else "dev"."""
    return env.get("HYPOTHESIS_PROFILE") or ("ci" if env.get("CI") else "dev")


settings.load_profile(profile_for(os.environ))


def fuzz_examples(ci: int) -> int:
    """A fuzzer's own example count under the loaded profile: `ci` on CI, a fifth of it in the
    "dev" profile (an explicit `max_examples` would otherwise override every profile)."""
    return max(1, ci * int(settings().max_examples) // CI_EXAMPLES)
