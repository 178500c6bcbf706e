"""The HMC face: `lssyscfg`, `chsysstate`, `lshwres`, `lsrefcode`, `rmvterm`, `lshmc`, `lssysconn`
(docs/formats.md "HMC").

Records are CSV: a field holding the delimiter is quoted; nothing matched prints
`No results were found.` with exit 0 (HMC V9); errors carry HSCL codes where one is known.
"""

from __future__ import annotations

import re

from xclone.sim import choices, power, refcode, refhistory
from xclone.sim.args import Parsed, UsageError, parse
from xclone.sim.clock import stamp
from xclone.sim.store import Body
from xclone.sim.world import Out, World, lpar_key

NO_RESULTS = "No results were found."


def _sys_record(system: Body) -> dict[str, str]:
    return {"name": system["name"], "type_model": system["type_model"],
            "serial_num": system["serial"], "ipaddr": system.get("ip", ""),
            "state": system["state"]}


def _lpar_record(lpar: Body) -> dict[str, str]:
    running = lpar["state"] == "Running" and lpar["os_version"] != "Unknown"
    return {
        "name": lpar["name"], "lpar_id": str(lpar["id"]), "lpar_env": lpar["lpar_env"],
        "state": lpar["state"], "resource_config": "1", "os_version": lpar["os_version"],
        "logical_serial_num": f"{lpar['serial']}{int(lpar['id']):X}",
        "default_profile": lpar["default_profile"], "curr_profile": lpar["curr_profile"],
        "work_group_id": "none", "shared_proc_pool_util_auth": "0",
        "allow_perf_collection": "0", "power_ctrl_lpar_ids": "none", "boot_mode": "norm",
        "lpar_keylock": "norm", "auto_start": "0", "redundant_err_path_reporting": "0",
        "rmc_state": "active" if running else "inactive", "rmc_ipaddr": "",
        "sync_curr_profile": "0"}


def _prof_records(lpar: Body) -> list[dict[str, str]]:
    eth = ",".join(f"{a['slot']}/0/1//0/1" for a in lpar["adapters"] if a["kind"] == "virtual")
    records = []
    for profile in lpar["profiles"]:
        records.append({
            "name": profile, "lpar_name": lpar["name"], "lpar_id": str(lpar["id"]),
            "lpar_env": lpar["lpar_env"], "all_resources": "0", "min_mem": "1024",
            "desired_mem": "4096", "max_mem": "8192", "mem_mode": "ded", "proc_mode": "shared",
            "min_proc_units": "0.1", "desired_proc_units": "0.5", "max_proc_units": "2.0",
            "min_procs": "1", "desired_procs": "1", "max_procs": "2", "sharing_mode": "uncap",
            "uncap_weight": "128", "io_slots": "none", "lpar_io_pool_ids": "none",
            "max_virtual_slots": "20", "virtual_serial_adapters": "0/server/1/any//any/1",
            "virtual_scsi_adapters": "none", "virtual_eth_adapters": eth or "none",
            "hca_adapters": "none", "boot_mode": "norm", "conn_monitoring": "0",
            "auto_start": "0", "power_ctrl_lpar_ids": "none", "work_group_id": "none",
            "redundant_err_path_reporting": "0"})
    return records


def _quote(text: str, delimiter: str) -> str:
    return f'"{text}"' if delimiter in text or '"' in text else text


def _render(records: list[dict[str, str]], fields: str | None, header: bool, out: Out) -> Out:
    if not records:
        return out.out(NO_RESULTS)
    if fields is None:
        for record in records:
            out.out(",".join(_quote(f"{k}={v}", ",") for k, v in record.items()))
        return out
    delimiter = next((c for c in fields if not (c.isalnum() or c == "_")), ",")
    names = fields.split(delimiter)
    for name in names:
        if name not in records[0]:
            return out.err(choices.HMC_USAGE.format(flag="-F")).fail()
    if header:
        out.out(delimiter.join(names))
    for record in records:
        out.out(delimiter.join(_quote(record[n], delimiter) for n in names))
    return out


def find_system(world: World, spec: str | None) -> Body | None:
    for system in world.systems(world.face).values():
        if spec in (system["name"], f"{system['type_model']}*{system['serial']}"):
            return system
    return None


def _filtered(world: World, system: Body, text: str | None, out: Out) -> list[Body] | None:
    lpars = list(world.lpars(world.face, system["name"]).values())
    if not text:
        return lpars
    chosen: list[Body] = []
    filters: list[tuple[str, list[str]]] = []
    for part in re.findall(r'(?:[^,"]|"[^"]*")+', text):
        part = part.replace('"', "")
        if "=" not in part and filters:
            filters[-1][1].append(part)
            continue
        key, _, value = part.partition("=")
        filters.append((key, [v for v in value.split(",") if v]))
    for key, wanted in filters:
        field = {"lpar_names": "name", "lpar_ids": "id"}.get(key)
        if field is None:
            out.err(choices.HMC_USAGE.format(flag="--filter")).fail()
            return None
        for item in wanted:
            match = [lp for lp in lpars if str(lp[field]) == item]
            if not match:
                what = f"named {item}" if field == "name" else f"with ID {item}"
                out.err(f"HSCL8012 The partition {what} was not found.").fail()
                return None
            chosen += [m for m in match if m not in chosen]
    return sorted(chosen, key=lambda lp: int(lp["id"]))


def lssyscfg(world: World, args: list[str]) -> Out:
    out = Out()
    try:
        opts = parse(args, "r:m:F:h", ("filter=", "header", "help"))
    except UsageError:
        return out.err(choices.HMC_USAGE.format(flag="option")).fail()
    kind, fields = opts.value("-r"), opts.value("-F")
    header = opts.has("--header")
    if kind is None:
        return out.err(choices.HMC_MISSING.format(flag="-r")).fail()
    if kind == "sys":
        systems = [_sys_record(s) for s in world.systems(world.face).values()]
        return _render(systems, fields, header, out)
    if kind in ("frame", "cage"):
        return out.out(NO_RESULTS)
    if kind not in ("lpar", "prof"):
        return out.err(choices.HMC_USAGE.format(flag="-r")).fail()
    if opts.value("-m") is None:
        return out.err(choices.HMC_MISSING.format(flag="-m")).fail()
    system = find_system(world, opts.value("-m"))
    if system is None:
        return out.err(choices.HMC_SYS_NOT_FOUND).fail()
    lpars = _filtered(world, system, opts.value("--filter"), out)
    if lpars is None:
        return out
    if kind == "lpar":
        return _render([_lpar_record(lp) for lp in lpars], fields, header, out)
    return _render([r for lp in lpars for r in _prof_records(lp)], fields, header, out)


def chsysstate(world: World, args: list[str]) -> Out:
    out = Out()
    try:
        opts = parse(args, "m:r:o:n:f:b:h", ("id=", "immed", "restart", "help"))
    except UsageError:
        return out.err(choices.HMC_USAGE.format(flag="option")).fail()
    for flag in ("-m", "-r", "-o"):
        if opts.value(flag) is None:
            return out.err(choices.HMC_MISSING.format(flag=flag)).fail()
    system = find_system(world, opts.value("-m"))
    if system is None:
        return out.err(choices.HMC_SYS_NOT_FOUND).fail()
    op = opts.value("-o")
    if opts.value("-r") == "sys" and op in ("on", "off"):
        system["state"] = "Operating" if op == "on" else "Power Off"
        world.s.put("sys", f"{world.face}/{system['name']}", system)
        return out
    if opts.value("-r") != "lpar" or op not in ("on", "shutdown", "osshutdown"):
        return out.err(choices.HMC_USAGE.format(flag="-o")).fail()
    lpars = world.lpars(world.face, system["name"])
    name, lpar_id = opts.value("-n"), opts.value("--id")
    lpar = lpars.get(name or "") if name else next(
        (lp for lp in lpars.values() if str(lp["id"]) == lpar_id), None)
    if lpar is None:
        text = f"HSCL8012 The partition named {name} was not found." if name else \
            choices.HMC_LPAR_ID_NOT_FOUND.format(id=lpar_id)
        return out.err(text).fail()
    if op == "on":
        profile = opts.value("-f")
        if profile is None:
            return out.err(choices.HMC_MISSING.format(flag="-f")).fail()
        problem = power.activate(world, lpar, profile, opts.value("-b") or "norm")
    else:
        problem = power.shutdown(world, lpar, restart=opts.has("--restart"))
    return out.err(problem).fail() if problem else out


def _eth_records(lpars: list[Body]) -> list[dict[str, str]]:
    """Virtual Ethernet adapters; `mac_addr` is 12 upper-case hex digits without separators."""
    return [{"lpar_name": lp["name"], "lpar_id": str(lp["id"]), "slot_num": str(a["slot"]),
             "state": "1", "is_required": "0", "is_trunk": "0", "ieee_virtual_eth": "0",
             "port_vlan_id": "1", "vswitch": "ETHERNET0", "addl_vlan_ids": "",
             "mac_addr": str(a["mac"]).upper(), "allowed_os_mac_addrs": "all",
             "qos_priority": "none"}
            for lp in lpars for a in lp["adapters"] if a["kind"] == "virtual"]


def _lpar_listing(world: World, opts: Parsed, out: Out) -> list[Body] | None:
    """The LPARs a `-m SYS [--filter ...]` listing covers, or None after an error."""
    if opts.value("-m") is None:
        out.err(choices.HMC_MISSING.format(flag="-m")).fail()
        return None
    system = find_system(world, opts.value("-m"))
    if system is None:
        out.err(choices.HMC_SYS_NOT_FOUND).fail()
        return None
    return _filtered(world, system, opts.value("--filter"), out)


def lshwres(world: World, args: list[str]) -> Out:
    out = Out()
    try:
        opts = parse(args, "r:m:F:", ("rsubtype=", "level=", "filter=", "header"))
    except UsageError:
        return out.err(choices.HMC_USAGE.format(flag="option")).fail()
    lpars = _lpar_listing(world, opts, out)
    if lpars is None:
        return out
    if (opts.value("-r"), opts.value("--rsubtype")) != ("virtualio", "eth"):
        return out.out(NO_RESULTS)
    return _render(_eth_records(lpars), opts.value("-F"), opts.has("--header"), out)


def lsrefcode(world: World, args: list[str]) -> Out:
    """`lsrefcode -r lpar -m SYS`: each partition's current reference code; with `-n N` its
    last N codes, newest first (refhistory.py)."""
    out = Out()
    try:
        opts = parse(args, "r:m:F:n:s:", ("filter=", "header"))
    except UsageError:
        return out.err(choices.HMC_USAGE.format(flag="option")).fail()
    if opts.value("-r") is None:
        return out.err(choices.HMC_MISSING.format(flag="-r")).fail()
    if opts.value("-r") not in ("lpar", "sys"):
        return out.err(choices.HMC_USAGE.format(flag="-r")).fail()
    lpars = _lpar_listing(world, opts, out)
    if lpars is None:
        return out
    if opts.value("-r") == "sys":
        return _render([{"refcode_num": "1", "time_stamp": stamp(world.now).strftime(
            choices.REFCODE_TIME_FORMAT), "refcode": ""}], opts.value("-F"),
            opts.has("--header"), out)
    records = []
    count = opts.value("-n")
    for lpar in lpars:
        if count is not None and count.isdigit() and int(count) > 1:
            records += refhistory.records(world, lpar, int(count))
            continue
        since, code = refcode.current(world, lpar)
        records.append({"lpar_name": lpar["name"], "lpar_id": str(lpar["id"]),
                        "time_stamp": stamp(since).strftime(choices.REFCODE_TIME_FORMAT),
                        "refcode": code, "word2": "", "word3": "", "word4": "", "word5": "",
                        "word6": "", "word7": "", "word8": "", "word9": "",
                        "fru_call_out_loc_codes": ""})
    return _render(records, opts.value("-F"), opts.has("--header"), out)


def rmvterm(world: World, args: list[str]) -> Out:
    """`rmvterm -m SYS {-p LPAR | --id N}`: closes the partition's virtual terminal; silent,
    and also when no terminal was open."""
    out = Out()
    try:
        opts = parse(args, "m:p:", ("id=",))
    except UsageError:
        return out.err(choices.HMC_USAGE.format(flag="option")).fail()
    name, lpar_id = opts.value("-p"), opts.value("--id")
    if name is None and lpar_id is None:
        return out.err(choices.HMC_MISSING.format(flag="-p")).fail()
    if lpar_id is None and opts.value("-m") is not None:  # by name: one look-up, not a listing
        system = find_system(world, opts.value("-m"))
        if system is None:
            return out.err(choices.HMC_SYS_NOT_FOUND).fail()
        lpar = world.lpar(lpar_key(world.face, system["name"], str(name)))
        lpars = [] if lpar is None else [lpar]
    else:
        found = _lpar_listing(world, opts, out)
        if found is None:
            return out
        lpars = found
    if not any(lp["name"] == name or str(lp["id"]) == lpar_id for lp in lpars):
        text = f"HSCL8012 The partition named {name} was not found." if name else \
            choices.HMC_LPAR_ID_NOT_FOUND.format(id=lpar_id)
        return out.err(text).fail()
    return out


def lshmc(world: World, args: list[str]) -> Out:
    hmc = world.hmcs()[world.face]
    if "-v" in args:
        return Out().out(f"*TM {hmc['type_model']}").out(f"*SE {hmc['serial']}").out("*RM V9R1")
    return Out(stdout=['"version= Version: 9\n Release: 1\n Service Pack: 942\n'
                       'HMC Build level 20200616.1\n","base_version=V9R1\n"\n'])


def lssysconn(world: World, args: list[str]) -> Out:
    out = Out()
    for system in world.systems(world.face).values():
        out.out(f"resource_type=sys,type_model_serial_num={system['type_model']}*"
                f"{system['serial']},sp=primary,sp_phys_loc=unavailable,"
                f"ipaddr={system.get('ip') or 'unavailable'},alt_ipaddr=unavailable,"
                f"state=Connected")
    return out if out.stdout else out.out(NO_RESULTS)
