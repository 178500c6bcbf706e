"""The managed systems the LPARs live on: xclone checks them, it does not define or create them.

With `netboot: hmc` NIM needs no object for the HMC or the CEC; the HMC must show each managed
system the spec's LPARs name, in a state where it can list and drive their partitions
(docs/formats.md "HMC"). Each problem is reported once, on the CEC, not per LPAR.
"""

from __future__ import annotations

from xclone.base.address import Address
from xclone.plan.context import Context


def check_systems(ctx: Context) -> None:
    used: dict[str, str] = {}
    for name in sorted(ctx.spec.lpars):
        lpar = ctx.spec.lpars[name]
        if lpar.state != "absent":
            used.setdefault(lpar.cec, lpar.hmc)
    for cec, hmc in sorted(used.items()):
        address = Address("cec", cec)
        system = ctx.observed.systems.get((hmc, cec))
        if system is None:
            shown = sorted(s for h, s in ctx.observed.systems if h == hmc)
            ctx.error(address, f"managed system '{cec}' is not on HMC {hmc} "
                      f"(it shows: {', '.join(shown) or 'none'})")
        elif not system.reachable:
            ctx.error(address, f"managed system '{cec}' is '{system.state}' on HMC {hmc}: "
                      "the HMC cannot list or drive its partitions until that is fixed")
