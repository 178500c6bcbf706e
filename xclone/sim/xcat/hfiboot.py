"""rnetboot of a node whose install adapter is HFI (a Power 775 compute node).

xCAT picks lpar_netboot's adapter type from the node's network: `-t hfi-ent` when its
`mgtifname` contains `hf`, else `-t ent` (xCAT 2.9.2 FSPboot.pm line 130, PPCboot.pm line 283).
With `ent`, LparNetbootExp lists Ethernet devices only and skips `hfi-ethernet` ones (lines
562-566): a partition with no other adapter has none to boot ("No network adapters found",
three tries, then "Unable to obtain network adapter information.  Quitting."), one with Ethernet
adapters too has none with the node's MAC ("Can not find mac address"); the other way round
(`hfi-ent` lists HFI devices only) an Ethernet adapter is not found either. Those lines are printed
only with rnetboot's `-V` (LparNetbootExp.pm `nc_msg` with verbose 0 prints nothing); the node's
own line then carries no text, after do_rnetboot's second try (FSPboot.pm lines 150-200).
"""

from __future__ import annotations

from typing import Any

from xclone.sim.world import World
from xclone.sim.xcat.hw import network_of

HFI = "hfi-ent"


def refused(world: World, ip: str, lpar: dict[str, Any], mac: str,
            verbose: bool) -> list[str] | None:
    """The lines rnetboot prints before the node's empty line when it would boot the HFI
    adapter `mac` as Ethernet; None when the boot goes ahead."""
    adapter = next((a for a in lpar["adapters"] if a["mac"] == mac), None)
    net = network_of(world, ip)
    listed = HFI if net is not None and "hf" in (net[1].get("mgtifname") or "") else "ent"
    if adapter is None or (adapter.get("type") == HFI) == (listed == HFI):
        return None
    if not verbose:
        return []
    if any((a.get("type") == HFI) == (listed == HFI) for a in lpar["adapters"]):
        once = [f"Can not find mac address '{mac}'"]
    else:
        once = ["No network adapters found"] * 3 + [
            "Unable to obtain network adapter information.  Quitting."]
    return once * 2  # do_rnetboot tries twice
