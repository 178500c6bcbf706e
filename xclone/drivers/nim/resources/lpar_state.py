"""Where an LPAR's install stands, read from its NIM machine and its partition.

NIM keeps no record of which mksysb a machine was installed from (bos_inst's allocations are
released when the install ends), so "installed" is what NIM and the HMC say of the last install:
the machine is xclone's (marked), `Cstate` is "ready for a NIM operation" and `Cstate_result` is
`success`. A partition that is off then is an installed LPAR someone shut down, not one to
reinstall: the plan says so and leaves it. `Cstate_result` decides, since a failed install also
ends at "ready" (docs/formats.md "NIM", Progress during bos_inst). A machine just defined is ready
with no `Cstate_result`: never installed. A BOS install that is armed ("BOS installation has been
enabled") with this osimage's mksysb only needs its boot, unless its partition already shows a
network-boot or install code (an earlier run's boot goes on: lpar.py plans only the wait,
refcodes.booting); armed with another one it is reset first, as is a failed install or a machine in
any other operation. An osimage changed in the spec is not visible on an installed machine:
`--replace lpar.NAME` reinstalls it (docs/nim-driver.md, "When an LPAR counts as installed").
"""

from __future__ import annotations

from collections.abc import Mapping

from xclone.observed.model import NimObject, Partition

OFF = "Not Activated"
READY = "ready for a NIM operation"
ENABLED = "BOS installation has been enabled"


def installed(machine: NimObject | None) -> bool:
    return (machine is not None and machine.get("Cstate") == READY
            and machine.get("Cstate_result") == "success")


def phase(machine: NimObject | None, mksysb: str, replace: bool) -> str:
    """One of: done, reinstall, wait, boot, reset, install."""
    if installed(machine):
        return "reinstall" if replace else "done"
    if machine is None:
        return "install"
    cstate = machine.get("Cstate")
    if "being performed" in cstate and not replace:
        return "wait"  # the install, or the customization (scripts) that ends it
    if cstate == ENABLED and not replace:
        return "boot" if machine.get("mksysb") == mksysb else "reset"
    if cstate == READY and machine.get("Cstate_result") in ("", "success"):
        return "install"
    return "reset"


def allocated(machine: NimObject, nim: Mapping[str, NimObject]) -> tuple[tuple[str, str], ...]:
    """The resources allocated to a machine, as `lsnim -l` lists them: a `TYPE = NAME` line
    naming a NIM resource of that type (IBM AIX "lsnim Command"; bos_inst allocates its
    resources this way and deallocates them when the install ends), one line per resource of
    a kind several can be allocated of (`script`, docs/formats.md "NIM")."""
    return tuple((attr, value) for attr in sorted(machine.attrs)
                 for value in machine.values(attr)
                 if (res := nim.get(value)) is not None and res.cls == "resources"
                 and res.type == attr)


def observed_state(machine: NimObject | None, part: Partition) -> str:
    if machine is None:
        return "absent"
    if installed(machine):
        return "installed" if part.state != OFF else f"installed ({part.state})"
    cstate = machine.get("Cstate")
    if "being performed" in cstate:
        return "installing"
    if cstate == ENABLED:
        return "install enabled"
    if machine.get("Cstate_result") == "failure":
        return "install failed"
    return "defined"
