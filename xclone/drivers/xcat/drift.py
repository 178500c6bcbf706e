"""The xCAT driver's expected-drift table: attributes that xCAT and NIM change by themselves.

`xclone drift` reads the planner's attribute diffs; a difference in one of these is what the
tools do in normal operation (an install moves `status` and NIM's `Cstate`), not someone's hand,
so it is reported as expected instead of alerting. Sources (docs/formats.md "Drift"): xCAT
2.9.2 `perl-xCAT/xCAT/Schema.pm` (the nodelist and chain tables: "set by xCAT software"),
`xCAT/postscripts/xcataixpost` (reports `installstatus booted` at the end of an AIX install),
`aixinstall.pm` (nimnodeset writes `os`, `profile`, `provmethod`); NIM's `lsnim -l` state and
progress attributes (docs/formats.md "NIM"; the NIM part is xclone/observed/nim_attrs.py).
"""

from __future__ import annotations

from xclone.observed.nim_attrs import INSTALLING, INSTALLING_WHY, NIM_ATTRS
from xclone.plan.changes import AttrDiff

_XCAT = "xCAT sets it itself"
XCAT_ATTRS: dict[str, str] = {
    "status": f"{_XCAT} as a node installs and boots (nodelist.status)",
    "statustime": f"{_XCAT} with every status change (nodelist.statustime)",
    "appstatus": f"{_XCAT} from monitoring (nodelist.appstatus)",
    "appstatustime": f"{_XCAT} with appstatus (nodelist.appstatustime)",
    "updatestatus": f"{_XCAT} during updatenode (nodelist.updatestatus)",
    "updatestatustime": f"{_XCAT} with updatestatus (nodelist.updatestatustime)",
    "currstate": f"{_XCAT} on nodeset and discovery (chain.currstate)",
    "currchain": f"{_XCAT} while a chain runs (chain.currchain)",
}
EXPECTED: dict[str, str] = {**XCAT_ATTRS, **NIM_ATTRS}


def expected_drift(type_: str, diff: AttrDiff) -> str | None:
    """Why the tools themselves make this difference, or None when they do not."""
    if diff.name in EXPECTED:
        return EXPECTED[diff.name]
    if type_ == "lpar" and diff.name == "state" and diff.before == INSTALLING:
        return INSTALLING_WHY
    return None
