"""`install: boot-services`: the install server's boot services stopped answering.

bootpd and tftpd run under inetd and the client mounts the SPOT over NFS (IBM AIX, "Debugging a
network boot problem"), so with them down a network boot is never answered: the partition stays
in firmware on its BOOTP request and NIM's Cstate stays "BOS installation has been enabled".
The runbook's remedy restarts inetd, the tftp subserver and the nfs group (aix/src.py); once all
three were restarted after the fault was added, boots are answered again.
"""

from __future__ import annotations

from xclone.sim.world import World

BOOT_SERVICES = "boot-services"
SERVICES = ("inetd", "tftp", "nfs")  # what `stopsrc`/`startsrc` must restart, in any order
# Meta keys, each suffixed with the master's scope (World.scope: "" for the primary).
RESTARTED = "boot_services_restarted"  # services stopped then started, not yet all three
CURED = "boot_services_cured"  # the keys of boot-services faults a restart cured


def services_down(world: World, node: str, partition: str) -> bool:
    """Whether this LPAR's network boot goes unanswered by the master `world` serves: a
    boot-services fault names it and the three services have not all been restarted on that
    master since it was added (each NIM master runs its own inetd, tftpd and NFS)."""
    cured = set(world.s.meta(CURED + world.scope) or [])
    return any(f.get("install") == BOOT_SERVICES and f.get("lpar") in (node, partition)
               and key not in cured for key, f in world.s.all("fault").items())


def restarted(world: World, services: set[str]) -> None:
    """Services restarted so far on the master `world` serves; once all three were, every
    boot-services fault is cured for the boots that master answers."""
    if not set(SERVICES) <= services:
        world.s.set_meta(RESTARTED + world.scope, sorted(services))
        return
    world.s.set_meta(RESTARTED + world.scope, [])
    cured = set(world.s.meta(CURED + world.scope) or [])
    cured |= {key for key, f in world.s.all("fault").items() if f.get("install") == BOOT_SERVICES}
    world.s.set_meta(CURED + world.scope, sorted(cured))
