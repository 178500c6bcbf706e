"""The limits of a polled wait (STYLE: lessons): a total time and a no-progress time.

The driver polls its own state (drivers/xcat/waits.py: xCAT status and NIM Cstate); the executor
builds the limits from the wait action, so a saved plan waits with its own. On the lab the limits
are lab time: `WaitLimits.scale` is how much faster its clock runs.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from xclone.base.command import Command
from xclone.base.errors import TransportError
from xclone.base.remote import NotSent, OutcomeUnknown, Result

Run = Callable[[Command], Result]
# A read-only poll on another host than the wait action's own (an HMC's reference codes while the
# action waits on the NIM master): host, command.
RunOn = Callable[[str, Command], Result]
Progress = Callable[[str, str], None]

@dataclass(frozen=True)
class WaitLimits:
    timeout: float
    stall: float
    first_interval: float = 2.0
    max_interval: float = 30.0
    scale: float = 1.0  # the watched clock's seconds per real second (the lab's: faster)

    def elapsed(self, since: float) -> float:
        """Seconds on the watched clock since the real monotonic time `since`."""
        return (time.monotonic() - since) * self.scale

    @property
    def poll_ceiling(self) -> float:
        """The longest real pause between polls: short enough to see progress four times within
        the no-progress limit, and never above `max_interval`."""
        return min(self.max_interval, max(self.stall / self.scale / 4, 0.01))

    def lost_poll(self, exc: TransportError, since: float) -> None:
        """Re-raise a poll's transport failure unless polling again may answer: the command was
        never sent or its answer was lost (a read-only poll is safe to repeat), and the total
        limit has not passed since `since`."""
        if not isinstance(exc, (NotSent, OutcomeUnknown)) or self.elapsed(since) > self.timeout:
            raise exc
