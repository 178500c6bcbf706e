"""getmacs' adapter tables and the MAC it keeps: the ping test's rows (`getmacs -D`) and the
service processor's table of a DFM node (`mgt=fsp`, plain `getmacs`, a Power 775's HFI adapters).

Facts (xCAT 2.9.2 perl-xCAT/xCAT/PPCmac.pm and FSPmac.pm): with `-D` each adapter line is
`type location mac path ping device-type` and `writemac` keeps the MAC of the first `ent`/
`hfi-ent` line whose ping field is `successful`, else of the first such line. Without `-D` a DFM
node's MACs come from the FSP (`lpar_veth_mac`, `lpar_lhea_mac`, `lpar_hfi_mac`) as the
lshwres-style table `#Type  Phys_Port_Loc  MAC_Address  ...`; on AIX `format_mac` leaves the MAC
as it is and ends it with a newline, so each row breaks after the MAC; the first row's MAC is
written. No row at all: `get NO mac address from PHYP for NODE` (FSPmac.pm line 424).
"""

from __future__ import annotations

from typing import Any

from xclone.sim.world import Out

HEADER = ("#Type  Phys_Port_Loc  MAC_Address  Adapter  Port_Group  Phys_Port  Logical_Port"
          "  VLan  VSwitch  Curr_Conn_Speed")


def _pings(adapter: dict[str, Any]) -> bool:
    return adapter.get("ping", True) is not False


def ping_rows(lpar: dict[str, Any]) -> list[str]:
    """The adapter lines of a ping test, one per adapter, in Open Firmware's order."""
    return [f"{a['type']} {a['location']} {a['mac']} {a['path']} "
            f"{'successful' if _pings(a) else 'unsuccessful'} {a['kind']}"
            for a in lpar["adapters"]]


def pinged_mac(lpar: dict[str, Any]) -> str | None:
    """writemac after a ping test: the first adapter that answered, else the first adapter."""
    found = lpar["adapters"]
    if not found:
        return None
    return str(next((a for a in found if _pings(a)), found[0])["mac"])


def fsp_table(node: str, lpar: dict[str, Any], out: Out) -> str | None:
    """Plain getmacs of a DFM node: prints the FSP's table and returns the MAC it writes."""
    adapters = lpar["adapters"]
    # FSPmac.pm asks for virtual Ethernet first, then HEA, then HFI (line 255)
    rows = [f"virtualio  N/A  {a['mac']}\n  N/A  N/A  N/A  1  ETHERNET0  N/A"
            for a in adapters if a["kind"] == "virtual" and a["type"] == "ent"]
    rows += [f"HFI  N/A  {a['mac']}\n  N/A  N/A  N/A  N/A  N/A  N/A  N/A"
             for a in adapters if a["type"] == "hfi-ent"]
    if not rows:
        out.out(f"{node}: get NO mac address from PHYP for {node}").fail()
        return None
    out.out(f"{node}: \n{HEADER}\n" + "\n".join(rows))
    return rows[0].split()[2]
