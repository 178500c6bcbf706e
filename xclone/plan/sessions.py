"""How many commands a spec lets run at once: each host's session limit, and `apply`'s default
`--parallelism`, the sum of them (issue 17).

Terraform's default of 10 suits an API that queues; here every command holds one of a host's
`max_sessions` (the management node's xcatd or NIM master, each install server, each HMC), so
a global cap below their sum leaves sessions the user sized idle: the NIM driver's
lpar_netboots, one per LPAR on its HMC, ran at 1.22x the plan's critical path on 4 HMCs under
10, and 1.02x under the 42 sessions of the management node and the HMCs (commit 539ff8b).
The CLI and the benchmarks both call this module, so both run what a user gets by default.
"""

from __future__ import annotations

from xclone.spec.model import Spec

# Never below Terraform's `-parallelism=10`: a spec with one host and its default sessions
# runs as it did before the default came from the spec.
FLOOR = 10


def session_limits(spec: Spec) -> dict[str, int]:
    """Host -> the most commands run on it at once: the management node, every HMC and every
    install server (NIM master or xCAT service node), each its spec's `max_sessions`. Two
    entries naming one host keep the last one's limit, as the executor counts per host."""
    mn = spec.management_node
    return {mn.host: mn.max_sessions, **{h.host: h.max_sessions for h in spec.hmcs.values()},
            **{s.host: s.max_sessions for s in spec.install_servers.values()}}


def default_parallelism(spec: Spec) -> int:
    """`--parallelism` when the user gives none: every session the spec declares for its hosts
    (so each host's `max_sessions` is what limits it), and at least FLOOR."""
    return max(FLOOR, sum(session_limits(spec).values()))


def describe(spec: Spec, parallelism: int | None) -> str:
    """The line apply prints: the parallelism it runs with and where the number comes from."""
    if parallelism is not None:
        return f"Parallelism: {parallelism} (--parallelism)."
    limits = session_limits(spec)
    chosen = default_parallelism(spec)
    total = sum(limits.values())
    source = (f"the {total} sessions the spec gives its {len(limits)} "
              f"host{'s' * (len(limits) != 1)} (max_sessions)")
    floor = f", raised to the floor of {FLOOR}" if chosen > total else ""
    return f"Parallelism: {chosen}, {source}{floor}; --parallelism N overrides."
