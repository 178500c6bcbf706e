"""One benchmark scenario: a synthetic lab of N LPARs and the spec that clones all of them.

The lab comes from `xclone.sim.generate.synthetic_lab`; its partitions are given one shared
profile (`compute`) so that each managed system's 40 LPARs can be written as one `lpar_ranges`
entry, the way an administrator would declare a uniform cluster. One xCAT network per HMC keeps
every address inside a network the NIM master knows.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xclone.sim.faults import ALL_COMMANDS
from xclone.sim.generate import synthetic_lab

PER_SYSTEM = 40
SYSTEMS_PER_HMC = 8
PROFILE = "compute"
PASSWORD = "abc123"
MN_HOST = "xcataixmn"
WAIT_LIMIT = 86_400  # simulated seconds an install wait may take (default 5400, stall 1200)


@dataclass(frozen=True)
class Scenario:
    """Where one size's files live, and the numbers that describe it."""

    n_lpars: int
    spec_path: Path
    lab: dict[str, Any]
    hmcs: int
    systems: int

    @property
    def env(self) -> dict[str, str]:
        """The HMC password references the spec makes, all pointing at the lab's password."""
        return {f"HMC{i:03d}_PASSWORD": PASSWORD for i in range(1, self.hmcs + 1)}


def latency_table(seconds: float) -> dict[str, float]:
    """The same injected round-trip delay for every command the lab knows."""
    return {name: seconds for name in sorted(ALL_COMMANDS)} if seconds > 0 else {}


def lab_document(n_lpars: int, *, latency: float, scale: float, driver: str = "xcat",
                 costs: str | None = None) -> dict[str, Any]:
    """The synthetic lab with a shared partition profile; `scale` 0 means an instant clock. The
    NIM driver's world is a NIM master without xCAT (`nim_only`). `costs: realistic` gives
    every command its real-cluster latency on the lab clock (docs/lab.md "Costs"); `latency`
    adds real seconds to every call on top (the older model, kept for comparisons)."""
    lab = synthetic_lab(n_lpars, per_system=PER_SYSTEM, systems_per_hmc=SYSTEMS_PER_HMC,
                        instant=scale <= 0, scale=scale, latency=latency_table(latency),
                        nim_only=driver == "nim", costs=costs)
    for hmc in lab["hmcs"].values():
        for system in hmc["systems"].values():
            for name, lpar in system["lpars"].items():
                if name != "node27":
                    lpar["profiles"] = [PROFILE]
    return lab


def _network(hmc_no: int) -> ipaddress.IPv4Network:
    return ipaddress.IPv4Network(f"10.{hmc_no}.0.0/16")


def spec_text(lab: dict[str, Any], cluster: str = "bench", driver: str = "xcat",
              maxssh: int | None = None) -> str:
    """The spec wanting every synthetic LPAR installed from a mksysb of node27. The NIM
    driver's spec differs only where the drivers do (docs/nim-driver.md): `driver: nim` and no
    xCAT `ppctimeout`. `maxssh` sets xCAT's site attribute (its fan-out of rnetboot and
    getmacs -D per HMC, PPC.pm); None keeps xCAT's default, as the runbook does."""
    lines = [
        "version: 1",
        f"cluster: {cluster}",
        *(["driver: nim"] if driver == "nim" else []),
        f"management_node: {{host: {MN_HOST}, user: root}}",
        # On the fast lab clock a poller starved of CPU by the simulator of a thousand LPARs
        # sees simulated hours go by: generous waits let the wall time show that cost instead
        # of failing the install.
        "site:",
        *(["  ppctimeout: 180"] if driver == "xcat" else []),
        *([f'  attributes: {{maxssh: "{maxssh}"}}'] if driver == "xcat" and maxssh else []),
        f"  timeouts: {{install: {WAIT_LIMIT}, install_stall: {WAIT_LIMIT}}}",
        "hmcs:",
    ]
    hmc_names = list(lab["hmcs"])
    for hmc in hmc_names:
        env = f"{hmc.upper()}_PASSWORD"
        lines.append(f"  {hmc}: {{host: {hmc}.cluster.com, username: hscroot, "
                     f"password: {{env: {env}}}}}")
    lines.append("networks:")
    for number in range(1, len(hmc_names) + 1):
        net = _network(number)
        lines.append(f"  net{number:03d}: {{net: {net.network_address}, mask: {net.netmask}, "
                     f"gateway: {net.broadcast_address - 1}}}")
    lines += [
        "osimages:",
        "  610sysb: {source_node: node27, spot: 610spot, resources: {resolv_conf: my_resolv_conf}}",
        "groups:",
        "  aixnodes: {postscripts: [setupntp, confignimsh]}",
        f"lpar_defaults: {{osimage: 610sysb, groups: [aixnodes], profile: {PROFILE}}}",
        "lpar_ranges:",
    ]
    for number, (hmc, body) in enumerate(lab["hmcs"].items(), start=1):
        first_ip = _network(number).network_address + 1
        for cec, system in body["systems"].items():
            names = sorted(n for n in system["lpars"] if n != "node27")
            ids = [system["lpars"][n]["id"] for n in names]
            lines += [
                f"  - names: {names[0]}-{names[-1]}",
                f"    hmc: {hmc}",
                f"    cec: {cec}",
                f"    first_id: {ids[0]}",
                f"    first_ip: {first_ip}",
            ]
            first_ip += len(names)
    return "\n".join(lines) + "\n"


def build(n_lpars: int, where: Path, *, latency: float, scale: float,
          driver: str = "xcat", costs: str | None = None, maxssh: int | None = None) -> Scenario:
    """Write the spec for N LPARs under `where`; the lab stays a dict (seeding skips YAML)."""
    lab = lab_document(n_lpars, latency=latency, scale=scale, driver=driver, costs=costs)
    where.mkdir(parents=True, exist_ok=True)
    spec_path = where / f"bench-{driver}-{n_lpars}.yaml"
    spec_path.write_text(spec_text(lab, driver=driver, maxssh=maxssh), encoding="utf-8")
    systems = sum(len(h["systems"]) for h in lab["hmcs"].values())
    return Scenario(n_lpars, spec_path, lab, len(lab["hmcs"]), systems)
