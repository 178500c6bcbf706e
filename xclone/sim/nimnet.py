"""The NIM master's network in a world: the transfers of the installs it serves (costs `nim`).

The transfers live in one meta row (`nim_transfers`: key, start, MB, whether its install has
read its end), so a command reads them once; the schedule (`transfer.Sharing`) is computed at
most once per command and again only after a transfer was added. Once every install has read
its end, the list is emptied: an ended install carries its own times (install.py), so no
reader needs the transfers any more. Each NIM master of the world has its own network: its
rows and memo carry the master's scope (World.serving).
"""

from __future__ import annotations

from xclone.sim.transfer import Sharing, Transfer
from xclone.sim.world import World

POOL = "nim_transfers"
_MEMO = "nim_sharing"


def _pool(world: World) -> list[list[object]]:
    return list(world.s.meta(POOL + world.scope) or [])


def add(world: World, key: str, start: float, size: float) -> None:
    """One more install transfers `size` MB from `start` (never before now)."""
    pool = _pool(world)
    pool.append([key, start, size, False])
    world.s.set_meta(POOL + world.scope, pool)
    world.memo.pop(_MEMO + world.scope, None)


def schedule(world: World) -> Sharing:
    sharing = world.memo.get(_MEMO + world.scope)
    if sharing is None:
        nim = world.costs.nim
        assert nim is not None, "a shared install needs the `nim` costs"
        transfers = [Transfer(str(k), float(s), float(mb))  # type: ignore[arg-type]
                     for k, s, mb, _ in _pool(world)]
        # each master's own network: its costs `servers` entry, else the `nim` bandwidth
        sharing = Sharing(transfers, world.costs.bandwidth(str(world.mn["name"])),
                          nim.client_rate)
        world.memo[_MEMO + world.scope] = sharing
    assert isinstance(sharing, Sharing)
    return sharing


def ended(world: World, key: str) -> None:
    """The install of transfer `key` has read its end: forget all once every one has."""
    pool = [[k, s, mb, done or k == key] for k, s, mb, done in _pool(world)]
    world.s.set_meta(POOL + world.scope, [] if all(entry[3] for entry in pool) else pool)
    if not pool or all(entry[3] for entry in pool):
        world.memo.pop(_MEMO + world.scope, None)
