"""The benchmark hook for several NIM masters (issue 17): a synthetic scenario spread over N.

`spread(lab, spec, masters)` takes a NIM-driver scenario (`scenario.lab_document(...,
driver="nim")` and its `scenario.spec_text`) and gives back the same cluster served by
`masters` NIM masters: the management node and `masters - 1` more (`nim02`, ...), each a NIM
master of the lab (`nim_masters`: its own NIM database, files and, with costs `nim`, its own
network; the named SPOT and other resources the spec installs with, as a shop sets up each
master) on its own 10.(100+k).0.0/16, and an `install_servers` entry of the spec serving every
`masters`-th HMC network (round robin), reached through routes as the management node reaches
them. The image is backed up once on the management node and copied to each other master.
`python -m benchmarks.masters N LPARS DIR` writes the pair for a look or a by-hand run.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path
from typing import Any

import yaml

from benchmarks import scenario
from xclone.sim import choices
from xclone.sim.generate import NIM_SCRIPTS, SCRIPTS_DIR


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


def main(argv: list[str]) -> int:
    masters, lpars, where = int(argv[0]), int(argv[1]), Path(argv[2])
    lab = scenario.lab_document(lpars, latency=0.0, scale=0, driver="nim")
    lab, spec = spread(lab, scenario.spec_text(lab, driver="nim"), masters)
    where.mkdir(parents=True, exist_ok=True)
    (where / f"bench-nim-{lpars}-{masters}m.yaml").write_text(spec, encoding="utf-8")
    (where / f"bench-nim-{lpars}-{masters}m-lab.yaml").write_text(
        yaml.safe_dump(lab, sort_keys=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
