"""The lab: a simulator of an xCAT management node / NIM master and its HMCs (CONTRACT §8).

One world, persisted in a state directory (SQLite), answers the commands of three faces (xCAT,
NIM, HMC) with the output, exit codes and state changes docs/formats.md documents. Callers use `Lab`
(`xclone.sim.lab`); it imports only `xclone.base`, never the parsers or the planner, so a shared
misunderstanding of a format cannot cancel out.
"""

from xclone.sim.errors import LabError, SimResult
from xclone.sim.faults import Fault
from xclone.sim.lab import Lab

__all__ = ["Fault", "Lab", "LabError", "SimResult"]
