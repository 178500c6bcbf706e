"""The registry `DRIVERS`: driver name -> the module that holds it, imported on first use.

This is the one module of the core that names xclone.drivers: the planner, the plan document
reader, observation and the executor resolve the name a spec or plan carries here. It lives
beside the drivers rather than in cli because a saved plan file names its driver and `apply
PLANFILE` must resolve it wherever the document is read; importing by name keeps the core free of
static imports of any driver (and start-up free of drivers a command does not use).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from xclone.base.errors import XcloneError

if TYPE_CHECKING:
    from xclone.drivers.protocol import Driver

DEFAULT = "xcat"
DRIVERS: dict[str, str] = {"xcat": "xclone.drivers.xcat", "nim": "xclone.drivers.nim"}


def driver(name: str) -> Driver:
    """The driver called `name`; an XcloneError for an unknown one."""
    if name not in DRIVERS:
        raise XcloneError(f"unknown driver {name!r}: known drivers are "
                          f"{', '.join(sorted(DRIVERS))}")
    found: Driver = importlib.import_module(DRIVERS[name]).DRIVER
    return found
