"""Where an LPAR's install stands, read from xCAT status/provmethod and NIM Cstate/Cstate_result.

An LPAR is installed from an osimage when xCAT says `status=booted` with that `provmethod`
(docs/formats.md "NIM from xCAT"); NIM's `Cstate` tells an enabled, running or failed install
apart (docs/formats.md "NIM").
"""

from __future__ import annotations

from xclone.base.address import Address
from xclone.observed.model import NimObject, XcatObject
from xclone.spec.model import Lpar


def installed_from(node: XcatObject | None) -> str | None:
    if node is None or node.get("status") != "booted":
        return None
    return node.get("provmethod") or node.get("profile") or None


def install_phase(
    node: XcatObject | None, machine: NimObject | None, lpar: Lpar, replace: frozenset[str]
) -> str:
    """One of: done, reinstall, wait, boot, reset, install."""
    current = installed_from(node)
    wanted = str(Address("lpar", lpar.name)) in replace
    if current is not None and not wanted:
        return "done" if current == lpar.osimage else "reinstall"
    if current is not None:
        return "reinstall"
    cstate = machine.get("Cstate") if machine else ""
    if "being performed" in cstate or _rebooting(node, machine, lpar):
        return "wait"
    if machine is not None and machine.get("Cstate_result") == "failure":
        return "reset"
    if "enabled" in cstate:
        same_image = node is not None and node.get("provmethod") == lpar.osimage
        return "boot" if same_image else "reset"
    if machine is not None and "ready" not in cstate and cstate:
        return "reset"
    return "install"


def _rebooting(node: XcatObject | None, machine: NimObject | None, lpar: Lpar) -> bool:
    """NIM's BOS install of this osimage ended well and xCAT still says `installing` (what
    rnetboot set): the LPAR is rebooting from its new disk, and xcataixpost reports
    `installstatus booted` only at the end of its first boot's postscripts (xCAT 2.9.2
    xCAT/postscripts/xcataixpost), so both views are right and the install is to be waited
    for. An observation in that window (minutes per LPAR; an apply killed and resumed during
    the installs reads it) is not the disagreement lpar_guard refuses."""
    return (node is not None and machine is not None and node.get("status") == "installing"
            and node.get("provmethod") == lpar.osimage
            and machine.get("Cstate_result") == "success" and "ready" in machine.get("Cstate"))


def observed_state(node: XcatObject | None, machine: NimObject | None) -> str:
    current = installed_from(node)
    if current:
        return f"installed ({current})"
    if node is None:
        return "absent"
    cstate = machine.get("Cstate") if machine else ""
    if "being performed" in cstate:
        return "installing"
    return "defined"
