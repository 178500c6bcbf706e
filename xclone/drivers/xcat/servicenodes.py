"""xCAT service nodes (issue 17, the xCAT half): which LPAR each serves, and what that changes.

An AIX service node (SN) is an xCAT node in group `service` that is also the NIM master of the
nodes it serves. A node served by one carries `servicenode` (the SN as the management node
knows it: its xCAT node name, the key under install_servers) and `xcatmaster` (the SN as the
node knows it: its address on the node's network) (perl-xCAT/xCAT/Schema.pm, table noderes).
xCAT itself sends each node's `xcat2nim` (`-r` too) and `nimnodeset` on to that SN
(aixinstall.pm and xcat2nim.pm preprocess_request: getSNformattedhash, `_xcatdest`); `rnetboot`
goes by the node's hcp and boots from its `xcatmaster` (PPC.pm). The first `nimnodeset` of an
image for an SN copies the image's NIM resources there (prenimnodeset: doSNcopy2, copyres2).
So the plan still runs every command on the management node; what changes is where NIM state
is read (the SN's own `lsnim -l`, one probe per SN sent with the others), the node attributes,
and the batches: one per SN, so that an SN that is down fails only its own nodes (xcat2nim:
xcatd's "Unable to dispatch hierarchical sub-command to ..."; nimnodeset stops whole when one
SN of its request cannot be asked, so a batch mixing servers would fail them all:
docs/formats.md "xCAT service nodes").

xclone does not create or install service nodes: one missing from xCAT, or not in group
service, is a plan error saying what to do.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from ipaddress import ip_address, ip_network

from xclone.base.address import Address
from xclone.base.command import C_LOCALE, Command
from xclone.drivers.xcat.kinds import ActionKind
from xclone.observed import crosscheck
from xclone.observed.model import Facts, NimObject, Observed, XcatObject
from xclone.observed.parsers import hosts, nim
from xclone.observed.preflight_probes import preflight_probes
from xclone.observed.probes import AnyProbe, ObservationTargets, Probe
from xclone.plan.action import Step, StepRef
from xclone.plan.context import Context
from xclone.spec.model import Lpar, Spec

SERVICE_GROUP = "service"  # xCAT's group of service nodes (xCAT docs, "Define service nodes")
SERVED_ATTRS = ("servicenode", "xcatmaster")
# Extra keys of the steps of an SN's nodes: in the batch key, so one batch is one SN's.
EXTRA_SN = "servicenode"
EXTRA_SN_HOST = "servicenode_host"
# The steps xCAT dispatches to a node's service node: batched per SN (their extra).
SN_KINDS = frozenset({ActionKind.XCAT2NIM, ActionKind.NIMNODESET, ActionKind.RNETBOOT,
                      ActionKind.RBOOTSEQ, ActionKind.RPOWER_BOOT, ActionKind.WAIT_INSTALL})

# The hardware commands xCAT dispatches by the servicenode of the node's hcp (PPC.pm lines
# 1985-2015): batched per that SN when the HMC names one (hmcs.X.service_node), so each SN's
# xcatd forks its own ppcmaxp of them in parallel with the others'.
EXTRA_HCP_SN = "hcp_servicenode"
HW_KINDS = frozenset({ActionKind.GETMACS, ActionKind.RNETBOOT, ActionKind.RBOOTSEQ,
                      ActionKind.RPOWER_BOOT})


def hcp_extra(spec: Spec, lpar: Lpar) -> tuple[tuple[str, str], ...]:
    """The batch extra of `lpar`'s hardware commands: the service node of its HMC, if any."""
    hmc = spec.hmcs.get(lpar.hmc)
    sn = hmc.service_node if hmc is not None else None
    return ((EXTRA_HCP_SN, sn),) if sn else ()


Extra = tuple[tuple[str, str], ...]


def step_extra(kind: ActionKind, extra: Extra, served: Extra, hcp: Extra) -> Extra:
    """A node step's batch extra: its SN's (`served`) for the kinds xCAT sends to the node's
    SN, its HMC's SN's (`hcp`) for the hardware commands: one batch per server, never mixed."""
    mine = (*(served if kind in SN_KINDS else ()), *(hcp if kind in HW_KINDS else ()))
    return tuple(sorted((*extra, *mine))) if kind in SN_KINDS or mine else extra



def sn_probe(host: str, timeout: float | None) -> AnyProbe:
    """The SN's own NIM objects, over SSH to the SN itself; stored as that host's part of the
    model (Facts.master). An SN without NIM objects cannot serve: crosscheck refuses it."""
    def store(facts: Facts, objects: tuple[NimObject, ...]) -> None:
        facts.master(host).add_nim(objects)

    return Probe(host, "mn", Command.of("lsnim", "-l", env=C_LOCALE), nim.parse_lsnim_long,
                 store, check=crosscheck.check_nim_master, timeout=timeout)


def sn_preflight_probes(host: str, timeout: float | None) -> tuple[AnyProbe, ...]:
    """The preflight's `lsuser -a fsize root` and `df -k` on the SN, stored in its own facts:
    nimnodeset copies each image there (drivers/xcat/preflight.py)."""
    def moved(probe: AnyProbe) -> AnyProbe:
        def store(facts: Facts, fact: object) -> None:
            probe.store(facts.master(host), fact)
        return dataclasses.replace(probe, store=store)
    return tuple(moved(p) for p in preflight_probes(host, timeout))


def sn_hosts_probe(host: str, timeout: float | None) -> AnyProbe:
    """The SN's /etc/hosts: how its NIM resolves the nodes xcat2nim defines there
    (snhosts.py)."""
    def store(facts: Facts, entries: Mapping[str, tuple[str, ...]]) -> None:
        facts.master(host).add_hosts(entries)

    return Probe(host, "mn", Command.of("cat", "/etc/hosts", env=C_LOCALE), hosts.parse_hosts,
                 store, timeout=timeout)


def sn_probes(targets: ObservationTargets, facts: Facts) -> tuple[AnyProbe, ...]:
    """A fixed few probes per service node, constant in the number of LPARs: its `lsnim -l`
    and /etc/hosts, and with the preflight its two. Only for a service node the management
    node's node table (the first round) lists in group service: one it does not is not
    reached at all, so the plan says what xCAT lacks (`ServiceNodes.problems`) instead of
    failing on the host it cannot reach."""
    nodes = facts.xcat.get("node", {})
    hosts = targets.masters if not targets.master_names else tuple(
        host for name, host in zip(targets.master_names, targets.masters, strict=True)
        if name in nodes and SERVICE_GROUP in nodes[name].get("groups").split(","))
    return tuple(p for host in hosts for p in (
        sn_probe(host, targets.timeout), sn_hosts_probe(host, targets.timeout),
        *(sn_preflight_probes(host, targets.timeout) if targets.preflight else ())))


@dataclass(frozen=True)
class Served:
    """How one LPAR is served: by SN `name` at `host`, which it knows as `xcatmaster`."""

    name: str
    host: str
    xcatmaster: str

    @property
    def extra(self) -> tuple[tuple[str, str], ...]:
        return ((EXTRA_SN, self.name), (EXTRA_SN_HOST, self.host))


class ServiceNodes:
    """The spec's service nodes against what the management node and each SN showed."""

    def __init__(self, ctx: Context) -> None:
        self.ctx, self.spec, self.observed = ctx, ctx.spec, ctx.observed
        self._views: dict[str, Observed] = {}

    @cached_property
    def problems(self) -> dict[str, str]:
        """SN name -> why it cannot serve (missing from xCAT, not in group service, not
        observed)."""
        found: dict[str, str] = {}
        for name, server in sorted(self.spec.install_servers.items()):
            node = self.observed.xcat_object("node", name)
            if node is None:
                found[name] = (f"service node {name} is not an xCAT node: define it on the "
                               f"management node (mkdef -t node {name} groups=service,all "
                               "with its servicenode-table attributes, e.g. setupnfs=1) and "
                               "install it as an AIX service node first; xclone does not "
                               "create service nodes")
            elif SERVICE_GROUP not in node.get("groups").split(","):
                found[name] = (f"xCAT node {name} is not in group {SERVICE_GROUP}: make it a "
                               f"service node first (chdef {name} -p groups={SERVICE_GROUP}), "
                               "or take it out of install_servers")
            elif server.host not in self.observed.masters:
                found[name] = f"service node {name} ({server.host}) was not observed"
        return found

    def served(self, lpar: Lpar) -> Served | None:
        """The SN serving `lpar`, or None for the management node. Its `xcatmaster` is the
        SN's address on the LPAR's network: the spec's `addresses`, else the SN node's `ip` on
        the MN when that lies in the network, else empty (unknown: `refused` says so)."""
        name = self.spec.server_of(lpar)
        if name is None:
            return None
        server = self.spec.install_servers[name]
        address = server.addresses.get(lpar.network or "")
        if address is not None:
            return Served(name, server.host, str(address))
        node = self.observed.xcat_object("node", name)
        net = self.spec.networks.get(lpar.network or "")
        try:
            known = ip_address(node.get("ip")) if node is not None else None
        except ValueError:
            known = None
        inside = net is not None and known is not None and known in ip_network(
            f"{net.net}/{net.mask}", strict=False)
        return Served(name, server.host, str(known) if inside else "")

    def refused(self, served: Served | None, address: Address, network: str | None) -> bool:
        """Whether the SN of `address` cannot serve it (reported there)."""
        if served is not None and served.name in self.problems:
            self.ctx.error(address, self.problems[served.name])
            return True
        if served is not None and not served.xcatmaster:
            self.ctx.error(address, f"service node {served.name} has no known address on "
                           f"network {network}, the node's xcatmaster: give it as "
                           f"install_servers.{served.name}.addresses.{network}")
            return True
        return False

    def view(self, served: Served | None) -> Observed:
        """Where the NIM state of the nodes of `served` is: that SN's, else the MN's (one
        view per SN, not one per LPAR)."""
        if served is None:
            return self.observed
        if served.host not in self._views:
            self._views[served.host] = self.observed.at(served.host)
        return self._views[served.host]

    def by_attr(self, servicenode: str) -> Served | None:
        """The SN a node's observed `servicenode` attribute names, when the spec has it and it
        was observed (the first of a comma list: the one xCAT dispatches to)."""
        name = servicenode.split(",", 1)[0]
        server = self.spec.install_servers.get(name)
        if not name or server is None or server.host not in self.observed.masters:
            return None
        return Served(name, server.host, "")


def node_attrs(spec: Spec, name: str, served: Served | None, have: Mapping[str, str] | None,
               groups: str) -> dict[str, str]:
    """The node's servicenode/xcatmaster: set for an SN's node; emptied (chdef removes an
    attribute set to nothing) on a node that had them and is the management node's now. An
    LPAR of the spec that is also one of its SNs keeps group service in `groups`: xCAT knows
    its SNs by that group, and without it the next plan refuses the SN."""
    attrs = ({"servicenode": served.name, "xcatmaster": served.xcatmaster}
             if served is not None else {a: "" for a in SERVED_ATTRS if have and have.get(a)})
    parts = groups.split(",")
    if name in spec.install_servers and SERVICE_GROUP not in parts:
        attrs["groups"] = ",".join([*filter(None, parts), SERVICE_GROUP])
    return attrs


def leave_steps(ctx: Context, sns: ServiceNodes, address: Address, node: XcatObject | None,
                served: Served | None) -> tuple[Step, ...]:
    """An LPAR whose server changes (another network, or another install_server): its marked
    NIM machine on the server it leaves is removed first, `xcat2nim -r -f` sent while the
    node's `servicenode` still names that server (xcat2nim.pm dispatches by it), so the chdef
    of its new servicenode waits for it; the new server defines it again (xcat2nim). An old
    server the spec does not name cannot be observed: its machine is left alone. A stale line
    for the node in the new SN's /etc/hosts is refreshed before its xcat2nim (snhosts.py)."""
    if node is None:
        return ()
    old_name = node.get("servicenode").split(",", 1)[0]
    if old_name == (served.name if served is not None else ""):
        return ()
    old = sns.by_attr(old_name) if old_name else None
    if old_name and old is None:
        return ()
    machine = sns.view(old).nim.get(address.name)
    if machine is None or not ctx.owns(machine):
        return ()
    now = served.name if served is not None else ctx.spec.management_node.xcat_name
    return (Step(ActionKind.XCAT2NIM_REMOVE, ctx.mn, ("xcat2nim", "-t", "node", "-r", "-f"),
                 node=address.name, address=address, extra=old.extra if old else (),
                 reason=f"its NIM machine moves from {old_name or 'the management node'} "
                        f"to {now}"),)


# The NIM types rmnimimage removes from a server (lpp_source only with -d, which xclone never
# sends): aixinstall.pm rmnimimage, by the osimage's attributes.
_REMOVED_TYPES = ("bosinst_data", "installp_bundle", "mksysb", "resolv_conf", "script", "spot")


def _resources(image: XcatObject) -> set[str]:
    return {n for t in _REMOVED_TYPES for n in image.get(t).split(",") if n}


def copies_removal(ctx: Context, sns: ServiceNodes, image: XcatObject, address: Address,
                   after: tuple[StepRef, ...]) -> tuple[Step | None, str]:
    """The removal of osimage `image`'s copies on the service nodes that hold any (nimnodeset
    replicated them there: prenimnodeset doSNcopy2, defSNres): `rmnimimage -s SNS IMAGE` on
    the management node, which removes the image's NIM resources from those SNs only
    (rmnimimage.1.pod `-s`; aixinstall.pm rmnimimage), after its nodes' machines are gone
    (`after`) and before the osimage's rmdef (it reads the definition). rmnimimage refuses an
    image that shares a resource with another osimage (prermnimimage, without -f): then the
    copies stay, and the note says so. The step (or None) and a note for the change."""
    mine = _resources(image)
    holding = sorted(name for name, server in ctx.spec.install_servers.items()
                     if name not in sns.problems and mine & set(
                         sns.view(Served(name, server.host, "")).nim))
    if not holding:
        return None, ""
    where = ",".join(holding)
    shared = sorted(other for other, obj in ctx.observed.xcat.get("osimage", {}).items()
                    if other != image.name and mine & _resources(obj))
    if shared:
        return None, (f"keeps its NIM resources' copies on {where}: they are shared with "
                      f"osimage {', '.join(shared)}, so rmnimimage would refuse (remove them "
                      f"by hand with rmnimimage -f -s {where} {image.name} once unused)")
    step = Step(ActionKind.RMNIMIMAGE_SN, ctx.mn, ("rmnimimage", "-s", where, image.name),
                address=address, after=after,
                reason=f"remove the copies nimnodeset made on {where}")
    return step, f"removes its NIM resources' copies on {where}"
