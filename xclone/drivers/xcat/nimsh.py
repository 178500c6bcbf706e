"""After an install, when the node's postscripts include `confignimsh`: does nimsh answer?

The runbook checks a client's NIM service handler after confignimsh with `nim -o lslpp NODE`
(NIM runs lslpp on the client through nimsh) and `nimquery -a host=NODE` showing `_ssl:yes`
(IBM AIX, "Using NIM service handler for client communication"). A node that booted but fails
either had its postscript fail: the wait reports it so, with what each command answered.
The wait reads the postscripts as xCAT resolves them (`lsdef -i postscripts`: the node's own
row, else its first group's), so the check runs exactly where confignimsh runs; the check
itself is the NIM driver's too (xclone/drivers/nimsh.py).
"""

from __future__ import annotations

from xclone.drivers.nimsh import POSTSCRIPT


def runs_it(postscripts: str) -> bool:
    """Whether xCAT's `postscripts` value of a node (comma list) runs confignimsh."""
    return POSTSCRIPT in (s.strip() for s in postscripts.split(","))
