"""The benchmark hook for several NIM masters (issue 17): a synthetic scenario spread over N.

`spread(lab, spec, masters)` takes a NIM-driver scenario (`scenario.lab_document(...,
driver="nim")` and its `scenario.spec_text`) and gives back the same cluster served by
`masters` NIM masters: the management node and `masters - 1` more (`nim02`, ...), each a NIM
master of the lab (`nim_masters`: its own NIM database, files and, with costs `nim`, its own
network; the named SPOT and other resources the spec installs with, as a shop sets up each
master) on its own 10.(100+k).0.0/16, and an `install_servers` entry of the spec serving every
`masters`-th HMC network (round robin), reached through routes as the management node reaches
them. The image is backed up once on the management node and copied to each other master.
`python -m benchmarks.masters N LPARS DIR` writes the pair for a look or a by-hand run;
`python -m benchmarks.masters model LPARS DIR [N...]` plans LPARS on 1, 4 and 16 masters and
models each apply with the realistic costs (benchmarks/model.py, one network per master),
against the bandwidth-bound limit (one master's share of the bytes over its bandwidth, plus
the image's creation, its copies and a SPOT build).
"""

from __future__ import annotations

import copy
import dataclasses
import logging
import math
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import structlog
import yaml

from benchmarks import model, scenario, servicenodes
from benchmarks.model import Cluster
from benchmarks.suite import XCAT_MAXSSH
from xclone.cli.connect import logins_for, targets_for
from xclone.observed.canonical import digest_of
from xclone.observed.observe import observe
from xclone.plan.action import Action
from xclone.plan.context import PlanOptions
from xclone.plan.planner import make_plan
from xclone.plan.sessions import default_parallelism, session_limits
from xclone.sim import Lab, choices
from xclone.sim.costs import REALISTIC
from xclone.sim.generate import NIM_SCRIPTS, SCRIPTS_DIR
from xclone.sim.transfer import Sharing, Transfer
from xclone.sim.xcat.fanout import DEFAULT_MAXSSH, DEFAULT_PPCMAXP
from xclone.sim.xcat.sncopy import SPOT_MB
from xclone.spec import load_spec
from xclone.transport.sim import SimTransport


def master_name(index: int) -> str:
    """The name of master `index` (1: the management node's spec has its own)."""
    return f"nim{index:02d}"


def _master_lab(index: int, resources: dict[str, Any]) -> dict[str, Any]:
    net = f"10.{100 + index}"
    name = master_name(index)
    return {
        "hostnames": [name, f"{name}.cluster.com"],
        "ip": f"{net}.0.1",
        "nim": {"networks": {"master_net": {"net_addr": f"{net}.0.0", "snm": "255.255.0.0",
                                            "routing1": f"default {net}.255.254"}},
                "resources": copy.deepcopy(resources)},  # its own SPOT, lpp_source, ...
        "files": {"/etc/hosts": choices.HOSTS_HEADER + f"{net}.0.1 {name} {name}.cluster.com\n",
                  **{f"{SCRIPTS_DIR}/{s}": "#!/usr/bin/ksh\nexit 0\n" for s in NIM_SCRIPTS}},
    }


def spread(lab: dict[str, Any], spec: str, masters: int) -> tuple[dict[str, Any], str]:
    """The lab document and spec text of the same cluster on `masters` NIM masters."""
    if masters < 1:
        raise ValueError("at least one NIM master")
    lab = copy.deepcopy(lab)
    if masters == 1:
        return lab, spec
    resources = lab["management_node"]["nim"].get("resources", {})
    lab["nim_masters"] = {master_name(k): _master_lab(k, resources)
                          for k in range(2, masters + 1)}
    networks = [f"net{number:03d}" for number in range(1, len(lab["hmcs"]) + 1)]
    served = {master_name(k): [n for i, n in enumerate(networks) if i % masters == k - 1]
              for k in range(2, masters + 1)}
    lines = ["install_servers:"] + [
        f"  {name}: {{host: {name}, networks: [{', '.join(nets)}]}}"
        for name, nets in served.items() if nets]
    head, sep, tail = spec.partition("site:\n")
    return lab, head + "\n".join(lines) + "\n" + sep + tail


@dataclass(frozen=True)
class Modelled:
    """One size on N masters, on the real-time model (benchmarks/model.py) per master."""

    n_lpars: int
    masters: int
    # the modelled apply under the executor's limits (apply's default --parallelism: every
    # session the spec gives its hosts, xclone/plan/sessions.py),
    # in real-cluster seconds
    seconds: float
    critical: float  # the same graph without limits: its critical path
    bound: float  # the bandwidth-bound limit plus image creation and replication

    @property
    def ratio(self) -> float:
        return self.seconds / self.bound


def _schedule(actions: tuple[Action, ...], cluster: Cluster, parallelism: float,
              limited: bool, master_of: dict[str, str]) -> float:
    """model.simulate with one network per install server: each server's restores share its
    own bandwidth (`master_of`: LPAR -> its server, "" for the management node)."""
    cap = parallelism if limited else math.inf
    _, starts = model._run(actions, cluster, cap, limited, None)
    nim = cluster.costs.nim
    assert nim is not None
    groups: dict[str, list[Transfer]] = {}
    for node, start in starts.items():
        groups.setdefault(master_of.get(node, ""), []).append(Transfer(node, start, nim.mksysb_mb))
    ends = {t.key: sharing.reaches(t.key, 1.0)
            for transfers in groups.values()
            for sharing in (Sharing(transfers, nim.bandwidth, nim.client_rate),)
            for t in transfers}
    seconds, _ = model._run(actions, cluster, cap, limited, ends)
    return seconds


def _scenario(n_lpars: int, servers: int, driver: str) -> tuple[dict[str, Any], str]:
    lab = scenario.lab_document(n_lpars, latency=0.0, scale=0, driver=driver)
    if driver == "xcat":
        return servicenodes.spread(lab, scenario.spec_text(lab, driver="xcat",
                                                           maxssh=XCAT_MAXSSH), servers)
    return spread(lab, scenario.spec_text(lab, driver="nim"), servers)


def modelled(n_lpars: int, masters: int, where: Path, driver: str = "nim") -> Modelled:
    """Plan N LPARs on `masters` install servers against the lab (instant clock) and model the
    apply with the realistic costs. The copies of the image out of the management node share
    its bandwidth (masters - 1 at once): NIM's scp of the mksysb, or under xCAT the first
    nimnodeset for each service node, which copies the mksysb and the SPOT (doSNcopy2)."""
    lab, text = _scenario(n_lpars, masters, driver)
    where.mkdir(parents=True, exist_ok=True)
    spec_path = where / f"bench-{driver}-{n_lpars}-{masters}m.yaml"
    spec_path.write_text(text, encoding="utf-8")
    os.environ.update({f"{h.upper()}_PASSWORD": scenario.PASSWORD for h in lab["hmcs"]})
    world = Lab.from_dict(lab, where / f"state-{masters}", source=f"masters-{masters}")
    spec = load_spec(spec_path)
    observation = observe(SimTransport(world, logins_for(spec)), targets_for(spec))
    plan = make_plan(spec, observation.observed, digest_of(observation.observed),
                     PlanOptions())
    nim = REALISTIC.nim
    assert nim is not None
    image = nim.mksysb_mb + (SPOT_MB if driver == "xcat" else 0.0)
    copy = (masters - 1) * image / nim.bandwidth
    costs = dataclasses.replace(REALISTIC, latency={**REALISTIC.latency, "scp": copy})
    sessions = session_limits(spec)
    master_of = {n: spec.server_of(lpar) or "" for n, lpar in spec.lpars.items()}
    extra: dict[str, float] = {}
    copied: set[str] = set()
    for action in plan.actions:  # the first nimnodeset of each SN copies the image there
        server = master_of.get(action.nodes[0], "") if action.nodes else ""
        if action.kind.value == "nimnodeset" and server and server not in copied:
            copied.add(server)
            extra[action.id] = copy
    site = spec.site.attributes
    cluster = Cluster({n: spec.hmcs[lpar.hmc].host for n, lpar in spec.lpars.items()},
                      sessions, costs, int(site.get("maxssh", DEFAULT_MAXSSH)),
                      int(site.get("ppcmaxp", DEFAULT_PPCMAXP)), extra)
    per_master = math.ceil(n_lpars / masters)
    build = costs.spot_seconds if driver == "nim" else 0.0  # xCAT's SPOT exists: copied
    bound = (costs.mksysb_seconds + copy * (masters > 1) + build
             + per_master * nim.mksysb_mb / nim.bandwidth)
    # apply's default --parallelism, as a user runs it (every HMC session can be busy:
    # lpar_netboot is one LPAR per call)
    parallelism = float(default_parallelism(spec))
    return Modelled(n_lpars, masters,
                    _schedule(plan.actions, cluster, parallelism, True, master_of),
                    _schedule(plan.actions, cluster, parallelism, False, master_of), bound)


def main(argv: list[str]) -> int:
    driver = "nim"
    if argv[:1] == ["--xcat"]:  # service nodes instead of NIM masters
        driver, argv = "xcat", argv[1:]
    if argv[:1] == ["model"]:
        structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
        lpars, where = int(argv[1]), Path(argv[2])
        for masters in map(int, argv[3:] or ["1", "4", "16"]):
            m = modelled(lpars, masters, where, driver)
            print(f"{m.n_lpars} LPARs on {m.masters:2d} masters: modelled "
                  f"{m.seconds / 3600:6.2f} h, critical path {m.critical / 3600:6.2f} h, "
                  f"bandwidth-bound limit {m.bound / 3600:6.2f} h, ratio {m.ratio:.2f}")
        return 0
    masters, lpars, where = int(argv[0]), int(argv[1]), Path(argv[2])
    lab, spec = _scenario(lpars, masters, driver)
    where.mkdir(parents=True, exist_ok=True)
    (where / f"bench-{driver}-{lpars}-{masters}m.yaml").write_text(spec, encoding="utf-8")
    (where / f"bench-{driver}-{lpars}-{masters}m-lab.yaml").write_text(
        yaml.safe_dump(lab, sort_keys=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
