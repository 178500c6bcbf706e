"""What things cost on the lab: the lab file's `costs:` settings (docs/lab.md "Costs").

By default a lab keeps the fixed durations of `choices.py` and answers every command at once, so
the seed labs and the golden outputs never move. `costs: realistic` (or a mapping of the settings
below, optionally from `preset: realistic`) turns on what makes large runs honest:

- `latency`: seconds a command takes on a real cluster (command name, or `"*"` for any),
  spent on the lab clock: on a lab running 600x it weighs 1/600 of that in real time.
- `fanout`: xCAT's own limits for hardware commands over a noderange (site `ppcmaxp`,
  `maxssh`, see `fanout.py`), with `fork_interval` between two forks and `rpower_seconds` for
  one LPAR's power command on its HMC.
- `nim`: network installs share the NIM master's bandwidth (see `transfer.py`).
- `mksysb_seconds`, `spot_seconds`: how long a mksysb backup and a SPOT build take.
- `servers`: an install server's own network throughput (Mbit/s) by its name (an xCAT service
  node or another NIM master; the management node by its name too): its installs share that,
  and nimnodeset's copy of an image to a service node goes no faster (xcat/sncopy.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from xclone.sim import choices

ANY = "*"  # the latency of every command the table does not name


@dataclass(frozen=True)
class NimCosts:
    """The NIM master's network, shared by the installs it serves at once."""

    bandwidth_mbit: float = choices.COST_MASTER_MBIT
    mksysb_mb: float = choices.COST_MKSYSB_MB
    restore_seconds: float = choices.INSTALL_SECONDS  # one install alone, at a client's own pace

    @property
    def bandwidth(self) -> float:
        """The master's throughput in MB/s."""
        return self.bandwidth_mbit / 8.0

    @property
    def client_rate(self) -> float:
        """MB/s one client restores at when the master is not the bottleneck."""
        return self.mksysb_mb / self.restore_seconds if self.restore_seconds > 0 else float("inf")


@dataclass(frozen=True)
class Costs:
    latency: dict[str, float] = field(default_factory=dict)
    fanout: bool = False
    fork_interval: float = 0.0
    rpower_seconds: float = 0.0
    nim: NimCosts | None = None
    mksysb_seconds: float = choices.MKSYSB_SECONDS
    spot_seconds: float = choices.SPOT_SECONDS
    servers: dict[str, float] = field(default_factory=dict)  # install server -> Mbit/s

    def bandwidth(self, server: str) -> float:
        """MB/s through install server `server`'s network: its own `servers` entry, else the
        `nim` master bandwidth (its default without `nim`)."""
        default = (self.nim or NimCosts()).bandwidth_mbit
        return self.servers.get(server, default) / 8.0

    def command_seconds(self, name: str) -> float:
        """Real-cluster seconds one call of `name` takes before it answers."""
        return self.latency.get(name, self.latency.get(ANY, 0.0))

    def to_json(self) -> dict[str, Any]:
        return {"latency": dict(self.latency), "fanout": self.fanout,
                "fork_interval": self.fork_interval, "rpower_seconds": self.rpower_seconds,
                "nim": None if self.nim is None else {
                    "bandwidth_mbit": self.nim.bandwidth_mbit, "mksysb_mb": self.nim.mksysb_mb,
                    "restore_seconds": self.nim.restore_seconds},
                "mksysb_seconds": self.mksysb_seconds, "spot_seconds": self.spot_seconds,
                "servers": dict(self.servers)}

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Costs:
        if not data:
            return OFF
        nim = data.get("nim")
        return cls({str(k): float(v) for k, v in data.get("latency", {}).items()},
                   bool(data.get("fanout")), float(data.get("fork_interval", 0.0)),
                   float(data.get("rpower_seconds", 0.0)),
                   None if nim is None else NimCosts(**{k: float(v) for k, v in nim.items()}),
                   float(data.get("mksysb_seconds", choices.MKSYSB_SECONDS)),
                   float(data.get("spot_seconds", choices.SPOT_SECONDS)),
                   {str(k): float(v) for k, v in (data.get("servers") or {}).items()})


OFF = Costs()
REALISTIC = Costs(latency=dict(choices.COST_LATENCY), fanout=True,
                  fork_interval=choices.COST_FORK_INTERVAL,
                  rpower_seconds=choices.COST_RPOWER_SECONDS, nim=NimCosts())
