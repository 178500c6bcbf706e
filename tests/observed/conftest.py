"""Shared helpers for the observation tests: turning parsed values into JSON-comparable data."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

import pytest


def jsonable(value: Any) -> Any:
    """Dataclasses, mappings and tuples as dicts and lists: the shape fixtures are written in."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


@pytest.fixture(name="as_json")
def as_json_fixture() -> Callable[[Any], Any]:
    return jsonable



@pytest.fixture(name="cluster_outputs")
def cluster_outputs_fixture() -> Callable[[int], dict[tuple[str, str], tuple[int, str, str]]]:
    return cluster_outputs


MN = "xcataixmn"
HMC_HOST = "hmc01.cluster.com"
SYSTEM = "Server-9117-MMA-SN10F6F3D"


def cluster_outputs(lpars: int) -> dict[tuple[str, str], tuple[int, str, str]]:
    """What a cluster with `lpars` defined nodes answers to the probes, keyed by (host, command)."""
    nodes = "".join(
        f"\nnode{i:04d}:\n    objtype=node\n    groups=lpar,all\n    id={i}\n"
        f"    usercomment=xclone:clustersite\n"
        for i in range(1, lpars + 1)
    )
    machines = "".join(
        f"node{i:04d}:\n   class    = machines\n   type     = standalone\n"
        f"   Cstate   = ready for a NIM operation\n"
        for i in range(1, lpars + 1)
    )
    members = ",".join(f"node{i:04d}" for i in range(1, lpars + 1))
    partitions = "".join(
        f"node{i:04d},{i},Not Activated,,lpar{i},aixlinux,Unknown\n" for i in range(1, lpars + 1)
    )
    return {
        (MN, "LC_ALL=C lsdef -t node -z"): (0, "# <xCAT data object stanza file>\n" + nodes, ""),
        # xCAT lists the nodelist table's groups too (DBobjUtils.pm getObjectsOfType).
        (MN, "LC_ALL=C lsdef -t group -z"): (0, "# <xCAT data object stanza file>\n" + "".join(
            f"\n{group}:\n    objtype=group\n    members={members}\n"
            for group in ("all", "lpar")), ""),
        (MN, "LC_ALL=C lsdef -t network -l"): (
            0, "Object name: net1\n    gateway=9.114.113.254\n    mask=255.255.255.224\n"
               "    net=9.114.113.224\n", ""),
        (MN, "LC_ALL=C lsdef -t osimage -l"): (
            0, "Could not find any objects of type 'osimage'.\n", ""),
        (MN, "LC_ALL=C lsdef -t site -l"): (
            0, "Object name: clustersite\n    ppctimeout=180\n", ""),
        (MN, "LC_ALL=C lsnim -l"): (
            0, "master:\n   class = machines\n   type  = master\n" + machines, ""),
        (HMC_HOST, "lssyscfg -r sys -F name,type_model,serial_num,state"): (
            0, f"{SYSTEM},9117-MMA,10F6F3D,Operating\nServer-other,9119-FHB,02013EB,Operating\n",
            ""),
        (HMC_HOST, "lssyscfg -r lpar -m Server-9117-MMA-SN10F6F3D -F "
                   "name,lpar_id,state,curr_profile,default_profile,lpar_env,os_version"): (
            0, partitions, ""),
    }
