"""Injected faults: which command on which host misbehaves, and how.

A fault matches by face (a host name or any of its hostnames, or every host), command name and
an optional regular expression searched in the command's arguments (joined with spaces). An
`install: error` fault names an LPAR instead: its network installation ends in `Error`; a
`refcode: CODE` fault with an LPAR stalls its next network boot on that reference code. A
`drop: true` fault lets the command run and then loses its answer, as a dropped SSH connection
does (over `lab serve` the session really is cut); a `refuse: true` fault runs nothing, the host
refusing the connection as an unreachable one does (a transport may send it again). A `host:
NAME, down: true` fault makes that host answer nothing: SSH to it times out, and the
management node's xcatd cannot dispatch to it (a service node that is down, xcat/dispatch.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from xclone.sim import choices

HMC_COMMANDS = ("lssyscfg", "chsysstate", "lpar_netboot", "lshwres", "lshmc", "lssysconn",
                "lsrefcode", "rmvterm")
XCAT_COMMANDS = (
    "lsdef", "mkdef", "chdef", "rmdef", "rscan", "makehosts", "makeconservercf", "rpower",
    "getmacs", "mknimimage", "rmnimimage", "xcat2nim", "nimnodeset", "rnetboot",
    "rbootseq", "xdcp", "xdsh",
)
NIM_COMMANDS = ("lsnim", "nim", "nimquery")
FS_COMMANDS = ("mkdir", "rmdir", "rm", "cat", "tee", "ls", "mv", "tail")
AIX_COMMANDS = ("hostent", "dpasswd", "scp", "stopsrc", "startsrc", "lsuser", "chuser", "df",
                "cksum")
MN_COMMANDS = XCAT_COMMANDS + NIM_COMMANDS + FS_COMMANDS + AIX_COMMANDS
ALL_COMMANDS = frozenset(MN_COMMANDS + HMC_COMMANDS)


@dataclass(frozen=True)
class Fault:
    """One injected misbehaviour; `times=None` with no probability means every call."""

    command: str | None = None
    host: str | None = None
    args: str | None = None
    times: int | None = None
    probability: float | None = None
    latency: float = 0.0
    hang: float = 0.0
    stdout: str | None = None
    stderr: str | None = None
    exit_status: int | None = None
    lpar: str | None = None
    install: str | None = None
    refcode: str | None = None  # with `lpar`: its reference code stays here (a stalled boot)
    drop: bool = False  # the command runs, then the connection drops before its answer
    down: bool = False  # with `host`: the host answers nothing (SSH and xcatd time out)
    refuse: bool = False  # the host refuses the connection: the command never runs

    @property
    def counted(self) -> bool:
        """Whether the fault strikes a limited number of times (`times`, `probability`)."""
        return self.fails or self.drop

    @property
    def fails(self) -> bool:
        """Whether the fault replaces the command's answer (rather than only delaying it)."""
        if self.install is not None or self.refcode is not None or self.down:
            return False
        delays = self.latency > 0 or self.hang > 0 or self.drop
        explicit = (self.times, self.probability, self.stdout, self.stderr, self.exit_status)
        return not delays or any(v is not None for v in explicit)

    def matches(self, face: str, command: str, args: list[str]) -> bool:
        if self.command != command or (self.host is not None and self.host != face):
            return False
        return self.args is None or re.search(self.args, " ".join(args)) is not None

    def answer(self) -> tuple[str, str, int]:
        """The failure's stdout, stderr and exit status, defaulting to the tool's style."""
        cmd = self.command or ""
        if cmd in HMC_COMMANDS:
            default_err, status = choices.FAULT_DEFAULT_HMC.format(cmd=cmd), 1
        elif cmd in NIM_COMMANDS:
            default_err, status = choices.FAULT_DEFAULT_NIM, 1
        elif cmd in AIX_COMMANDS:
            default_err, status = choices.FAULT_DEFAULT_FS.format(cmd=cmd), 1
        elif cmd in FS_COMMANDS:
            default_err, status = choices.FAULT_DEFAULT_FS.format(cmd=cmd), choices.FS_STATUS
        else:
            default_err, status = choices.FAULT_DEFAULT_XCAT.format(cmd=cmd), 1
        if cmd == "lpar_netboot" and self.stderr is None and self.stdout is None:
            status = 1 if self.exit_status is None else self.exit_status
            return choices.FAULT_DEFAULT_NETBOOT, "", status
        stderr = default_err + "\n" if self.stderr is None and self.stdout is None else ""
        if self.stderr is not None:
            stderr = self.stderr
        stdout = self.stdout or ""
        return stdout, stderr, status if self.exit_status is None else self.exit_status

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None and v is not False}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Fault:
        return cls(**data)
