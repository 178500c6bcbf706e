"""Secondary network interfaces of an LPAR (the runbook's "Configuring_Secondary_Adapters").

Keyed by the AIX interface name (`en1`, `en2`, ...: the install adapter is the one getmacs
read, not listed here). The xcat driver plans them as the node's `nics` attributes, which
Schema.pm's nics table keys per interface (`nicips.en1`, `nictypes.en1`, `nicnetworks.en1`),
and adds the `confignics` postscript (drivers/xcat/resources/adapters.py); the nim driver as
the standalone machine's `if2`, `if3`... (drivers/nim/resources/secondary.py).
"""

from __future__ import annotations

import re
from ipaddress import IPv4Address
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema

from xclone.spec.fields import XcatName

NIC_PATTERN = r"^[a-z]{2,4}[0-9]{1,3}$"


def _nic_name(value: str) -> str:
    if not re.match(NIC_PATTERN, value):
        raise ValueError(f"interface name {value!r} is not an adapter name such as en1")
    return value


NicName = Annotated[
    str,
    AfterValidator(_nic_name),
    WithJsonSchema({"type": "string", "pattern": NIC_PATTERN}),
]


class Interface(BaseModel):
    """One further interface: the spec network it is on and its address there."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    network: XcatName = Field(description="Network (under networks) the interface is on.")
    ip: IPv4Address = Field(description="Its IPv4 address, inside that network.")


Interfaces = dict[NicName, Interface]
INTERFACES_HELP = ("Further network interfaces by adapter name (en1, ...): network and ip. "
                   "driver: xcat (nics attributes and the confignics postscript); driver: nim "
                   "(the machine's if2, if3... with host names <lpar>-<nic>).")
