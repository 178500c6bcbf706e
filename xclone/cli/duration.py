"""`--lock-wait DURATION`: how long apply, destroy and import wait for a lock held by another run.

Its own small module, free of heavy imports, because `import` (cli/importing.py) declares it
too and its module must stay cheap to load for `--help`.
"""

from __future__ import annotations

from typing import Any

import click


class Duration(click.ParamType[float, Any]):
    """`30s`, `5m`, `1h` or plain seconds, as Terraform's `-lock-timeout` takes them."""

    name = "duration"
    _UNITS = {"s": 1, "m": 60, "h": 3600}

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> float:
        if isinstance(value, (int, float)):
            return float(value)
        text = str(value).strip().lower()
        factor = self._UNITS.get(text[-1:], 0) if text else 0
        number = text[:-1] if factor else text
        try:
            seconds = float(number) * (factor or 1)
        except ValueError:
            seconds = -1.0
        if seconds < 0:
            self.fail(f"{value!r} is not a duration such as 30s, 5m or 1h", param, ctx)
        return seconds


LOCK_WAIT = click.option("--lock-wait", type=Duration(), default="0s", show_default=True,
                         metavar="DURATION",
                         help="Wait this long (30s, 5m, 1h) for a lock another run holds.")
