"""Secondary adapters of a NIM client (the runbook's "Configuring_Secondary_Adapters").

NIM describes each further interface of a standalone machine as `if<N>='NET HOST MAC'` with
`cable_type<N>`, N from 2 (IBM AIX "Defining NIM clients" and "Adding another network type to a
NIM client": the third field is the adapter's hardware address, 0 when it is unknown, which is
what xclone writes since the spec names the interface, not its adapter). The spec's interfaces,
sorted by name, take if2, if3, ...; each gets its own host name `<lpar>-<nic>` (NIM resolves
the host field on the master, so each needs an /etc/hosts line, `hostent -a IP -h NAME`). A
new machine gets them in its define; an existing one a `nim -o change`; a machine's `if<N>`
the spec no longer gives is set to nothing, which NIM takes as its removal.
"""

from __future__ import annotations

from xclone.drivers.nim.resources.reach import indexed
from xclone.observed.model import NimObject
from xclone.plan.changes import AttrDiff
from xclone.spec.model import Lpar


def host_name(lpar: str, nic: str) -> str:
    return f"{lpar}-{nic}"


def wanted(lpar: Lpar, nets: dict[str, str]) -> dict[int, str]:
    """Sequence number -> `NET HOST 0` for each interface whose network NIM has or gets."""
    found: dict[int, str] = {}
    for seq, (nic, iface) in enumerate(sorted(lpar.interfaces.items()), start=2):
        net = nets.get(iface.network)
        if net is not None:
            found[seq] = f"{net} {host_name(lpar.name, nic)} 0"
    return found


def attrs(ifs: dict[int, str]) -> tuple[tuple[str, str], ...]:
    """The define's or change's `-a` pairs: each interface with its cable type."""
    return tuple(pair for seq, value in sorted(ifs.items())
                 for pair in ((f"if{seq}", value), (f"cable_type{seq}", "N/A")))


def differences(machine: NimObject, ifs: dict[int, str]) -> tuple[
        tuple[AttrDiff, ...], tuple[tuple[str, str], ...]]:
    """What an existing machine's secondary interfaces lack or have too many: the diffs and the
    `nim -o change` pairs (an empty value removes the attribute)."""
    have = {seq: value for seq, value in indexed(machine, "if").items() if seq >= 2}
    diffs: list[AttrDiff] = []
    pairs: list[tuple[str, str]] = []
    for seq in sorted(set(have) | set(ifs)):
        old, new = have.get(seq), ifs.get(seq)
        if old is not None and new is not None and old.lower().split()[:3] == new.split():
            continue
        diffs.append(AttrDiff(f"if{seq}", old, new))
        pairs += [(f"if{seq}", new or ""), (f"cable_type{seq}", "N/A" if new else "")]
    return tuple(diffs), tuple(pairs)


def observed_hosts(machine: NimObject) -> tuple[str, ...]:
    """The host names of a machine's secondary interfaces as NIM shows them."""
    return tuple(value.split()[1] for seq, value in sorted(indexed(machine, "if").items())
                 if seq >= 2 and len(value.split()) > 1)
