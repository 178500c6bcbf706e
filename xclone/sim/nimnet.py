"""The NIM master's network in a world: the transfers of the installs it serves (costs `nim`).

Each transfer is one row (`nim_transfer`: its key, start and MB), beside a count of those whose
install has not read its end yet and a token that changes with every transfer added. The
schedule (`transfer.Sharing`, a pure function of the transfers) is kept per process under that
token: a boot's transfer is taken into the schedule the process already holds
(`Sharing.extend`), and the rows are read and the schedule built anew only where this process
does not hold the latest one (another process added a transfer, or one started before the
latest). So a thousand installs under way cost a command neither a read of every transfer nor
a schedule of them all. Once every install has read its end, the rows are deleted: an ended
install carries its own times (install.py), so no reader needs the transfers any more. Each NIM
master of the world has its own network: its rows and cache keys carry the master's scope
(World.serving).
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict

from xclone.sim.transfer import Sharing, Transfer
from xclone.sim.world import World

ROWS = "nim_transfer"
OPEN = "nim_transfers_open"  # meta: transfers whose install has not read its end
TOKEN = "nim_transfers_token"  # meta: new with every transfer added, names the rows' content
_KEPT = 16  # schedules a process keeps (one per world and master in use)
_SCHEDULES: OrderedDict[tuple[str, float, float], Sharing] = OrderedDict()
_LOCK = threading.Lock()


def _key(world: World, token: object) -> tuple[str, float, float]:
    """A schedule's cache key: the token of its transfers and its network (each master's own:
    its costs `servers` entry, else the `nim` bandwidth)."""
    nim = world.costs.nim
    assert nim is not None, "a shared install needs the `nim` costs"
    return str(token), world.costs.bandwidth(str(world.mn["name"])), nim.client_rate


def add(world: World, key: str, start: float, size: float) -> None:
    """One more install transfers `size` MB from `start` (never before now)."""
    before = world.s.meta(TOKEN + world.scope)
    token = secrets.token_hex(8)
    world.s.put(ROWS + world.scope, key, {"start": start, "mb": size})
    world.s.set_meta(OPEN + world.scope, int(world.s.meta(OPEN + world.scope, 0)) + 1)
    world.s.set_meta(TOKEN + world.scope, token)
    with _LOCK:
        sharing = _SCHEDULES.pop(_key(world, before), None) if before else None
        if sharing is not None and sharing.extend(Transfer(key, start, size)):
            _SCHEDULES[_key(world, token)] = sharing


def schedule(world: World) -> Sharing:
    """The schedule of every transfer in the rows."""
    token = world.s.meta(TOKEN + world.scope)
    cache = _key(world, token)
    with _LOCK:
        sharing = _SCHEDULES.get(cache) if token else None
        if sharing is not None:
            _SCHEDULES.move_to_end(cache)
            return sharing
    transfers = [Transfer(key, float(row["start"]), float(row["mb"]))
                 for key, row in world.s.all(ROWS + world.scope).items()]
    sharing = Sharing(transfers, cache[1], cache[2])
    if token:
        with _LOCK:
            _SCHEDULES[cache] = sharing
            while len(_SCHEDULES) > _KEPT:
                _SCHEDULES.popitem(last=False)
    return sharing


def ended(world: World) -> None:
    """One install has read the end of its transfer (each does once): forget every transfer
    once all have."""
    still = int(world.s.meta(OPEN + world.scope, 0)) - 1
    world.s.set_meta(OPEN + world.scope, max(still, 0))
    if still > 0:
        return
    for key in world.s.all(ROWS + world.scope):
        world.s.delete(ROWS + world.scope, key)
    world.s.set_meta(TOKEN + world.scope, "")
