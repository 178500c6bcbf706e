"""`xclone lab show`: the world in a few readable lines, compact even for 10,000 LPARs."""

from __future__ import annotations

from collections import Counter

from xclone.sim.clock import stamp
from xclone.sim.world import World

_LIST_LIMIT = 12


def describe(world: World) -> str:
    clock = world.clock
    speed = "instant" if clock.instant else ("frozen" if clock.scale <= 0 else
                                             f"x{clock.scale:g}")
    lines = [f"Lab clock: {stamp(world.now):%Y-%m-%d %H:%M:%S} ({speed})",
             f"Management node {world.mn['name']} ({world.mn['ip']}), hostnames: "
             f"{', '.join(world.mn['hostnames'])}"]
    if world.mn.get("xcat") is False:
        lines.append("  no xCAT: a NIM master only")
    else:
        for type_ in ("node", "group", "network", "osimage", "site"):
            names = list(world.xcat_all(type_))
            lines.append(f"  xCAT {type_}: {len(names)}" + _names(names))
    nim = world.nim_all()
    by_class = Counter(str(b.get("class")) for b in nim.values())
    lines.append("  NIM: " + ", ".join(f"{n} {c}" for c, n in sorted(by_class.items())))
    for name, body in nim.items():
        if body.get("class") == "machines" and body.get("type") == "standalone":
            result = f", {body['Cstate_result']}" if "Cstate_result" in body else ""
            lines.append(f"    {name}: {body.get('Cstate')}{result}")
            if len(lines) > 60:
                lines.append("    ...")
                break
    installs = world.s.all("install")
    if installs:
        lines.append(f"  installations in progress: {len(installs)}" + _names(list(installs)))
    for hmc in world.hmcs().values():
        lines.append(f"HMC {hmc['name']} ({', '.join(hmc['hostnames'])}), user "
                     f"{hmc['username']}")
        for system in world.systems(hmc["name"]).values():
            lpars = world.lpars(hmc["name"], system["name"])
            lines.append(f"  {system['name']} {system['type_model']} {system['serial']} "
                         f"{system['state']}: {len(lpars)} LPARs")
            for lpar in list(lpars.values())[:_LIST_LIMIT]:
                lines.append(f"    {lpar['name']:<12} id {lpar['id']:<4} {lpar['state']:<14} "
                             f"{lpar['os_version']}")
            if len(lpars) > _LIST_LIMIT:
                lines.append(f"    ... {len(lpars) - _LIST_LIMIT} more")
    faults = world.s.all("fault")
    if faults:
        lines.append(f"Faults: {len(faults)}")
    return "\n".join(lines) + "\n"


def _names(names: list[str]) -> str:
    if not names:
        return ""
    shown = ", ".join(names[:_LIST_LIMIT])
    return f" ({shown}{', ...' if len(names) > _LIST_LIMIT else ''})"
