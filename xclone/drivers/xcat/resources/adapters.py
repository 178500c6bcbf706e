"""The install adapter's kind decides how xCAT reads its MAC: `getmacs -D` or plain `getmacs`.

`getmacs -D` is the ping test: xCAT powers the LPAR to Open Firmware, lists its adapters, pings
the install server through each and writes the MAC of the first adapter that answered (else of
the first one) to the mac table (xCAT 2.9.2 PPCmac.pm `writemac`; man getmacs(1): "If ping test
performed, getmacs will write the first successfully pinged MAC"). It is what an Ethernet
install adapter needs, a service node's or a Power 775 LPAR's Ethernet included: an HMC (or an
FSP for physically assigned Ethernet) has no command that lists those MACs (getmacs(1), "must
be used", "cannot read the MAC addresses unless perform ping test").

A Power 775 compute node installs over its HFI adapter (`hfi-ent`). The P775 is managed by xCAT
directly through its service processors (DFM: `mgt=fsp`, `cons=fsp`, `hcp` the CEC), and plain
`getmacs` reads the HFI MAC there without a reboot (FSPmac.pm `getmacs`, `lpar_hfi_mac`;
getmacs(1) example 6), so the plan uses it and powers nothing off.

Secondary interfaces (the runbook's "Configuring_Secondary_Adapters") are the node's `nics`
attributes, one sub-attribute per interface as Schema.pm's nics table documents them
(`nicips.en1=IP`, `nictypes.en1=Ethernet`, `nicnetworks.en1=NETWORK`), and the `confignics`
postscript, which configures each listed interface on the node after the install.
"""

from __future__ import annotations

from collections.abc import Mapping

from xclone.plan.changes import AttrDiff
from xclone.spec.model import Lpar, Network


def node_attrs(lpar: Lpar) -> dict[str, str]:
    """An HFI node is a DFM node of its CEC, as xCAT's rscan of a P775 frame defines it."""
    if lpar.install_adapter == "hfi":
        return {"mgt": "fsp", "cons": "fsp", "hcp": lpar.cec}
    return {}


def getmacs_words(lpar: Lpar) -> tuple[str, ...]:
    """`-D` (the ping test, a power cycle) for Ethernet, nothing for an HFI adapter."""
    return () if lpar.install_adapter == "hfi" else ("-D",)


def powers_off(lpar: Lpar) -> bool:
    """Whether reading the MAC powers the LPAR off: only the ping test does."""
    return lpar.install_adapter != "hfi"


def reason(lpar: Lpar) -> str:
    if lpar.install_adapter == "hfi":
        return "read the HFI adapter's MAC from the service processor"
    return "discover the MAC through Open Firmware"


CONFIGNICS = "confignics"
NIC_ATTRS = ("nicips.", "nictypes.", "nicnetworks.")


def nic_attrs(lpar: Lpar) -> dict[str, str]:
    """The nics sub-attributes of every secondary interface the spec gives."""
    attrs: dict[str, str] = {}
    for nic, iface in sorted(lpar.interfaces.items()):
        attrs[f"nicips.{nic}"] = str(iface.ip)
        attrs[f"nictypes.{nic}"] = "Ethernet"
        attrs[f"nicnetworks.{nic}"] = iface.network
    return attrs


def postscripts(lpar: Lpar) -> str:
    """The node's own postscripts, with confignics last when it has secondary interfaces."""
    scripts = list(lpar.postscripts)
    if lpar.interfaces and CONFIGNICS not in scripts:
        scripts.append(CONFIGNICS)
    return ",".join(scripts)


def dropped(have: Mapping[str, str], want: Mapping[str, str]) -> dict[str, str]:
    """The nics sub-attributes of interfaces the spec no longer gives, set to nothing: chdef
    removes an attribute set to an empty value."""
    return {attr: "" for attr, value in have.items()
            if attr.startswith(NIC_ATTRS) and value and attr not in want}


def confignics_note(lpar: Lpar, diffs: tuple[AttrDiff, ...],
                    networks: Mapping[str, Network]) -> str | None:
    """What an installed node whose secondary interfaces changed still needs, or None.

    The runbook applies nics changes to a running node with `updatenode NODE confignics`, but
    xCAT 2.9.2's confignics exits 0 at once on AIX, printing `confignics: aix does not support
    in this build` (xCAT/postscripts/confignics lines 138-141): planned, it would report
    success for a change it never makes, so xclone does not plan it and says what does (what
    configeth runs on AIX: `chdev -l NIC -a netaddr=IP -a netmask=MASK`, lines 343-359)."""
    nics = sorted({d.name.split(".", 1)[1] for d in diffs if d.name.startswith(NIC_ATTRS)})
    if not nics:
        return None
    steps = []
    for nic in nics:
        iface = lpar.interfaces.get(nic)
        if iface is None:
            steps.append(f"`chdev -l {nic} -a state=detach`")
        else:
            mask = networks[iface.network].mask
            steps.append(f"`chdev -l {nic} -a netaddr={iface.ip} -a netmask={mask}`")
    return (f"xCAT records the new {', '.join(nics)} settings of {lpar.name}, but nothing "
            f"applies them to the running node: `updatenode {lpar.name} confignics` would, yet "
            "xCAT 2.9.2's confignics exits at once on AIX ('aix does not support in this "
            f"build'), so it is not planned; on {lpar.name} run {' and '.join(steps)}, or "
            f"reinstall it (--replace lpar.{lpar.name})")
