"""The NIM attributes NIM itself changes, with why: what `xclone drift` reports as expected.

Both drivers read `lsnim -l`, so both need the table (the xCAT driver's NIM machines are made
by `xcat2nim`, the NIM driver's by `nim -o define`); it lives here, beside the observed model,
since drivers never import each other. Sources (docs/formats.md "NIM", "Drift"): IBM AIX
`lsnim` and "NIM object states" (Cstate, Mstate, Nstate, Rstate and prev_state are states NIM
moves through; Cstate_result, info and err_info are what an operation leaves behind),
"Using a mksysb resource" (creation_date), "Allocating a resource" (alloc_count).
"""

from __future__ import annotations

_NIM = "NIM sets it itself"
NIM_ATTRS: dict[str, str] = {
    "Cstate": f"{_NIM}: the control state moves through every operation",
    "Mstate": f"{_NIM}: whether the machine was last seen running",
    "prev_state": f"{_NIM}: the state before the current one",
    "Cstate_result": f"{_NIM}: how the last operation ended",
    "info": f"{_NIM}: the install's progress messages",
    "err_info": f"{_NIM}: the last operation's error",
    "Nstate": f"{_NIM}: a network's state",
    "Rstate": f"{_NIM}: a resource's state",
    "alloc_count": f"{_NIM}: how many machines hold the resource",
    "creation_date": f"{_NIM}: when a mksysb was made",
}

# The planners' `state` of an LPAR while NIM's Cstate says "... is being performed" (both
# drivers' resources/lpar_state.py): the difference from the spec is the install itself.
INSTALLING = "installing"
INSTALLING_WHY = ("NIM is installing it: its Cstate says the BOS installation is being "
                  "performed, and `xclone apply` waits for that")
