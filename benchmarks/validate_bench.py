"""Time `xclone validate` on a generated spec of 10,000 LPARs declared with lpar_ranges.

A script, not a test: timings depend on the machine. The goal (issue 2) is well under a second
per thousand LPARs. Run: `python benchmarks/validate_bench.py [--lpars N] [--keep DIR]`.
"""

from __future__ import annotations

import argparse
import ipaddress
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PER_RANGE = 500
PER_CEC = 1000


def spec_text(lpars: int) -> str:
    """A valid spec: one CEC per thousand LPARs, two HMCs, ranges of 500 names on a /16."""
    lines = [
        "version: 1",
        "cluster: bench",
        "management_node: {host: xcatmn}",
        "site: {ppctimeout: 180}",
        "hmcs:",
        "  hmc01: {host: hmc01, password: {env: HMC01_PASSWORD}}",
        "  hmc02: {host: hmc02, password: {env: HMC02_PASSWORD}}",
        "networks:",
        "  net1: {net: 10.64.0.0, mask: 255.255.0.0, gateway: 10.64.255.254}",
        "osimages:",
        "  img: {source_node: golden, spot: spot1}",
        "groups:",
        "  compute: {postscripts: [setupntp]}",
        "lpar_defaults: {osimage: img, groups: [compute], profile: compute}",
        "lpar_ranges:",
    ]
    first_ip = ipaddress.IPv4Address("10.64.0.1")
    for start in range(0, lpars, PER_RANGE):
        count = min(PER_RANGE, lpars - start)
        cec = start // PER_CEC
        lines += [
            f"  - names: cn[{start + 1:05d}-{start + count:05d}]",
            f"    hmc: hmc0{1 + cec % 2}",
            f"    cec: Server-9117-MMA-SN{cec:07d}",
            f"    first_id: {start % PER_CEC + 1}",
            f"    first_ip: {first_ip + start}",
        ]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lpars", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="write the spec here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        path = (args.keep or Path(scratch)) / "bench-cluster.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(spec_text(args.lpars), encoding="utf-8")
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "xclone", "validate", str(path)],
                              capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - started
    print(done.stdout.strip() or done.stderr.strip())
    per_thousand = elapsed / (args.lpars / 1000)
    print(f"{args.lpars} LPARs validated in {elapsed:.2f}s ({per_thousand:.3f}s per 1000, "
          "including interpreter start-up)")
    return done.returncode


if __name__ == "__main__":
    raise SystemExit(main())
