"""The runbook's restart of the install server's boot services, shared by both drivers.

A NIM master answers a network boot with bootpd and tftpd, both started by inetd, and the client
then mounts the SPOT over NFS (IBM AIX, "Obtaining the boot image from the server": when bootp
requests go unanswered, check that inetd runs, start it and boot the client again; bootpd(8):
inetd starts bootpd on the first request). The seed runbook's remedy restarts all three on the
install server: `stopsrc -s inetd; startsrc -s inetd`, the tftp subserver (`-t`) and the nfs
group (`-g`). Under `driver: xcat` that NIM master is the management node or the node's service
node (drivers/xcat/remedy.py), under `driver: nim` the wait's master (drivers/nim/remedy.py);
both remedies run through the core's one path, xclone/apply/remedies.py.
"""

from __future__ import annotations

from collections.abc import Callable

from xclone.base.command import Command
from xclone.base.errors import XcloneError
from xclone.base.remote import Result
from xclone.observed.parsers.nim import parse_lsnim_long
from xclone.plan.action import MN_ENV

OPTION = "boot-services"  # `xclone apply --remediate boot-services`
RESTARTS = (("stopsrc", "-s", "inetd"), ("startsrc", "-s", "inetd"),
            ("stopsrc", "-t", "tftp"), ("startsrc", "-t", "tftp"),
            ("stopsrc", "-g", "nfs"), ("startsrc", "-g", "nfs"))
ENABLED = "BOS installation has been enabled"  # NIM Cstate: armed, the boot not yet served
REMEDY = ("`stopsrc -s inetd; startsrc -s inetd`, `stopsrc -t tftp; startsrc -t tftp` and "
          "`stopsrc -g nfs; startsrc -g nfs`")


def commands() -> tuple[Command, ...]:
    """The restarts in the runbook's order, each its own command so that each is judged."""
    return tuple(Command(argv, MN_ENV) for argv in RESTARTS)


def unserved(run: Callable[[Command], Result], nodes: list[str]) -> set[str]:
    """The machines of `nodes` that their NIM master (`run`) still shows only enabled: a boot
    it never answered (empty when it cannot say: a remedy is then not run)."""
    try:
        result = run(Command(("lsnim", "-l", *nodes), MN_ENV))
        listed = parse_lsnim_long(result.stdout)
    except XcloneError:  # unreachable, or a listing it cannot read
        return set()
    return {o.name for o in listed if o.name in nodes and dict(o.attrs).get("Cstate") == ENABLED}
