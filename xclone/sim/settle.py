"""Bring every lazily modelled change up to the current simulated time before a command runs."""

from __future__ import annotations

from xclone.sim.world import World


def settle(world: World) -> None:
    """Apply every change due by now. The power and install models are imported only when one
    is due: `lab serve` runs each command in a process of its own, and most have none."""
    while True:
        due = world.s.due_now(world.now)
        if not due:
            return
        from xclone.sim import install, power

        for kind, name in due:
            if kind == "lpar":
                body = world.lpar(name)
                if body is not None:
                    power.settle(world, body)
            elif kind == "install":
                install.settle(world, name)
            else:
                world.s.put(kind, name, world.s.get(kind, name) or {}, due=None)
