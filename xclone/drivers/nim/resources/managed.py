"""`netboot: nim`: NIM boots its managed clients itself, through the HMC (dsm.core).

IBM AIX "Defining NIM clients": a managed client needs a management profile, set at define time
from `mgmt_source` (for an HMC-managed LPAR a `cec` object) and `identity` (the LPAR id); then
`bos_inst -a boot_client=yes` network-boots it, with no `lpar_netboot`. The `hmc` object logs in
with a password file `dpasswd` encrypts (its password is read from stdin here: the plan holds
only the secret's reference, apply fills it in when sending); the `cec` object names the HMC
and the managed system's type, model and serial as the HMC lists them. The hmc/cec attribute
names are inferred (docs/formats.md "NIM", Managed clients). An `hmc` or `cec` object NIM
already has under the spec's name is used as it is.
"""

from __future__ import annotations

from functools import cache

from xclone.base.address import Address
from xclone.drivers.nim.kinds import ActionKind
from xclone.drivers.nim.resources.common import define, master_step
from xclone.plan.action import StepRef
from xclone.plan.changes import ChangeKind, ResourceChange
from xclone.plan.context import Context

MANAGEMENT = "management"
# dpasswd's own directory for a bare file name (docs/formats.md "NIM", Managed clients).
PASSWD_DIR = "/etc/ibm/sysmgt/dsm/config"


@cache
def cec_steps(cec: str, hmc: str) -> tuple[StepRef, ...]:
    """What a managed client's define waits for: its CEC object, and that CEC's HMC object."""
    return (StepRef(ActionKind.DPASSWD, Address("hmc", hmc)),
            StepRef(ActionKind.NIM_DEFINE_HMC, Address("hmc", hmc)),
            StepRef(ActionKind.NIM_DEFINE_CEC, Address("cec", cec)))


def _usable(ctx: Context, address: Address, type_: str) -> bool | None:
    """True: NIM has it; False: missing; None: the name is taken by another kind (an error)."""
    obj = ctx.observed.nim.get(address.name)
    if obj is None:
        return False
    if obj.cls == MANAGEMENT and obj.type == type_:
        return True
    ctx.error(address, f"NIM has a {obj.type or obj.cls} object '{address.name}', not an "
              f"{type_} object: rename it in the spec or remove that object")
    return None


def _plan_hmc(ctx: Context, name: str) -> bool:
    address = Address("hmc", name)
    have = _usable(ctx, address, "hmc")
    if have is None or have:
        return have is not None
    hmc = ctx.spec.hmcs[name]
    if hmc.password is None:
        ctx.error(address, "netboot: nim needs the HMC's password reference (NIM logs in "
                  "with a dpasswd password file)")
        return False
    path = f"{PASSWD_DIR}/{name}"
    ref = hmc.password.ref()
    passwd = master_step(ctx, ActionKind.DPASSWD,
                         ("dpasswd", "-f", path, "-U", hmc.username, "-o"), address,
                         stdin=ref.marker() + "\n", reason="NIM's password file for the HMC")
    obj = define(ctx, ActionKind.NIM_DEFINE_HMC, "hmc", name,
                 (("passwd_file", path), ("if1", f"find_net {hmc.host} 0")), address,
                 after=(passwd.key,), reason="NIM's hmc object")
    ctx.add(ResourceChange(address, ChangeKind.CREATE, None,
                           {"passwd_file": path, "if1": f"find_net {hmc.host} 0",
                            "comments": ctx.mark}, reason="not defined in NIM",
                           notes=(f"dpasswd encrypts the secret {ref.describe()} into {path}",)),
            [passwd, obj])
    return True


def _plan_cec(ctx: Context, cec: str, hmc: str) -> None:
    address = Address("cec", cec)
    if _usable(ctx, address, "cec") is not False:
        return
    system = ctx.observed.systems.get((hmc, cec))
    if system is None:
        return  # reported by hardware.check_systems
    hw_type, _, hw_model = system.type_model.partition("-")
    attrs = (("hw_type", hw_type), ("hw_model", hw_model), ("hw_serial", system.serial),
             ("mgmt_source", hmc))
    step = define(ctx, ActionKind.NIM_DEFINE_CEC, "cec", cec, attrs, address,
                  uses=cec_steps(cec, hmc)[:2], reason="NIM's cec object")
    ctx.add(ResourceChange(address, ChangeKind.CREATE, None,
                           {**dict(attrs), "comments": ctx.mark},
                           reason="not defined in NIM"), [step])


def plan_managers(ctx: Context) -> None:
    """The hmc and cec objects the spec's LPARs are booted through."""
    used: dict[str, str] = {}
    for name in sorted(ctx.spec.lpars):
        lpar = ctx.spec.lpars[name]
        if lpar.state != "absent":
            used.setdefault(lpar.cec, lpar.hmc)
    ready = {hmc: _plan_hmc(ctx, hmc) for hmc in sorted(set(used.values()))}
    for cec, hmc in sorted(used.items()):
        if ready[hmc]:
            _plan_cec(ctx, cec, hmc)
