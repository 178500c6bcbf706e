"""Shared helpers for the import tests: a filler for the `<TODO>` placeholders (the real CLI
group is tests/conftest.py's `xclone_cli`)."""

from __future__ import annotations

from ipaddress import IPv4Address
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TODO = "<TODO>"




def fill_todos(data: dict[str, Any], golden: str = "node27") -> dict[str, Any]:
    """What a user does with an imported spec: name the cluster, the management node, the
    install network and the osimage, and give each LPAR (or range) its first IP."""
    data = dict(data)
    if data["cluster"] == TODO:
        data["cluster"] = "clustersite"
    if data["management_node"]["host"] == TODO:
        data["management_node"] = {**data["management_node"], "host": "xcataixmn"}
    if TODO in data["networks"]:
        data["networks"] = {"net1": {"net": "10.1.0.0", "mask": "255.255.0.0",
                                     "gateway": "10.1.255.254"}}
    data["osimages"] = {"610sysb": {"source_node": golden, "spot": "610spot"}}
    data["lpar_defaults"] = {**data["lpar_defaults"], "osimage": "610sysb"}
    next_ip = int(IPv4Address("10.1.0.10"))
    lpars = {}
    for name, entry in (data.get("lpars") or {}).items():
        entry = dict(entry)
        if entry.get("ip") == TODO:
            entry["ip"], next_ip = str(IPv4Address(next_ip)), next_ip + 1
        if name == golden:
            entry["state"] = "defined"
        lpars[name] = entry
    data["lpars"] = lpars
    ranges = []
    for entry in data.get("lpar_ranges") or []:
        entry = dict(entry)
        if entry.get("first_ip") == TODO:
            entry["first_ip"], next_ip = str(IPv4Address(next_ip)), next_ip + 1000
        ranges.append(entry)
    data["lpar_ranges"] = ranges
    return data
