"""LPARs: the client's name on the master, its NIM machine, and the network install.

The chain is the by-hand procedure's (docs/nim-driver.md, steps 7-12): `hostent` first, since
NIM resolves the host name of `if1` when it defines the machine; the machine; for an install,
`nim -o bos_inst ... -a boot_client=no` (NIM arms the install and leaves the boot to someone
else), then on the HMC `rmvterm` (an open console blocks `lpar_netboot`) and `lpar_netboot -f`,
which power-cycles the partition into a network boot: destructive. One install wait per managed
system then polls `lsnim -l NODES` on the master and the HMC's reference codes (extra: hmc,
system). Every step names its LPAR as its node, so that one LPAR's failure stops only its own
branch: the wait still polls the others. A partition with no MAC in the spec, in lshwres or in
its machine's `if1` gets its MAC read by `lpar_netboot -M -n` before the define, which carries
the value's marker (base/known_after.py) until apply fills it in.
"""

from __future__ import annotations

from ipaddress import IPv4Address

from xclone.base import known_after
from xclone.base.address import Address
from xclone.base.known_after import marker
from xclone.drivers.nim import remedy
from xclone.drivers.nim.kinds import ActionKind
from xclone.drivers.nim.refcodes import booting as boot_under_way
from xclone.drivers.nim.resources import lpar_state, prescripts, secondary
from xclone.drivers.nim.resources.common import (
    NIM_MACHINES,
    bosinst_name,
    define,
    hmc_step,
    image_steps,
    master_step,
    mksysb_name,
    network_steps,
    script_step,
    spot_name,
)
from xclone.drivers.nim.resources.hosts import Hosts
from xclone.drivers.nim.resources.managed import cec_steps
from xclone.drivers.nim.resources.scripts import lpar_firstboot, lpar_scripts
from xclone.drivers.nimsh import POSTSCRIPT
from xclone.observed.model import NimObject, Partition
from xclone.plan.action import Step, StepRef
from xclone.plan.changes import AttrDiff, ChangeKind, ResourceChange
from xclone.plan.context import Context
from xclone.spec.model import Lpar

_K = ActionKind
DISCOVER = "discover"  # the detail of the MAC discovery's steps (their own step keys)
READS = "reads"  # the extra naming the value the discovery's judge returns (judges.py)
NIMSH = "nimsh"  # the install wait's extra: its nodes run confignimsh (waits.py checks nimsh)


def _partition(ctx: Context, lpar: Lpar, address: Address) -> Partition | None:
    system = ctx.observed.systems.get((lpar.hmc, lpar.cec))
    if system is None or not system.reachable:
        return None  # reported once for the managed system (hardware.check_systems)
    part = ctx.observed.partition(lpar.hmc, lpar.cec, lpar.name)
    if part is None:
        ctx.error(address, f"partition '{lpar.name}' is not on managed system {lpar.cec} "
                  f"(HMC {lpar.hmc}): xclone does not create partitions")
        return None
    if part.lpar_id != lpar.id:
        ctx.error(address, f"id {lpar.id} in the spec, but the HMC shows partition "
                  f"{lpar.name} with id {part.lpar_id}")
        return None
    if part.profile and part.profile != lpar.profile:
        ctx.error(address, f"profile '{lpar.profile}' in the spec, but the HMC shows partition "
                  f"{lpar.name} with profile '{part.profile}'")
        return None
    return part


def _mac(ctx: Context, lpar: Lpar, machine: NimObject | None) -> str | None:
    """The spec's `mac:`, the first virtual Ethernet MAC lshwres lists, or the one NIM's
    machine already has in `if1` (read earlier, by `lpar_netboot -M -n`); None: unknown."""
    if lpar.mac:
        return lpar.mac
    macs = ctx.observed.macs(lpar.hmc, lpar.cec, lpar.name)
    if macs:
        return macs[0]
    words = machine.get("if1").split() if machine is not None else []
    return words[2].lower() if len(words) > 2 and words[2] != "0" else None


def _to_read(ctx: Context, lpar: Lpar, address: Address) -> str | None:
    """No MAC anywhere (a physical adapter: lshwres lists only virtual ones): the marker of
    the MAC `lpar_netboot -M -n` will read at apply time (base/known_after.py), or None with
    an error for a protected LPAR, since that read boots the partition to Open Firmware."""
    if lpar.protect:
        ctx.error(address, f"the HMC shows no virtual Ethernet adapter for partition "
                  f"{lpar.name} (lshwres) and reading its MAC with lpar_netboot -M -n would "
                  "power-cycle a protected LPAR (protect: true): set `mac:` to the MAC of its "
                  "install adapter")
        return None
    return marker(f"{lpar.name}.mac")


def _discover(ctx: Context, b: _Chain, part: Partition) -> None:
    """`lpar_netboot -M -n` lists the partition's adapters from Open Firmware (destructive:
    it powers the partition on to firmware, and off after); its judge returns the first
    Ethernet adapter's MAC under the key the step's extra names, for the commands carrying
    its marker."""
    key = f"{b.lpar.name}.mac"
    b.hmc(_K.RMVTERM, ("rmvterm", "-m", b.lpar.cec, "-p"), "an open console blocks lpar_netboot",
          detail=DISCOVER)
    b.hmc(_K.LPAR_NETBOOT, ("lpar_netboot", "-M", "-n", "-t", "ent"),
          f"read the MAC of its physical adapter (now {part.state}): lshwres lists none",
          (b.lpar.profile, b.lpar.cec), destructive=True, timeout=ctx.spec.site.timeouts.power,
          detail=DISCOVER, extra=((READS, key),))


def _iface_steps(lpar: Lpar) -> tuple[StepRef, ...]:
    """The steps giving NIM the networks of the LPAR's secondary interfaces."""
    return tuple(ref for iface in lpar.interfaces.values()
                 for ref in network_steps(iface.network))


def _secondary_hosts(ctx: Context, b: _Chain,
                     hosts: Hosts) -> tuple[AttrDiff, ...] | None:
    """`hostent -a IP -h <lpar>-<nic>` for each secondary interface without its line, after
    `hostent -d OLD` when that name's own line holds another address (a changed secondary
    IP: NIM's `if<N>` names the host, so only the line changes); None (with the error) when
    /etc/hosts gives its address, or its name along with others, to another."""
    diffs: list[AttrDiff] = []
    for nic, iface in sorted(b.lpar.interfaces.items()):
        name = secondary.host_name(b.lpar.name, nic)
        old = hosts.by_name.get(name)
        if old is not None and old != str(iface.ip) and not hosts.by_ip.get(str(iface.ip)) \
                and all(n == name or n.startswith(f"{name}.") for n in hosts.by_ip[old]):
            b.steps.append(master_step(
                ctx, _K.HOSTENT_DELETE, ("hostent", "-d", old), b.address, detail=nic,
                reason=f"{nic}'s address changes", after=b.last()))
            diffs.append(AttrDiff(f"interfaces.{nic}.ip", old, str(iface.ip)))
        elif not hosts.check(ctx, b.address, iface.ip, name):
            return None
        elif hosts.has(iface.ip):
            continue
        b.steps.append(master_step(
            ctx, _K.HOSTENT, ("hostent", "-a", str(iface.ip), "-h", name), b.address,
            reason=f"{nic}'s name must resolve on NIM", after=b.last(), detail=nic))
    return tuple(diffs)


def _dropped_hosts(ctx: Context, b: _Chain, hosts: Hosts, machine: NimObject) -> None:
    """`hostent -d` of the line of each secondary host name the machine has and the spec no
    longer gives, when the line names it alone (as the plan wrote it)."""
    keep = {secondary.host_name(b.lpar.name, nic) for nic in b.lpar.interfaces}
    for name in secondary.observed_hosts(machine):
        ip = hosts.by_name.get(name)
        if name in keep or ip is None or hosts.by_ip[ip] != (name,):
            continue
        b.steps.append(master_step(ctx, _K.HOSTENT_DELETE, ("hostent", "-d", ip), b.address,
                                   reason=f"{name} is no longer an interface of it",
                                   after=b.last(), detail=name))


def _if1_differs(machine: NimObject, if1: str) -> bool:
    """NIM may print the adapter name after `NET HOST MAC`; the MAC in any case."""
    return machine.get("if1").lower().split()[:3] != if1.lower().split()


class _Chain:
    """The steps of one LPAR, each after this LPAR's earlier steps that exist."""

    def __init__(self, ctx: Context, lpar: Lpar) -> None:
        self.ctx, self.lpar = ctx, lpar
        self.address = Address("lpar", lpar.name)
        self.steps: list[Step] = []

    def last(self) -> tuple[StepRef, ...]:
        return (self.steps[-1].key,) if self.steps else ()

    def master(self, kind: ActionKind, words: tuple[str, ...], reason: str,
               uses: tuple[StepRef, ...] = (), destructive: bool = False) -> None:
        self.steps.append(master_step(self.ctx, kind, words, self.address, reason=reason,
                                      after=self.last(), uses=uses, destructive=destructive,
                                      node=self.lpar.name))

    def hmc(self, kind: ActionKind, words: tuple[str, ...], reason: str,
            after_words: tuple[str, ...] = (), destructive: bool = False,
            timeout: int = 600, detail: str = "",
            extra: tuple[tuple[str, str], ...] = ()) -> None:
        self.steps.append(hmc_step(self.ctx, self.lpar.hmc, kind, words, self.address,
                                   node=self.lpar.name, reason=reason, after=self.last(),
                                   after_words=after_words, destructive=destructive,
                                   timeout=timeout, detail=detail, extra=extra))


def _prescripts(ctx: Context, b: _Chain, when: str) -> None:
    """The LPAR's begin or end prescripts, one command each on the master (prescripts.py)."""
    where = prescripts.prescripts_dir(ctx.spec)
    for script in prescripts.prescripts(b.lpar, when):
        b.steps.append(Step(_K.NIM_PRESCRIPT, ctx.mn, (f"{where}/{script}",), node=b.lpar.name,
                            address=b.address, after=b.last(), detail=f"{when} {script}",
                            env=prescripts.env(b.lpar), reason=f"{when} prescript {script}"))


def _install(ctx: Context, b: _Chain, phase: str, mac: str, master_ip: IPv4Address | None,
             scripts: tuple[tuple[str, Address], ...], change: tuple[str, ...],
             firstboot: tuple[str, ...] = ()) -> None:
    """From the reset of an earlier operation (and the adapter change NIM takes only on a
    machine with nothing allocated) to the install wait, as far as `phase` needs. Without a
    boot server address (`netboot: nim`) NIM boots the client itself: `boot_client=yes`
    reboots it, so that bos_inst is the destructive step and no HMC step is planned."""
    lpar, name = b.lpar, b.lpar.name
    image = lpar.osimage or ""
    img = ctx.spec.osimages[image]
    net = ctx.spec.networks[lpar.network or ""]
    timeouts = ctx.spec.site.timeouts
    if phase in ("reset", "reinstall"):
        b.master(_K.NIM_RESET, ("nim", "-Fo", "reset"), "put the machine back to ready")
        b.master(_K.NIM_DEALLOCATE, ("nim", "-o", "deallocate", "-a", "subclass=all"),
                 "free what the last operation allocated")
        if change:
            b.master(_K.NIM_CHANGE_MACHINE, ("nim", "-o", "change", *change),
                     "the machine's interfaces differ")
    if phase not in ("boot", "wait"):
        words = ["nim", "-o", "bos_inst", "-a", "source=mksysb", "-a",
                 f"mksysb={mksysb_name(image)}", "-a", f"spot={spot_name(image, img)}",
                 "-a", f"bosinst_data={bosinst_name(image, img)}"]
        for script, _ in scripts:
            kind = "fb_script" if script in firstboot else "script"
            words += ["-a", f"{kind}={script}"]
        for type_, resource in sorted(img.resources.items()):
            words += ["-a", f"{type_}={resource}"]
        words += ["-a", "accept_licenses=yes", "-a",
                  f"boot_client={'no' if master_ip else 'yes'}"]
        uses = (*image_steps(image), *network_steps(lpar.network or ""),
                *(script_step(owner, s) for s, owner in scripts))
        reason = f"arm the install of {image}" + (" and boot it" if master_ip is None else "")
        _prescripts(ctx, b, "begin")
        b.master(_K.NIM_BOS_INST, tuple(words), reason, uses=uses,
                 destructive=master_ip is None)
        _prescripts(ctx, b, "end")
    if phase != "wait" and master_ip is not None:
        b.hmc(_K.RMVTERM, ("rmvterm", "-m", lpar.cec, "-p"),
              "an open console blocks lpar_netboot")
        gateway = net.gateway or master_ip
        b.hmc(_K.LPAR_NETBOOT, (
            "lpar_netboot", "-f", "-t", "ent", "-m", mac, "-s", "auto", "-d", "auto",
            "-S", str(master_ip), "-G", str(gateway), "-C", str(lpar.ip), "-K", str(net.mask)),
            "network boot into the NIM install", (lpar.profile, lpar.cec),
            destructive=True, timeout=timeouts.power,
            # A lost answer is read back on the master too (reobserve: NIM Cstate).
            extra=(("master", ctx.mn), *remedy.extra(ctx.options.remediate, lpar.protect)))
    hmc = ctx.spec.hmcs[lpar.hmc].host
    b.steps.append(Step(_K.WAIT_INSTALL, ctx.mn, ("lsnim", "-l"), node=name,
                        address=b.address, after=b.last(), reason=f"install of {image}",
                        timeout=timeouts.install, stall=timeouts.install_stall,
                        extra=(("hmc", hmc), ("system", lpar.cec),
                               *((NIMSH, "yes"),) * any(s == POSTSCRIPT for s, _ in scripts))))


def plan_lpar(ctx: Context, lpar: Lpar, nets: dict[str, str], hosts: Hosts,
              owners: dict[str, Address]) -> tuple[str, ...]:
    """Plan one LPAR; return the postscripts its planned install needs as NIM scripts."""
    b = _Chain(ctx, lpar)
    part = _partition(ctx, lpar, b.address)
    nim_net = nets.get(lpar.network or "")
    if part is None or nim_net is None:
        return ()
    machine = ctx.observed.nim.get(lpar.name)
    if machine is not None and (machine.cls != NIM_MACHINES or not ctx.owns(machine)):
        ctx.conflict(b.address, f"NIM {machine.type or machine.cls} '{lpar.name}'")
        return ()
    ip = lpar.ip
    if ip is None or not hosts.check(ctx, b.address, ip, lpar.name):
        return ()
    mac = _mac(ctx, lpar, machine)
    reads = mac is None
    if mac is None:
        mac = _to_read(ctx, lpar, b.address)
        if mac is None:
            return ()
    if1 = f"{nim_net} {lpar.name} {mac}"
    image = lpar.osimage or ""
    replace = str(b.address) in ctx.options.replace
    phase = lpar_state.phase(machine, mksysb_name(image), replace)
    diffs: tuple[AttrDiff, ...] = ()
    managed = ctx.spec.netboot == "nim"
    if machine is not None and _if1_differs(machine, if1):
        diffs = (AttrDiff("if1", machine.get("if1") or None, if1),)
    code = ctx.observed.refcode(lpar.hmc, lpar.cec, lpar.name)
    booting = phase == "boot" and not diffs and boot_under_way(part.state, code) and \
        not remedy.boots_again(ctx.options.remediate, lpar.protect, code)
    if booting:
        phase = "wait"  # an earlier run's boot goes on without it: a second one would restart it
    if phase == "boot" and (diffs or managed):
        phase = "reset"  # armed for the old adapter, or NIM boots only at bos_inst: arm again
    if not hosts.has(ip):
        b.master(_K.HOSTENT, ("hostent", "-a", str(ip), "-h"), "the name must resolve on NIM")
    ifs = secondary.wanted(lpar, nets)
    moved = _secondary_hosts(ctx, b, hosts)
    if moved is None:
        return ()
    if reads:
        _discover(ctx, b, part)
    if machine is None:
        profile = (("mgmt_source", lpar.cec), ("identity", str(lpar.id))) if managed else ()
        b.steps.append(define(ctx, _K.NIM_DEFINE_MACHINE, "standalone", lpar.name, (
            ("platform", "chrp"), ("netboot_kernel", "64"), ("if1", if1),
            ("cable_type1", "N/A"), *secondary.attrs(ifs), *profile), b.address,
            after=b.last(), uses=(*network_steps(lpar.network or ""), *_iface_steps(lpar),
                  *(cec_steps(lpar.cec, lpar.hmc) if managed else ())),
            reason="NIM machine missing", node=True))
    installs = lpar.state == "installed" and phase != "done"
    late = installs and phase in ("reset", "reinstall", "wait")
    change: tuple[str, ...] = ("-a", f"if1={if1}") if diffs else ()
    if machine is not None:
        more, pairs = secondary.differences(machine, ifs)
        diffs = (*diffs, *more, *moved)
        change = (*change, *(w for k, v in pairs for w in ("-a", f"{k}={v}")))
    if machine is not None and not installs and machine.get("Cstate") == lpar_state.READY:
        held = lpar_state.allocated(machine, ctx.observed.nim)
        if held:  # by hand: a later bos_inst or adapter change would trip over them
            b.master(_K.NIM_DEALLOCATE, ("nim", "-o", "deallocate", "-a", "subclass=all"),
                     "resources allocated outside an install")
            diffs = (*diffs, *(AttrDiff(attr, name, None) for attr, name in held))
    if change and not late:
        b.master(_K.NIM_CHANGE_MACHINE, ("nim", "-o", "change", *change),
                 "the machine's interfaces differ",
                 uses=(*network_steps(lpar.network or ""), *_iface_steps(lpar)))
    if machine is not None:
        _dropped_hosts(ctx, b, hosts, machine)
    scripts: tuple[tuple[str, Address], ...] = ()
    if installs:
        master_ip = None
        if not managed:
            master_ip = hosts.master_ip(ctx, b.address, ctx.spec.networks[lpar.network or ""])
            if master_ip is None:
                return ()
        if lpar.protect and phase != "wait" and (
                phase == "reinstall" or part.state != lpar_state.OFF):
            boot = "bos_inst -a boot_client=yes" if managed else "lpar_netboot -f"
            ctx.error(b.address, f"protected LPAR (protect: true) is {part.state}: its install "
                      f"would power-cycle it ({boot}); remove `protect: true` first")
            return ()
        firstboot = lpar_firstboot(ctx.spec, lpar)
        scripts = tuple((s, owners[s]) for s in (*lpar_scripts(ctx.spec, lpar), *firstboot))
        _install(ctx, b, phase, mac, master_ip, scripts, change if late else (), firstboot)
    if not b.steps:
        return ()
    _add_change(ctx, b, machine, part, phase, diffs, installs, if1, ifs,
                f"network boot under way (reference code {code})" if booting else "")
    return tuple(s for s, _ in scripts if phase not in ("boot", "wait"))


def _shown(ctx: Context, lpar: Lpar, if1: str, ifs: dict[int, str]) -> dict[str, str]:
    """What a reviewer checks before an LPAR is defined and booted, as Terraform shows every
    attribute of a resource: the NIM machine's own attributes (those `nim -o define -t
    standalone` sets), and where the partition is on the HMC side (the lpar_netboot words)."""
    attrs = {"if1": known_after.shown(if1), "platform": "chrp", "netboot_kernel": "64",
             "cable_type1": "N/A", "comments": ctx.mark, "ip": str(lpar.ip), "hmc": lpar.hmc,
             "cec": lpar.cec, "id": str(lpar.id), "profile": lpar.profile, "state": lpar.state,
             "osimage": lpar.osimage or "", **dict(secondary.attrs(ifs))}
    if ctx.spec.netboot == "nim":  # NIM's form of mgmt_source + identity: `HMC IDENTITY CEC`
        attrs["mgmt_profile1"] = f"{lpar.hmc} {lpar.id} {lpar.cec}"
    return attrs


def _add_change(ctx: Context, b: _Chain, machine: NimObject | None, part: Partition,
                phase: str, diffs: tuple[AttrDiff, ...], installs: bool, if1: str,
                ifs: dict[int, str], under_way: str = "") -> None:
    lpar = b.lpar
    before_state = lpar_state.observed_state(machine, part)
    if machine is None:
        kind, reason = ChangeKind.CREATE, "not defined"
    elif installs and phase == "reinstall":
        kind, reason = ChangeKind.REPLACE, "reinstall"
    else:
        kind = ChangeKind.UPDATE
        reason = {"wait": under_way or "install in progress", "boot": "install enabled, not booted",
                  "reset": f"{before_state}: reset and install again"}.get(
                      phase if installs else "", "differs from the spec")
    after_state = f"installed ({lpar.osimage})" if lpar.state == "installed" else "defined"
    if not installs and before_state.startswith("installed"):
        after_state = before_state  # `defined` never uninstalls a machine
    state_diff = ((AttrDiff("state", before_state, after_state),)
                  if before_state != after_state and kind is not ChangeKind.CREATE else ())
    netboots = any(s.destructive for s in b.steps)
    notes = (f"the network boot power-cycles {lpar.name} (now {part.state})",) * (
        netboots and part.state != lpar_state.OFF)
    if any(s.key.detail == DISCOVER for s in b.steps):
        notes += (f"lpar_netboot -M -n power-cycles {lpar.name} through Open Firmware to read "
                  f"its MAC (now {part.state}): set `mac:` to avoid it",)
    ctx.add(ResourceChange(b.address, kind, None if machine is None else dict(machine.attrs),
                           _shown(ctx, lpar, if1, ifs), (*diffs, *state_diff), reason, netboots,
                           notes), b.steps)
