"""The closed set of action kinds of the xCAT path, and the one registry of what each kind means.

A kind names one command of the runbook (`mkdef-z` is `mkdef -z` with node stanzas on stdin).
Its registry entry says where plans list it among actions at the same depth (the runbook's
order), how apply judges its result, which read-back re-observes it when its answer was lost
(reobserve.py `RECHECKS`), and whether it removes objects (`--deny delete`). The graph,
the result checks, the re-observation and the renderers all read this table; the plan JSON
carries the kind's value, so saved plans read kinds back by value.
"""

from __future__ import annotations

from enum import StrEnum

from xclone.plan.kinds import HARDWARE, POLLED, KindInfo, KindTable


class Judging(StrEnum):
    """How apply decides whether an action worked (judges.py, docs/formats.md "Messages
    and exit statuses")."""

    WHOLE = "whole"  # one object: exit status and the Error:/NIM message lines of the command
    # A noderange command: xCAT reports one line per node, so each node is judged on its own;
    # an action of such a kind that names no node (`chdef -t node -o HMC`) is judged whole.
    PER_NODE = "per-node"
    # Per node too, and exit status 2 is xCAT's ssh/expect link to the HMC failing: worth a retry.
    HARDWARE = HARDWARE
    POLLED = POLLED  # not a command to judge but a state to wait for (waits.py)


class ActionKind(KindTable, StrEnum):
    CHUSER = "chuser"  # preflight: lift root's file size limit (site.preflight.fix_fsize)
    CHDEF_SITE = "chdef-site"
    MKDEF_HMC = "mkdef-hmc"
    MKDEF_NETWORK = "mkdef-network"
    CHDEF_NETWORK = "chdef-network"
    NIM_DEFINE_NETWORK = "nim-define-network"
    MKDEF_GROUP = "mkdef-group"
    CHDEF_GROUP = "chdef-group"
    MKNIMIMAGE = "mknimimage"
    NIM_MARK = "nim-mark"
    CHDEF_OSIMAGE = "chdef-osimage"
    MKDEF_Z = "mkdef-z"
    CHDEF = "chdef"
    MAKEHOSTS = "makehosts"
    XDCP_HOSTS = "xdcp-hosts"  # a service node's /etc/hosts refreshed before its xcat2nim
    MAKECONSERVERCF = "makeconservercf"
    GETMACS = "getmacs"
    XCAT2NIM = "xcat2nim"
    NIMNODESET = "nimnodeset"
    RNETBOOT = "rnetboot"
    RBOOTSEQ = "rbootseq"  # a Flex blade: its network adapter first in the boot list
    RPOWER_BOOT = "rpower-boot"  # then `rpower reset` (or `on`) boots it from the network
    WAIT_INSTALL = "wait-install"
    XCAT2NIM_REMOVE = "xcat2nim-remove"
    MAKEHOSTS_DELETE = "makehosts-delete"
    MAKECONSERVERCF_DELETE = "makeconservercf-delete"
    RMDEF = "rmdef"
    NIM_REMOVE = "nim-remove"
    NIM_CHANGE = "nim-change"  # cleanup: a master interface or route xcat2nim -t network added
    NIM_RESET = "nim-reset"
    NIM_DEALLOCATE = "nim-deallocate"
    RMDEF_OSIMAGE = "rmdef-osimage"
    RMNIMIMAGE_SN = "rmnimimage-sn"  # cleanup: an osimage's copies on its service nodes
    RMDEF_NETWORK = "rmdef-network"
    RMDEF_GROUP = "rmdef-group"

    @property
    def info(self) -> KindInfo:
        return KINDS[self]

    @property
    def per_node(self) -> bool:
        """Judged per node (for the nodes its action names), hardware commands included."""
        return self.info.judging in (Judging.PER_NODE, Judging.HARDWARE)

    @property
    def noderange(self) -> bool:
        """Every xCAT command takes its nodes as one noderange."""
        return True


_W, _N, _H = Judging.WHOLE, Judging.PER_NODE, Judging.HARDWARE
# Kinds that are not runbook steps of their own (disarming an armed install, cleanup of objects
# other than nodes) share the last rank: among them, the first node or address goes first.
_LAST = 24

_K = ActionKind
KINDS: dict[ActionKind, KindInfo] = {
    _K.CHUSER: KindInfo(0, _W),  # setting the limit again is harmless: no read-back needed
    _K.CHDEF_SITE: KindInfo(0, _W, "chdef"),
    _K.MKDEF_HMC: KindInfo(1, _N, "mkdef"),
    _K.MKDEF_NETWORK: KindInfo(2, _W, "mkdef"),
    _K.CHDEF_NETWORK: KindInfo(3, _W, "chdef"),
    _K.NIM_DEFINE_NETWORK: KindInfo(4, _W, "nim define"),
    _K.MKDEF_GROUP: KindInfo(5, _W, "mkdef"),
    _K.CHDEF_GROUP: KindInfo(6, _W, "chdef"),
    _K.MKNIMIMAGE: KindInfo(7, _W, "mknimimage"),
    _K.NIM_MARK: KindInfo(8, _W),
    _K.CHDEF_OSIMAGE: KindInfo(9, _W, "chdef"),
    _K.MKDEF_Z: KindInfo(10, _N, "mkdef"),
    _K.CHDEF: KindInfo(11, _N, "chdef"),
    _K.MAKEHOSTS: KindInfo(12, _N),
    _K.XDCP_HOSTS: KindInfo(12, _W),  # copying the file again is harmless: no read-back
    _K.MAKECONSERVERCF: KindInfo(13, _N),
    _K.GETMACS: KindInfo(14, _H, "getmacs"),
    _K.XCAT2NIM: KindInfo(15, _N, "xcat2nim"),
    _K.NIMNODESET: KindInfo(16, _N, "nimnodeset"),
    _K.RNETBOOT: KindInfo(17, _H, "rnetboot"),
    _K.RBOOTSEQ: KindInfo(17, _H),
    _K.RPOWER_BOOT: KindInfo(17, _H, "rnetboot"),
    _K.WAIT_INSTALL: KindInfo(18, Judging.POLLED),
    _K.XCAT2NIM_REMOVE: KindInfo(19, _N, "xcat2nim -r", removes=True),
    _K.MAKEHOSTS_DELETE: KindInfo(20, _N),
    _K.MAKECONSERVERCF_DELETE: KindInfo(21, _N),
    _K.RMDEF: KindInfo(22, _N, "rmdef", removes=True),
    _K.NIM_REMOVE: KindInfo(23, _W, "nim remove", removes=True),
    _K.NIM_CHANGE: KindInfo(_LAST, _W),
    _K.NIM_RESET: KindInfo(_LAST, _W),
    _K.NIM_DEALLOCATE: KindInfo(_LAST, _W),
    _K.RMDEF_OSIMAGE: KindInfo(_LAST, _W, "rmdef", removes=True),
    # Run again, it removes what is left: no read-back needed.
    _K.RMNIMIMAGE_SN: KindInfo(_LAST, _W, removes=True),
    _K.RMDEF_NETWORK: KindInfo(_LAST, _W, "rmdef", removes=True),
    _K.RMDEF_GROUP: KindInfo(_LAST, _W, "rmdef", removes=True),
}
