"""Synthetic labs for benchmarks and scale tests: N LPARs, ~40 per managed system, 8 systems per
HMC, with HMC-style generated MACs and addresses in one xCAT network per HMC."""

from __future__ import annotations

import ipaddress
from typing import Any

import yaml

from xclone.sim import choices

SCRIPTS_DIR = "/export/nim/script_res"  # the NIM driver's default management_node.scripts_dir
NIM_SCRIPTS = ("setupntp", "confignimsh", "mountscratch")  # the example specs' postscripts


def synthetic_lab(n_lpars: int, *, per_system: int = 40, systems_per_hmc: int = 8,
                  instant: bool = True, scale: float = 0.0, seed: int = 0,
                  latency: dict[str, float] | None = None,
                  nim_only: bool = False, costs: Any = None) -> dict[str, Any]:
    """A lab-file document (as a dict) with `n_lpars` LPARs named lpar00001...

    LPARs start `Not Activated` with one virtual adapter each; the management node is a
    configured NIM master on 10.0.0.0/16 (`master_net`) holding the seed's NIM resources
    (610spot, an lpp_source, my_resolv_conf) and the golden node27 runs on the first managed
    system. `nim_only`: the master has no xCAT (the NIM driver's world) and holds the files of
    the postscripts NIM_SCRIPTS names in SCRIPTS_DIR. `costs`: the lab file's `costs:`
    entry (`"realistic"`, or a mapping of settings; docs/lab.md "Costs"), none by default."""
    hmcs: dict[str, Any] = {}
    base = ipaddress.IPv4Address("10.0.0.0")
    for index in range(n_lpars):
        system_no, lpar_no = divmod(index, per_system)
        hmc_no = system_no // systems_per_hmc
        hmc = hmcs.setdefault(f"hmc{hmc_no + 1:03d}", {
            "hostnames": [f"hmc{hmc_no + 1:03d}", f"hmc{hmc_no + 1:03d}.cluster.com"],
            "username": "hscroot", "password": "abc123", "systems": {}})
        serial = f"1{system_no + 1:06X}"
        name = f"Server-9117-MMA-SN{serial}"
        system = hmc["systems"].setdefault(name, {
            "type_model": "9117-MMA", "serial": serial, "state": "Operating", "lpars": {}})
        lpar_id = lpar_no + 2
        prefix = f"{(0x5A0000 + system_no) & 0xFFFFFF:06x}"
        system["lpars"][f"lpar{index + 1:05d}"] = {
            "id": lpar_id, "profiles": [f"lpar{lpar_id}"],
            "adapters": [{"slot": 2, "mac": f"{prefix}{lpar_id:03d}002"}]}
    if hmcs:
        first = next(iter(next(iter(hmcs.values()))["systems"].values()))
        first["lpars"]["node27"] = {"id": 1, "profiles": ["lpar1"], "state": "Running",
                                    "os_version": "AIX 6.1 6100-09-05-1524",
                                    "adapters": [{"slot": 2, "mac": "fef9df8d4a02"}]}
    return {
        "version": 1, "seed": seed, **({} if costs is None else {"costs": costs}),
        "clock": {"instant": True} if instant else {"scale": scale},
        "latency": latency or {},
        "management_node": {
            "name": "xcataixmn", "hostnames": ["xcataixmn", "xcataixmn.cluster.com"],
            "ip": str(base + 1),
            "xcat": False if nim_only else {
                "site": {"clustersite": {"domain": "cluster.com", "master": str(base + 1)}}},
            "files": _nim_files(str(base + 1), list(hmcs)) if nim_only else {},
            "nim": {
                "networks": {"master_net": {
                    "net_addr": "10.0.0.0", "snm": "255.255.0.0",
                    "routing1": "default 10.0.255.254"}},
                "resources": {
                    "610spot": {"type": "spot", "location": "/install/nim/spot/610spot/usr"},
                    "610lpp": {"type": "lpp_source",
                               "location": "/install/nim/lpp_source/610lpp"},
                    "my_resolv_conf": {
                        "type": "resolv_conf",
                        "location": "/install/nim/resolv_conf/my_resolv_conf/resolv.conf",
                        "content": "nameserver 10.0.0.1\ndomain cluster.com\n"}},
                "machines": {"node27": {"if1": "master_net node27 fef9df8d4a02 ent",
                                        "Mstate": "currently running"}}}},
        "hmcs": hmcs,
    }


def _nim_files(mn_ip: str, hmcs: list[str]) -> dict[str, str]:
    """The NIM master's files: the postscripts, and /etc/hosts naming each HMC (10.0.255.N on
    master_net), which NIM's boot of managed clients looks up (`find_net HMC`)."""
    hosts = choices.HOSTS_HEADER + f"{mn_ip} xcataixmn xcataixmn.cluster.com\n" + "".join(
        f"10.0.255.{number} {hmc} {hmc}.cluster.com\n"
        for number, hmc in enumerate(hmcs, start=1))
    return {"/etc/hosts": hosts, **{f"{SCRIPTS_DIR}/{name}": "#!/usr/bin/ksh\nexit 0\n"
                                    for name in NIM_SCRIPTS}}


def synthetic_lab_yaml(n_lpars: int, **options: Any) -> str:
    """`synthetic_lab` as lab-file text, ready to write next to a benchmark and `Lab.init`."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(synthetic_lab(n_lpars, **options), Dumper=dumper, sort_keys=False,
                     default_flow_style=None, width=120)
