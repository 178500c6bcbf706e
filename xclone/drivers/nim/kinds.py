"""The closed set of action kinds of the NIM path, and the one registry of what each kind means.

A kind names one command of the by-hand NIM procedure (docs/nim-driver.md): `nim-bos-inst` is
`nim -o bos_inst ... NAME` on the NIM master, `lpar-netboot` is the HMC's `lpar_netboot`. Its
registry entry says where plans list it among actions at the same depth (the procedure's order),
how apply judges its result, which read-back re-observes it when its answer was lost (the
driver's reobserve module), and whether it removes objects (`--deny delete`). NIM names one
object per command, so no kind takes a noderange: a polled wait lists its machines as words.
"""

from __future__ import annotations

from enum import StrEnum

from xclone.plan.kinds import HARDWARE, POLLED, KindInfo, KindTable


class Judging(StrEnum):
    """How apply decides whether an action worked (the driver's judges module)."""

    WHOLE = "whole"  # one object: exit status and the 0042-/HSCL message lines of the command
    # An HMC command: exit status, the HSCL code and lpar_netboot's own lines; a lost link to
    # the HMC is worth a retry only when the command never started.
    HARDWARE = HARDWARE
    POLLED = POLLED  # not a command to judge but a state to wait for (the waits module)


class ActionKind(KindTable, StrEnum):
    CHUSER = "chuser"  # preflight: lift root's file size limit (site.preflight.fix_fsize)
    NIM_DEFINE_NETWORK = "nim-define-network"
    NIM_CHANGE_MASTER = "nim-change-master"
    NIM_CHANGE_NETWORK = "nim-change-network"
    DPASSWD = "dpasswd"
    NIM_DEFINE_HMC = "nim-define-hmc"
    NIM_DEFINE_CEC = "nim-define-cec"
    COPY_MKSYSB = "copy-mksysb"  # another NIM master's copy of the image file (servers.py)
    NIM_DEFINE_MKSYSB = "nim-define-mksysb"
    NIM_DEFINE_SPOT = "nim-define-spot"
    WRITE_BOSINST = "write-bosinst"
    NIM_DEFINE_BOSINST = "nim-define-bosinst"
    COPY_SCRIPT = "copy-script"  # another NIM master's copy of a postscript file (servers.py)
    NIM_DEFINE_SCRIPT = "nim-define-script"
    HOSTENT = "hostent"
    NIM_DEFINE_MACHINE = "nim-define-machine"
    NIM_CHANGE_MACHINE = "nim-change-machine"
    NIM_PRESCRIPT = "nim-prescript"  # a begin or end prescript on the master (prescripts.py)
    NIM_BOS_INST = "nim-bos-inst"
    RMVTERM = "rmvterm"
    LPAR_NETBOOT = "lpar-netboot"
    WAIT_INSTALL = "wait-install"
    NIM_RESET = "nim-reset"
    NIM_DEALLOCATE = "nim-deallocate"
    NIM_REMOVE = "nim-remove"
    HOSTENT_DELETE = "hostent-delete"
    NIM_MARK = "nim-mark"  # xclone import: comments=<existing> xclone:<cluster> (adoption.py)

    @property
    def info(self) -> KindInfo:
        return KINDS[self]

    @property
    def per_node(self) -> bool:
        """NIM and the HMC take one object per command: an action is judged whole."""
        return False

    @property
    def noderange(self) -> bool:
        return False


_W, _H = Judging.WHOLE, Judging.HARDWARE
_K = ActionKind
KINDS: dict[ActionKind, KindInfo] = {
    _K.CHUSER: KindInfo(0, _W),  # setting the limit again is harmless: no read-back needed
    _K.NIM_DEFINE_NETWORK: KindInfo(0, _W, "lsnim"),
    _K.NIM_CHANGE_MASTER: KindInfo(1, _W, "lsnim"),
    _K.NIM_CHANGE_NETWORK: KindInfo(1, _W, "lsnim"),  # a route (routing<N>) on a network
    # The HMC password file NIM logs in with: encrypted, so nothing to read back and compare.
    _K.DPASSWD: KindInfo(2, _W),
    _K.NIM_DEFINE_HMC: KindInfo(2, _W, "lsnim"),
    _K.NIM_DEFINE_CEC: KindInfo(3, _W, "lsnim"),
    # `mkdir -p` and `scp` on another master: no read-back (a lost answer is rerun by the
    # next plan, which copies again while that master has no mksysb resource).
    _K.COPY_MKSYSB: KindInfo(4, _W),
    _K.NIM_DEFINE_MKSYSB: KindInfo(4, _W, "lsnim"),
    _K.NIM_DEFINE_SPOT: KindInfo(5, _W, "lsnim"),
    _K.WRITE_BOSINST: KindInfo(6, _W, "file"),
    _K.NIM_DEFINE_BOSINST: KindInfo(7, _W, "lsnim"),
    _K.COPY_SCRIPT: KindInfo(8, _W),  # as COPY_MKSYSB: the next plan copies again
    _K.NIM_DEFINE_SCRIPT: KindInfo(8, _W, "lsnim"),
    _K.HOSTENT: KindInfo(9, _W, "hosts"),
    _K.NIM_DEFINE_MACHINE: KindInfo(10, _W, "lsnim"),
    _K.NIM_CHANGE_MACHINE: KindInfo(11, _W, "lsnim"),
    # A script of the site's: nothing to read back (a lost answer reruns with the install).
    _K.NIM_PRESCRIPT: KindInfo(12, _W),
    _K.NIM_BOS_INST: KindInfo(12, _W, "lsnim"),
    _K.RMVTERM: KindInfo(13, _H),
    _K.LPAR_NETBOOT: KindInfo(14, _H, "refcode"),
    _K.WAIT_INSTALL: KindInfo(15, Judging.POLLED),
    _K.NIM_RESET: KindInfo(16, _W, "lsnim"),
    _K.NIM_DEALLOCATE: KindInfo(17, _W, "lsnim"),
    _K.NIM_REMOVE: KindInfo(18, _W, "lsnim", removes=True),
    _K.HOSTENT_DELETE: KindInfo(19, _W, "hosts", removes=True),
    _K.NIM_MARK: KindInfo(20, _W),  # marks run alone (xclone import), no read-back
}
