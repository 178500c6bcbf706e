"""Small builders for planner tests: a seed-like Spec and Observed made in code, no I/O."""

from __future__ import annotations

from typing import Any

from xclone.observed.model import ManagedSystem, NimObject, Observed, Partition, XcatObject
from xclone.spec.model import Spec

CEC = "Server-9117-MMA-SN10F6F3D"
MARK = "xclone:clustersite"


def seed_spec(**lpar_overrides: dict[str, Any]) -> Spec:
    lpars: dict[str, dict[str, Any]] = {
        "node01": {
            "id": 9,
            "profile": "lpar9",
            "ip": "9.114.113.230",
            "postscripts": ["foo", "bar"],
            "prescripts_begin": {"standalone": ["foo", "bar"]},
        },
        "node02": {"id": 7, "profile": "lpar6", "ip": "9.114.113.231", "mac": "fef9dfb7c602"},
    }
    for name, extra in lpar_overrides.items():
        lpars[name] = {**lpars.get(name, {}), **extra}
    common = {
        "hmc": "hmc01",
        "cec": CEC,
        "osimage": "610sysb",
        "groups": ["aixnodes"],
        "network": "net1",
    }
    return Spec.model_validate(
        {
            "version": 1,
            "cluster": "clustersite",
            "management_node": {"host": "xcataixmn"},
            "site": {"ppctimeout": 180},
            "hmcs": {"hmc01": {"host": "hmc01.cluster.com", "password": {"env": "HMC01_PASSWORD"}}},
            "networks": {
                "net1": {
                    "net": "9.114.113.224",
                    "mask": "255.255.255.224",
                    "gateway": "9.114.113.254",
                }
            },
            "osimages": {
                "610sysb": {
                    "source_node": "node27",
                    "spot": "610spot",
                    "resources": {"resolv_conf": "my_resolv_conf"},
                }
            },
            "groups": {"aixnodes": {"postscripts": ["setupntp", "confignimsh"]}},
            "lpars": {n: {"name": n, **common, **v} for n, v in lpars.items()},
        }
    )


def empty_lab(states: dict[str, str] | None = None) -> Observed:
    """The seed lab before the runbook: HMC partitions, a configured NIM master with node27 as
    client, nothing in xCAT."""
    states = states or {}
    parts = tuple(
        Partition("hmc01", CEC, n, i, states.get(n, st), "", p, "aixlinux", "Unknown")
        for n, i, p, st in (
            ("node27", 3, "lpar3", "Running"),
            ("node02", 7, "lpar6", "Not Activated"),
            ("node01", 9, "lpar9", "Not Activated"),
        )
    )
    nim = {
        "master": NimObject("master", "machines", "master"),
        "node27": NimObject("node27", "machines", "standalone", {"Mstate": "currently running"}),
        "610spot": NimObject("610spot", "resources", "spot"),
        "my_resolv_conf": NimObject("my_resolv_conf", "resources", "resolv_conf"),
        # a configured master: nim_master_setup's network for its own subnet, where net1 is
        "master_net": NimObject("master_net", "networks", "ent", {
            "net_addr": "9.114.113.224", "snm": "255.255.255.224",
            "routing1": "default 9.114.113.254"}),
    }
    return Observed(
        xcat={"site": {"clustersite": XcatObject("site", "clustersite", {"ppctimeout": "0"})}},
        nim=nim,
        systems={("hmc01", CEC): ManagedSystem("hmc01", CEC, "9117-MMA", "10F6F3D", "Operating")},
        partitions={("hmc01", CEC): parts},
    )


def with_objects(obs: Observed, xcat: list[XcatObject], nim: list[NimObject]) -> Observed:
    merged: dict[str, dict[str, XcatObject]] = {t: dict(v) for t, v in obs.xcat.items()}
    for obj in xcat:
        merged.setdefault(obj.type, {})[obj.name] = obj
    nims = dict(obs.nim)
    nims.update({o.name: o for o in nim})
    return Observed(merged, nims, obs.systems, obs.partitions)


def converged_lab(spec: Spec) -> Observed:
    """What the seed lab looks like after apply: every object present, marked and installed."""
    obs = empty_lab()
    xcat = [
        XcatObject("site", "clustersite", {"ppctimeout": "180"}),
        XcatObject("node", "hmc01", {"groups": "hmc,all", "nodetype": "ppc", "hwtype": "hmc",
                                     "mgt": "hmc", "username": "hscroot", "usercomment": MARK}),
        XcatObject("node", CEC, {"groups": "cec,all", "nodetype": "ppc", "hwtype": "cec",
                                 "mgt": "hmc", "hcp": "hmc01", "mtm": "9117-MMA",
                                 "serial": "10F6F3D", "usercomment": MARK}),
        XcatObject("network", "net1", {"net": "9.114.113.224", "mask": "255.255.255.224",
                                       "gateway": "9.114.113.254", "usercomment": MARK}),
        XcatObject("group", "aixnodes", {"grouptype": "static", "members": "node01,node02",
                                         "postscripts": "setupntp,confignimsh",
                                         "usercomment": MARK}),
        XcatObject("osimage", "610sysb", {"spot": "610spot", "resolv_conf": "my_resolv_conf",
                                          "mksysb": "610sysb_mksysb",
                                          "bosinst_data": "610sysb_bosinst_data",
                                          "nimmethod": "mksysb", "nimtype": "standalone",
                                          "usercomment": MARK}),
    ]
    nim = [NimObject("net1", "networks", "ent", {"net_addr": "9.114.113.224",
                                                 "snm": "255.255.255.224", "comments": MARK}),
           NimObject("610sysb_mksysb", "resources", "mksysb"),
           NimObject("610sysb_bosinst_data", "resources", "bosinst_data")]
    from xclone.drivers.xcat.resources.lpar import desired_attrs

    for name, lpar in spec.lpars.items():
        if lpar.state == "absent":
            continue
        attrs = {k: v for k, v in desired_attrs(lpar, MARK).items() if v}
        attrs.setdefault("mac", lpar.mac or f"fef9dfb7c6{lpar.id:02d}")
        if lpar.state == "installed":
            attrs.update(status="booted", provmethod=lpar.osimage or "", profile=lpar.osimage or "")
        xcat.append(XcatObject("node", name, attrs))
        nim.append(NimObject(name, "machines", "standalone", {
            "Cstate": "ready for a NIM operation", "Cstate_result": "success",
            "comments": MARK}))
    return with_objects(obs, xcat, nim)


def running(obs: Observed, *names: str) -> Observed:
    parts = {key: tuple(Partition(p.hmc, p.system, p.name, p.lpar_id,
                                  "Running" if p.name in names else p.state, p.curr_profile,
                                  p.default_profile, p.lpar_env, p.os_version) for p in value)
             for key, value in obs.partitions.items()}
    return Observed(obs.xcat, obs.nim, obs.systems, parts)
