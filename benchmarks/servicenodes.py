"""The benchmark hook for xCAT service nodes (issue 17): a synthetic xCAT scenario spread over
N install servers, the management node and `N - 1` service nodes (`sn02`, ...).

Each SN is what an AIX hierarchical cluster needs before xclone plans (docs/install-servers.md
"xCAT service nodes"): an xCAT node in group `service` on the management node, and a NIM master
of the lab (`nim_masters`: its own NIM database and network) with an address on each network it
serves, every `N`-th HMC network (round robin, as `benchmarks/masters.py` spreads NIM masters).
The spec's `install_servers` entry names those networks and addresses; the SN's defaults stand
(`max_installs` 150: xCAT's planning figure, its installs staged in a rolling window of that
many, xclone/drivers/xcat/waves.py), and the management node's `max_sessions` is xcatd's own
limit (XCATD_CONNECTIONS), on every count of servers alike. xCAT
sends each node's xcat2nim, nimnodeset and rnetboot on to its SN, and the first nimnodeset of
the image for an SN copies its NIM resources there (aixinstall.pm doSNcopy2: the mksysb and the
SPOT among them). Each SN controls the HMCs of its networks too (`hmcs.X.service_node`), so
the LPARs' getmacs and rnetboot run there, one batch per SN.
"""

from __future__ import annotations

import copy
from typing import Any

from xclone.sim import choices

# The management node's sessions: every server's xCAT commands are run on the MN, whose xcatd
# takes site `xcatmaxconnections` requests at once before it queues them (Schema.pm lines
# 1188-1190: "Default is 64."); the spec's default 10 is OpenSSH's MaxSessions per connection
# (sshd_config(5)), which a hierarchical cluster's MN raises to match (the lab's sshd allows
# 64). With 10, 16 servers' boot chains (one rnetboot per SN at a time, each holding its
# session for its whole fan-out) queue behind each other on the MN.
XCATD_CONNECTIONS = 64


def sn_name(index: int) -> str:
    return f"sn{index:02d}"


def _address(network: int) -> str:
    """The SN's address on synthetic network `network` (10.N.0.0/16): above every LPAR's."""
    return f"10.{network}.255.250"


def with_sessions(spec: str, sessions: int) -> str:
    """The spec with the management node's `max_sessions` at `sessions`."""
    mn = "management_node: {host: xcataixmn, user: root"
    if mn not in spec:
        raise ValueError("the scenario's management_node line is not the synthetic one")
    return spec.replace(mn, f"{mn}, max_sessions: {sessions}", 1)


def spread(lab: dict[str, Any], spec: str, servers: int,
           max_installs: int | None = None,
           mn_sessions: int = XCATD_CONNECTIONS) -> tuple[dict[str, Any], str]:
    """The lab document and spec text of the same xCAT cluster on `servers` install servers;
    `max_installs` overrides the SNs' default staging, `mn_sessions` the management node's
    sessions (the same on every count of servers)."""
    if servers < 1:
        raise ValueError("at least one install server")
    lab = copy.deepcopy(lab)
    spec = with_sessions(spec, mn_sessions)
    if servers == 1:
        return lab, spec
    numbers = list(range(1, len(lab["hmcs"]) + 1))
    served = {sn_name(k): [n for i, n in enumerate(numbers) if i % servers == k - 1]
              for k in range(2, servers + 1)}
    served = {name: nets for name, nets in served.items() if nets}
    mn = lab["management_node"]
    first_hmc = next(iter(lab["hmcs"]))
    first_cec = next(iter(lab["hmcs"][first_hmc]["systems"]))
    lab.setdefault("nim_masters", {})
    hosts = ""
    for index, (name, nets) in enumerate(served.items()):
        ip = _address(nets[0])
        hosts += f"{ip} {name} {name}.cluster.com\n"
        mn["xcat"].setdefault("node", {})[name] = {
            "groups": "service,all", "nodetype": "ppc,osi", "hwtype": "lpar", "mgt": "hmc",
            "cons": "hmc", "hcp": first_hmc, "id": 200 + index, "parent": first_cec,
            "pprofile": f"lpar{200 + index}", "ip": ip, "os": "AIX", "setupnfs": 1,
            "status": "booted"}
        lab["nim_masters"][name] = {
            "hostnames": [name, f"{name}.cluster.com"], "ip": ip,
            "nim": {"networks": {"master_net": {
                "net_addr": f"10.{nets[0]}.0.0", "snm": "255.255.0.0",
                "routing1": f"default 10.{nets[0]}.255.254"}}},
            "files": {"/etc/hosts": choices.HOSTS_HEADER + f"{ip} {name} {name}.cluster.com\n"}}
    files = mn.setdefault("files", {})
    files["/etc/hosts"] = files.get("/etc/hosts", choices.HOSTS_HEADER) + hosts
    lines = ["install_servers:"] + [
        f"  {name}: {{host: {name}, networks: [{', '.join(f'net{n:03d}' for n in nets)}], "
        f"addresses: {{{', '.join(f'net{n:03d}: {_address(n)}' for n in nets)}}}"
        + (f", max_installs: {max_installs}" if max_installs else "") + "}"
        for name, nets in served.items()]
    head, sep, tail = spec.partition("site:\n")
    return lab, _controlled(head + "\n".join(lines) + "\n" + sep + tail, list(lab["hmcs"]),
                            served)


def _controlled(spec: str, hmcs: list[str], served: dict[str, list[int]]) -> str:
    """Each SN also controls the HMCs of the networks it serves (`hmcs.X.service_node`): xCAT
    sends their getmacs and rnetboot to that SN (PPC.pm dispatches by the hcp's servicenode),
    which forks its own ppcmaxp of them, as a hierarchical cluster with an HMC per ~8 CECs
    does. The management node's own networks keep their HMCs."""
    for name, nets in served.items():
        for number in nets:
            hmc = hmcs[number - 1]
            spec = spec.replace(f"  {hmc}: {{host: ", f"  {hmc}: {{service_node: {name}, host: ", 1)
    return spec
