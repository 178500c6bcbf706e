"""What can go wrong with an LPAR's network boot before the install starts: `install:` faults.

`install: slow-hmc`: the HMC takes `SLOW_HMC_SECONDS` to answer each command of xCAT's boot
dialogue. xCAT waits `ppctimeout` seconds for each answer (site table; 0 means 60 s: PPCcli.pm
`connect` and `send_cmd`, DEFAULT_TIMEOUT), so with a smaller ppctimeout the node's line is
`Timeout waiting for prompt` (PPCcli.pm `send_cmd`, expect's `1:TIMEOUT`) and rnetboot exits 2
(docs/formats.md "rnetboot"). Raising ppctimeout above it, as the runbook advises, cures it.
"""

from __future__ import annotations

from xclone.sim import choices
from xclone.sim.world import World
from xclone.sim.xcat.hw import Failure

SLOW_HMC = "slow-hmc"
# [inf] How long a slow HMC takes per answer: above xCAT's default 60 s, below the runbook's 180.
SLOW_HMC_SECONDS = 120
TIMEOUT_TEXT = "Timeout waiting for prompt"


def has(world: World, kind: str, *names: str) -> bool:
    """Whether an `install: KIND` fault names this LPAR (by partition or node name)."""
    return any(f.get("install") == kind and f.get("lpar") in names
               for f in world.s.all("fault").values())


def ppctimeout(world: World) -> int:
    """The seconds xCAT waits for one HMC answer: site `ppctimeout`, 0 or unset meaning 60."""
    raw = str(world.site().get("ppctimeout") or "0").strip()
    value = int(raw) if raw.isdigit() else 0
    return value or choices.PPC_DEFAULT_TIMEOUT


def rnetboot_failure(world: World, node: str, partition: str) -> tuple[Failure, float] | None:
    """The node's failure and the simulated seconds xCAT spent before giving up, or None."""
    if has(world, SLOW_HMC, node, partition):
        limit = ppctimeout(world)
        if limit < SLOW_HMC_SECONDS:
            return Failure(TIMEOUT_TEXT, 2), float(limit)
    return None
