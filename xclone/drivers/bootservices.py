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

from xclone.base.command import Command
from xclone.plan.action import MN_ENV

OPTION = "boot-services"  # `xclone apply --remediate boot-services`
RESTARTS = (("stopsrc", "-s", "inetd"), ("startsrc", "-s", "inetd"),
            ("stopsrc", "-t", "tftp"), ("startsrc", "-t", "tftp"),
            ("stopsrc", "-g", "nfs"), ("startsrc", "-g", "nfs"))
REMEDY = ("`stopsrc -s inetd; startsrc -s inetd`, `stopsrc -t tftp; startsrc -t tftp` and "
          "`stopsrc -g nfs; startsrc -g nfs`")


def commands() -> tuple[Command, ...]:
    """The restarts in the runbook's order, each its own command so that each is judged."""
    return tuple(Command(argv, MN_ENV) for argv in RESTARTS)
