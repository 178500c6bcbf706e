"""Flex POWER blades: the network boot is `rbootseq NODES net` then `rpower NODES reset`.

The runbook boots a Flex blade through its service processor, not through an HMC's console:
xCAT's rscan of a CMM defines a POWER blade with `mgt=fsp`, `cons=fsp` (xCAT 2.9.2 blade.pm,
`rscan` table updates for `ppcblade`), and `rbootseq` for `mgt=fsp` sets the node's network
adapter, found by the MAC in xCAT's mac table, as its first boot device (FSPbootseq.pm
`rbootseq`; man rbootseq(1), "PPC (using Direct FSP Management) specific"). The reset that
follows boots it from the network. `rpower reset` needs a running partition, so a blade that is
off is powered `on` instead (the same boot list applies).
"""

from __future__ import annotations

from xclone.drivers.xcat.kinds import ActionKind
from xclone.spec.model import Lpar

OFF = "Not Activated"


def node_attrs(lpar: Lpar) -> dict[str, str]:
    """What a blade's xCAT node holds instead of an HMC LPAR's: DFM through its CEC."""
    return {"mgt": "fsp", "cons": "fsp", "hcp": lpar.cec}


def power_words(state: str) -> tuple[str, ...]:
    """`reset` for a running blade (the runbook's command), `on` for one that is off."""
    return ("on",) if state == OFF else ("reset",)


BOOT_KINDS = (ActionKind.RBOOTSEQ, ActionKind.RPOWER_BOOT)
