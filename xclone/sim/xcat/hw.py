"""From an xCAT node to the hardware: its HMC (with the login xCAT holds), managed system and
LPAR, and the name resolution and network lookups the PPC commands depend on."""

from __future__ import annotations

import ipaddress
import threading
from collections import OrderedDict
from dataclasses import dataclass

from xclone.sim import choices
from xclone.sim.clock import xcat_time
from xclone.sim.passwords import current
from xclone.sim.store import Body
from xclone.sim.world import Attrs, World, lpar_key
from xclone.sim.xcat import objects as ob
from xclone.sim.xcat import tables


@dataclass
class Target:
    node: str
    attrs: Attrs
    hmc: Body
    system: Body
    lpar: Body


@dataclass(frozen=True)
class Failure:
    text: str
    status: int = 1


# PPCdb.pm %logon (lines 15-22): the HMC factory login, the last fallback
HMC_DEFAULT_LOGIN = ("hscroot", "abc123")


def hmc_login(world: World, hcp: str) -> tuple[str, str]:
    """The userid/password xCAT sends to an HMC: PPCdb.pm `credentials` (lines 843-955).

    Factory default, then the `passwd` table row (key=hmc, username=hscroot), then the HMC
    node's own ppchcp values (username/password on the node), else those of the `hmc` group."""
    user, password = HMC_DEFAULT_LOGIN
    row = tables.stored_row(world, "passwd", {"key": "hmc", "username": user})
    if row and row.get("password"):
        password = row["password"]
    own = ob.effective(world, hcp, world.xcat("node", hcp) or {})  # its groups' rows too
    source = own if own.get("username") or own.get("password") else \
        world.xcat("group", "hmc") or {}
    return source.get("username") or user, source.get("password") or password


def hmc_for(world: World, hcp: str) -> Body | Failure:
    """The lab HMC behind an HMC node, after checking the userid/password xCAT would send."""
    node = ob.effective(world, hcp, world.xcat("node", hcp) or {})
    candidates = {hcp, node.get("ip", "")}
    for hmc in world.hmcs().values():
        if candidates & {hmc["name"], *hmc["hostnames"]}:
            if hmc_login(world, hcp) != (hmc["username"], current(hmc["password"])):
                return Failure(choices.INVALID_LOGIN)
            return hmc
    return Failure(choices.SSH_UNREACHABLE, 2)


def system_for(world: World, hmc: Body, cec: str) -> Body | Failure:
    cec_attrs = world.xcat("node", cec) or {}
    mtm, serial = cec_attrs.get("mtm", ""), cec_attrs.get("serial", "")
    if not mtm or not serial:
        return Failure(f"'mtm' not defined in 'vpd' database for '{cec}'")
    for system in world.systems(hmc["name"]).values():
        if system["type_model"] == mtm and system["serial"] == serial:
            return system
    return Failure(choices.HMC_SYS_NOT_FOUND)


def resolve(world: World, node: str) -> Target | Failure:
    attrs = ob.effective(world, node, world.xcat("node", node) or {})
    hcp, lpar_id, cec = attrs.get("hcp"), attrs.get("id"), attrs.get("parent")
    if attrs.get("mgt") not in ("hmc", "ivm", "fsp") or not hcp or not lpar_id or not cec:
        return Failure("Node not defined in 'ppc' database")
    cec_attrs = world.xcat("node", cec) or {}
    if not cec_attrs.get("mtm") or not cec_attrs.get("serial"):
        # the ppc and vpd rows are read before any connection is opened
        return Failure(f"'mtm' not defined in 'vpd' database for '{cec}'")
    hmc = _service_processor(world, cec) if attrs.get("mgt") == "fsp" else hmc_for(world, hcp)
    if isinstance(hmc, Failure):
        return hmc
    system = system_for(world, hmc, cec)
    if isinstance(system, Failure):
        return system
    for lpar in world.lpars(hmc["name"], system["name"]).values():
        if str(lpar["id"]) == lpar_id:
            return Target(node, attrs, hmc, system, lpar)
    return Failure("Node not found")


def _service_processor(world: World, cec: str) -> Body | Failure:
    """Direct FSP management (a Flex blade, `mgt=fsp`): xCAT talks to the CEC's own service
    processor. The lab keeps every system under an HMC: the one holding this CEC stands in."""
    for hmc in world.hmcs().values():
        if not isinstance(system_for(world, hmc, cec), Failure):
            return hmc
    return Failure(choices.SSH_UNREACHABLE, 2)


def key_of(target: Target) -> str:
    return lpar_key(target.hmc["name"], target.system["name"], target.lpar["name"])


def resolve_host(world: World, name: str) -> str | None:
    """The management node's name resolution: /etc/hosts (what makehosts writes). On an xCAT
    service node, a name its own /etc/hosts lacks is asked of the site's `nameservers`: the
    management node, whose name server serves its /etc/hosts (makedns), as xCAT sets up a
    service node's resolver (Schema.pm servicenode.nameserver; site.nameservers)."""
    found = _hosts_table(world).get(name)
    if found is None and world.master and world.site().get("nameservers") \
            and world.xcat("node", world.master) is not None:
        return _hosts_table(world.serving("")).get(name)
    return found


_TABLES: OrderedDict[str, dict[str, str]] = OrderedDict()  # /etc/hosts text -> its table
_TABLES_KEPT = 8
_TABLES_LOCK = threading.Lock()


def _hosts_table(world: World) -> dict[str, str]:
    """Each name of /etc/hosts and its address. The table is kept per process by the file's
    text: a per-node command (nimquery after each install) would otherwise parse a thousand
    lines every time."""
    text = world.read("/etc/hosts")
    with _TABLES_LOCK:
        table = _TABLES.get(text)
        if table is not None:
            _TABLES.move_to_end(text)
            return table
    table = {}
    for line in text.splitlines():
        words = line.split("#", 1)[0].split()
        for alias in words[1:]:
            table.setdefault(alias, words[0])
    with _TABLES_LOCK:
        _TABLES[text] = table
        while len(_TABLES) > _TABLES_KEPT:
            _TABLES.popitem(last=False)
    return table


def network_of(world: World, ip: str) -> tuple[str, Attrs] | None:
    """The xCAT network whose net and mask contain `ip`."""
    try:
        address = ipaddress.IPv4Address(ip)
    except ValueError:
        return None
    for name, attrs in world.xcat_all("network").items():
        try:
            net = ipaddress.IPv4Network(f"{attrs.get('net')}/{attrs.get('mask')}", strict=False)
        except ValueError:
            continue
        if address in net:
            return name, attrs
    return None


def has_console(world: World, node: str) -> bool:
    """makeconservercf wrote a console block for the node."""
    return f"#xCAT BEGIN {node} CONS\n" in world.read("/etc/conserver.cf")


def set_status(world: World, node: str, status: str) -> None:
    attrs = world.xcat("node", node)
    if attrs is not None:
        attrs["status"] = status
        attrs["statustime"] = xcat_time(world.now)
        world.put_xcat("node", node, attrs)
