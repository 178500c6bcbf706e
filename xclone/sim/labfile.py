"""The lab file: YAML that seeds a world, checked with file:line:col errors (docs/lab.md).

The result is plain frozen data; `seed.py` turns it into rows of the store.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from xclone.base.diagnostics import Location
from xclone.sim import choices
from xclone.sim.costs import OFF, Costs
from xclone.sim.costsfile import parse as parse_costs
from xclone.sim.errors import LabError
from xclone.sim.faults import ALL_COMMANDS, Fault
from xclone.sim.labcheck import Checker
from xclone.sim.passwords import Stored, reference
from xclone.sim.yamlmarks import Marked, load

XCAT_TYPES = ("node", "group", "network", "osimage", "site")
LPAR_STATES = (
    "Not Activated", "Starting", "Running", "Shutting Down", "Open Firmware", "Error",
    "Not Available",
)
_MAC = re.compile(r"^[0-9a-fA-F]{12}$")


@dataclass(frozen=True)
class Adapter:
    slot: int
    mac: str
    location: str
    path: str
    kind: str = "virtual"
    type: str = "ent"
    ping: bool = True  # whether Open Firmware's ping test through it answers (getmacs -D)


@dataclass(frozen=True)
class LparSpec:
    name: str
    id: int
    profiles: tuple[str, ...]
    default_profile: str
    curr_profile: str
    state: str
    os_version: str
    lpar_env: str
    adapters: tuple[Adapter, ...]


@dataclass(frozen=True)
class SystemSpec:
    name: str
    type_model: str
    serial: str
    state: str
    ip: str
    lpars: tuple[LparSpec, ...]


@dataclass(frozen=True)
class HmcSpec:
    name: str
    hostnames: tuple[str, ...]
    username: str
    password: Stored
    type_model: str
    serial: str
    systems: tuple[SystemSpec, ...]


@dataclass(frozen=True)
class MnSpec:
    name: str
    hostnames: tuple[str, ...]
    ip: str
    xcatdefaults: str
    xcat: dict[str, dict[str, dict[str, str]]]
    nim: dict[str, dict[str, dict[str, str]]]
    files: dict[str, str]
    has_xcat: bool = True  # `xcat: false`: a NIM master without xCAT (issue 14's NIM driver)


@dataclass(frozen=True)
class LabSpec:
    mn: MnSpec
    hmcs: tuple[HmcSpec, ...]
    start: datetime = choices.DEFAULT_START
    scale: float = 0.0
    instant: bool = False
    seed: int = 0
    latency: dict[str, float] = field(default_factory=dict)
    faults: tuple[Fault, ...] = ()
    costs: Costs = OFF
    masters: tuple[MnSpec, ...] = ()  # nim_masters: more NIM masters, no xCAT (issue 17)


def _adapter(c: Checker, node: Any, where: Location, lpar_id: int, tm: str,
             serial: str) -> Adapter | None:
    if not isinstance(node, Marked):
        c.fail(where, "an adapter is a mapping with slot and mac")
        return None
    c.unknown(node, ("slot", "mac", "location", "path", "kind", "type", "ping"))
    slot = int(c.number(node, "slot", 2))
    mac = c.text(node, "mac").lower()
    if mac and not _MAC.match(mac):
        c.fail(node.at("mac"), f"mac must be 12 hexadecimal digits: {mac!r}")
    type_, model = (tm.split("-", 1) + [""])[:2]
    location = str(node.get("location") or f"U{type_}.{model}.{serial}-V{lpar_id}-C{slot}-T1")
    path = str(node.get("path") or f"/vdevice/l-lan@{0x30000000 + slot:x}")
    kind = str(node.get("kind") or ("virtual" if "vdevice" in path else "physical"))
    type_name = str(node.get("type") or "ent")
    if type_name not in ("ent", "hfi-ent"):
        c.fail(node.at("type"), f"an adapter's type is ent or hfi-ent: {type_name!r}")
    ping = node.get("ping", True)
    if not isinstance(ping, bool):
        c.fail(node.at("ping"), f"an adapter's ping is true or false: {ping!r}")
    return Adapter(slot, mac, location, path, kind, type_name, ping is not False)


def _lpar(c: Checker, name: str, node: Any, where: Location, tm: str, serial: str) \
        -> LparSpec | None:
    if not isinstance(node, Marked):
        c.fail(where, f"LPAR '{name}' must be a mapping")
        return None
    c.unknown(node, ("id", "profiles", "default_profile", "curr_profile", "state", "os_version",
                     "lpar_env", "adapters"))
    lpar_id = int(c.number(node, "id", 0))
    if lpar_id < 1:
        c.fail(node.at("id"), f"LPAR '{name}' needs an id >= 1")
    profiles = c.names(node, "profiles", [f"lpar{lpar_id}"])
    default = c.text(node, "default_profile", profiles[0] if profiles else "")
    state = c.text(node, "state", "Not Activated")
    if state not in LPAR_STATES:
        c.fail(node.at("state"), f"unknown LPAR state '{state}' (expected one of "
               f"{', '.join(LPAR_STATES)})")
    curr = c.text(node, "curr_profile", "" if state == "Not Activated" else default)
    adapters_node = node.get("adapters", [])
    adapters: list[Adapter] = []
    if not isinstance(adapters_node, list):
        c.fail(node.at("adapters"), "adapters must be a list")
    else:
        for item in adapters_node:
            adapter = _adapter(c, item, node.at("adapters"), lpar_id, tm, serial)
            if adapter is not None:
                adapters.append(adapter)
    return LparSpec(name, lpar_id, profiles, default, curr, state,
                    c.text(node, "os_version", "Unknown"), c.text(node, "lpar_env", "aixlinux"),
                    tuple(adapters))


def _system(c: Checker, name: str, node: Any, where: Location) -> SystemSpec | None:
    if not isinstance(node, Marked):
        c.fail(where, f"managed system '{name}' must be a mapping")
        return None
    c.unknown(node, ("type_model", "serial", "state", "ip", "lpars"))
    tm = c.text(node, "type_model")
    serial = c.text(node, "serial")
    lpars_node = c.mapping(node, "lpars")
    lpars: list[LparSpec] = []
    ids: dict[int, str] = {}
    for lname, lnode in lpars_node.items():
        lpar = _lpar(c, lname, lnode, lpars_node.at(lname), tm, serial)
        if lpar is None:
            continue
        if lpar.id in ids:
            c.fail(lpars_node.at(lname), f"LPAR id {lpar.id} of '{lname}' is already used by "
                   f"'{ids[lpar.id]}' on managed system '{name}'")
        ids[lpar.id] = lname
        lpars.append(lpar)
    return SystemSpec(name, tm, serial, c.text(node, "state", "Operating"),
                      str(node.get("ip", "")), tuple(lpars))


def _password(c: Checker, node: Marked) -> Stored:
    """A literal, or the spec's `{env: NAME}` / `{file: PATH}` read at login (passwords.py)."""
    value = node.get("password")
    if isinstance(value, Marked):
        if reference(dict(value)) is None or not all(isinstance(v, str) for v in value.values()):
            c.fail(node.at("password"), "password must be a string, {env: NAME} or {file: PATH}")
            return ""
        return {str(k): str(v) for k, v in value.items()}
    return c.text(node, "password", "abc123")


def _hmc(c: Checker, name: str, node: Any, where: Location) -> HmcSpec | None:
    if not isinstance(node, Marked):
        c.fail(where, f"HMC '{name}' must be a mapping")
        return None
    c.unknown(node, ("hostnames", "username", "password", "type_model", "serial", "systems"))
    systems_node = c.mapping(node, "systems")
    systems = [s for n, v in systems_node.items()
               if (s := _system(c, n, v, systems_node.at(n))) is not None]
    return HmcSpec(name, c.names(node, "hostnames", [name]), c.text(node, "username", "hscroot"),
                   _password(c, node),
                   c.text(node, "type_model", choices.HMC_DEFAULT_TYPE_MODEL),
                   c.text(node, "serial", choices.HMC_DEFAULT_SERIAL), tuple(systems))


def _mn(c: Checker, node: Marked, default: str = "xcataixmn", primary: bool = True) -> MnSpec:
    """The management node, or (not `primary`) one more NIM master named `default`."""
    c.unknown(node, ("name", "hostnames", "ip", "xcatdefaults", "xcat", "nim", "files")
              if primary else ("hostnames", "ip", "nim", "files"))
    name = c.text(node, "name", default)
    has_xcat = primary and node.get("xcat") is not False
    xcat_node = c.mapping(node, "xcat") if has_xcat else Marked(node.at("xcat"))
    xcat: dict[str, dict[str, dict[str, str]]] = {}
    for type_, objects in xcat_node.items():
        if type_ not in XCAT_TYPES:
            c.fail(xcat_node.at(type_), f"unknown xCAT object type '{type_}' (expected one of "
                   f"{', '.join(XCAT_TYPES)})")
            continue
        objs = objects if isinstance(objects, Marked) else Marked(xcat_node.at(type_))
        xcat[type_] = {n: c.attrs(v, objs.at(n), f"{type_} '{n}'") for n, v in objs.items()}
    nim_node = c.mapping(node, "nim")
    c.unknown(nim_node, ("networks", "resources", "machines", "groups"))
    nim: dict[str, dict[str, dict[str, str]]] = {}
    for section, objects in nim_node.items():
        objs = objects if isinstance(objects, Marked) else Marked(nim_node.at(section))
        nim[section] = {n: c.attrs(v, objs.at(n), f"NIM object '{n}'") for n, v in objs.items()}
        if section == "resources":
            for n, attrs in nim[section].items():
                if attrs.get("type") not in choices.NIM_RESOURCE_TYPES:
                    c.fail(objs.at(n), f"NIM resource '{n}' needs a type (one of "
                           f"{', '.join(choices.NIM_RESOURCE_TYPES)})")
    files = c.attrs(node.get("files"), node.at("files"), "files")
    return MnSpec(name, c.names(node, "hostnames", [name]), c.ip(node, "ip"),
                  c.text(node, "xcatdefaults", "syslog,remoteshell,syncfiles"), xcat, nim, files,
                  has_xcat)


# What can go wrong with an LPAR's install: install.py (error), xcat/bootfaults.py (slow-hmc),
# bootservices.py (boot-services), nim/nimsh.py (nimsh).
INSTALL_FAULTS = ("error", "slow-hmc", "boot-services", "nimsh")


def _fault(c: Checker, node: Any, where: Location, hosts: set[str]) -> Fault | None:
    if not isinstance(node, Marked):
        c.fail(where, "a fault is a mapping")
        return None
    keys = ("host", "command", "args", "times", "probability", "latency", "hang", "stdout",
            "stderr", "exit", "lpar", "install", "refcode", "drop", "refuse", "down")
    c.unknown(node, keys)
    if "down" in node:
        host = node.get("host")
        if node.get("down") is not True or host is None or str(host) not in hosts:
            c.fail(node.at("down"), "a down fault reads `host: NAME, down: true` (NAME a host "
                   "of the lab)")
        return Fault(host=str(host), down=True)
    if "refcode" in node:
        if "lpar" not in node:
            c.fail(node.at("refcode"), "a stall fault reads `lpar: NAME, refcode: CODE`")
        return Fault(lpar=str(node.get("lpar")), refcode=str(node.get("refcode")))
    if "install" in node:
        kind = str(node.get("install"))
        if kind not in INSTALL_FAULTS or "lpar" not in node:
            c.fail(node.at("install"), "an install fault reads `lpar: NAME, install: KIND` "
                   f"(KIND: {', '.join(INSTALL_FAULTS)})")
        return Fault(lpar=str(node.get("lpar")), install=kind)
    command = c.text(node, "command")
    if command and command not in ALL_COMMANDS and not command.startswith("/"):  # a script
        c.fail(node.at("command"), f"fault names an unknown command '{command}' (known: "
               f"{', '.join(sorted(ALL_COMMANDS))})")
    host = node.get("host")
    if host is not None and str(host) not in hosts:
        c.fail(node.at("host"), f"fault names an unknown host '{host}'")
    if "args" in node:
        try:
            re.compile(str(node["args"]))
        except re.error as exc:
            c.fail(node.at("args"), f"args is not a valid regular expression: {exc}")
    prob = node.get("probability")
    if prob is not None and (not isinstance(prob, (int, float)) or not 0 <= prob <= 1):
        c.fail(node.at("probability"), "probability must be between 0 and 1")
    times = node.get("times")
    status = node.get("exit")
    return Fault(
        command=command, host=None if host is None else str(host),
        args=None if "args" not in node else str(node["args"]),
        times=None if times is None else int(c.number(node, "times", 1)),
        probability=None if prob is None else float(prob),
        latency=c.number(node, "latency", 0.0), hang=c.number(node, "hang", 0.0),
        stdout=None if "stdout" not in node else str(node["stdout"]),
        stderr=None if "stderr" not in node else str(node["stderr"]),
        exit_status=None if status is None else int(c.number(node, "exit", 1)),
        drop=node.get("drop") is True, refuse=node.get("refuse") is True)


def parse(text: str, filename: str) -> LabSpec:
    """Read and check a lab file; every problem found is reported in one LabError."""
    return check(load(text, filename), filename)


def check(root: Marked, filename: str) -> LabSpec:
    """Check a loaded lab document (from a file, or built in Python and wrapped by
    `yamlmarks.mark_plain`)."""
    c = Checker(filename)
    c.unknown(root, ("version", "seed", "clock", "latency", "costs", "management_node", "hmcs",
                     "faults", "nim_masters"))
    mn = _mn(c, c.mapping(root, "management_node", required=True))
    masters_node = c.mapping(root, "nim_masters")
    masters = [_mn(c, v if isinstance(v, Marked) else Marked(masters_node.at(n)), str(n), False)
               for n, v in masters_node.items()]
    hmcs_node = c.mapping(root, "hmcs")
    hmcs = [h for n, v in hmcs_node.items() if (h := _hmc(c, n, v, hmcs_node.at(n)))]
    hosts = {mn.name, *mn.hostnames}
    for master in masters:
        if hosts & {master.name, *master.hostnames}:
            c.fail(masters_node.at(master.name), f"NIM master '{master.name}' shares a host "
                   "name with another master")
        hosts |= {master.name, *master.hostnames}
    for hmc in hmcs:
        hosts |= {hmc.name, *hmc.hostnames}
    clock = c.mapping(root, "clock")
    c.unknown(clock, ("scale", "instant", "start"))
    start = choices.DEFAULT_START
    if "start" in clock:
        try:
            start = datetime.fromisoformat(str(clock["start"]))
        except ValueError:
            c.fail(clock.at("start"), "clock start must read YYYY-MM-DD HH:MM:SS")
    latency_node = c.mapping(root, "latency")
    latency = {k: c.number(latency_node, k, 0.0) for k in latency_node}
    for k in latency:
        if k not in ALL_COMMANDS:
            c.fail(latency_node.at(k), f"latency names an unknown command '{k}'")
    faults_node = root.get("faults", [])
    faults: list[Fault] = []
    if not isinstance(faults_node, list):
        c.fail(root.at("faults"), "faults must be a list")
    else:
        for item in faults_node:
            where = item.where if isinstance(item, Marked) else root.at("faults")
            fault = _fault(c, item, where, hosts)
            if fault is not None:
                faults.append(fault)
    seed = root.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int):
        c.fail(root.at("seed"), "seed must be an integer")
        seed = 0
    costs = parse_costs(c, root, ALL_COMMANDS)
    if c.problems:
        raise LabError(f"{filename}: invalid lab file", c.problems)
    return LabSpec(mn, tuple(hmcs), start, c.number(clock, "scale", 0.0),
                   bool(clock.get("instant", False)), seed, latency, tuple(faults), costs,
                   tuple(masters))
