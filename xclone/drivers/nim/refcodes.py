"""The HMC reference codes an install can stall on: what each means and what to do about it.

Partition firmware shows `CAxxxxxx` progress codes while it boots, and a partition can hang on one
without any error reference code: only such a hang calls for action (IBM, "(CAxx) Partition
firmware progress codes"). AIX then shows its own codes while the network-booted install runs
(AIX "Progress codes"; NIM's "Debugging a network boot problem" gives the causes). A code in this
table that stays on an LPAR's display fails its install early, before the install timeout,
with the code, its meaning and the remedy. A normal boot passes through these codes too, so a
code counts as stalled only once it has stayed for `hold` seconds (the watched clock) across
two polls. Codes and meanings: docs/formats.md "HMC" (reference codes during a network boot,
where which rows are IBM's and which are inferred is said).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StallCode:
    code: str
    meaning: str
    remedy: str
    hold: float  # seconds it must stay before it is a stall, not a step of a normal boot


# The runbook's remedy for boots the boot services fail (bootpd and tftpd run under inetd, the
# SPOT is mounted over NFS): restart them on the NIM master.
BOOT_SERVICES = ("the runbook's remedy: restart the boot services on the NIM master with "
                 "`stopsrc -s inetd; startsrc -s inetd`, `stopsrc -t tftp; startsrc -t tftp` and "
                 "`stopsrc -g nfs; startsrc -g nfs`, or apply again with `--remediate "
                 "boot-services` to have xclone do it and boot the LPAR once more")
# The same place in a failure after `--remediate boot-services` restarted them and booted the
# LPAR again (apply/remedies.py asks the remedy to retell the second wait's failure).
RESTARTED = ("the boot services on the NIM master were restarted (inetd, tftp, nfs) and the "
             "LPAR booted again without help, so look at the master's network and NIM setup")
_ADDRESSES = ("check that `nim -o bos_inst` armed the machine (Cstate 'BOS installation has "
              "been enabled'), the -S/-G/-C/-K addresses given to lpar_netboot, and the route "
              "and VLAN between the LPAR and the NIM master")

STALLS: dict[str, StallCode] = {s.code: s for s in (
    StallCode("CA00E174", "partition firmware is establishing the host connection to the boot "
              "server", f"the network adapter gets no link or no route: {_ADDRESSES}", 120.0),
    StallCode("CA00E175", "partition firmware sent a BOOTP request and no boot server answers",
              f"no NIM master answers for this client: {_ADDRESSES}; on the master check "
              f"/etc/bootptab holds the client and bootpd runs (inetd); {BOOT_SERVICES}",
              120.0),
    StallCode("CA00E177", "partition firmware failed the TFTP transfer of the boot image",
              "on the NIM master check tftpd runs and /tftpboot holds a readable boot image "
              f"for the client (the SPOT's network boot image); {BOOT_SERVICES}", 60.0),
    StallCode("0608", "AIX is fetching the client's .info file from the boot server by TFTP",
              "on the NIM master check /tftpboot/<client>.info exists and tftpd can read it "
              f"(`nim -Fo reset` then `bos_inst` again recreates it); {BOOT_SERVICES}", 300.0),
    StallCode("0611", "AIX could not mount a NIM resource (the SPOT or the mksysb) over NFS",
              "on the NIM master check /etc/exports and `exportfs` list the SPOT and mksysb "
              f"for the client, and that the client's name resolves on the master; "
              f"{BOOT_SERVICES}", 60.0),
    StallCode("0623", "the BOS installation hit a fatal error",
              "read the machine's err_info and info (`lsnim -l NAME`) and the install log "
              "(`nim -o showlog NAME`), fix the cause, then reinstall", 0.0),
    StallCode("0C48", "the BOS installation is waiting for input at the console",
              "the install is prompting: use a bosinst_data resource with PROMPT = no, a "
              "CONSOLE and every control_flow value set (RECOVER_DEVICES = no for a clone), "
              "or answer on the console (mkvterm)", 60.0),
)}


# Codes of a partition booting from the network or installing from NIM: firmware past its start
# on the way to a boot server (`CA00E17x`: host connection, BOOTP, TFTP), or an AIX progress
# code (four characters; `0000xxxx` as some panels show it). Firmware's own `CA000000` comes
# with any power-on, also one that stays idle in Open Firmware, so it shows no network boot.
NETBOOT_FIRMWARE = "CA00E17"
ON_STATES = frozenset({"Starting", "Open Firmware", "Running"})


def _shown(code: str) -> str:
    shown = code.strip().upper()
    return shown[4:] if len(shown) == 8 and shown.startswith("0000") else shown


def boot_code(code: str) -> bool:
    """Whether `code` shows a network boot or an AIX install under way (see NETBOOT_FIRMWARE);
    `00000000` (off) and a blank code (a running AIX) do not."""
    shown = _shown(code)
    return shown.startswith(NETBOOT_FIRMWARE) or (
        len(shown) == 4 and shown.isalnum() and shown != "0000")


def booting(state: str, code: str | None) -> bool:
    """A partition that is on (Starting, Open Firmware, Running) and shows a boot code: an
    `lpar_netboot` started it and firmware or AIX carries on without the command (HMC
    "lpar_netboot": it exits once the network boot proceeds). None: no code was read."""
    return code is not None and state in ON_STATES and boot_code(code)


def stall(code: str) -> StallCode | None:
    """The stall entry of a reference code: case-insensitive (panels show 0c48 or 0C48), and an
    AIX code zero-padded to eight characters (`00000C48`: inferred) is its last four."""
    return STALLS.get(_shown(code))
