"""The NIM driver's expected drift: what NIM changes by itself, so `xclone drift` does not
alert on it.

The planner diffs a machine's `if1` and its `state` (resources/lpar.py, lpar_state.py), and
a network's master interface or route; NIM's own state and progress attributes come from the
shared table (xclone/observed/nim_attrs.py). On the HMC side the planner diffs nothing: a
partition whose id or profile differs from the spec is a plan error, and its power state moves
only the notes, so no HMC attribute needs a line here. Everything else that differs (an
adapter changed with `nim -o change`, a machine or resource removed by hand) is surprising.
"""

from __future__ import annotations

from xclone.observed.nim_attrs import INSTALLING, INSTALLING_WHY, NIM_ATTRS
from xclone.plan.changes import AttrDiff


def expected_drift(type_: str, diff: AttrDiff) -> str | None:
    """Why NIM itself makes this difference, or None when it does not."""
    if diff.name in NIM_ATTRS:
        return NIM_ATTRS[diff.name]
    if type_ == "lpar" and diff.name == "state" and diff.before == INSTALLING:
        return INSTALLING_WHY
    return None
