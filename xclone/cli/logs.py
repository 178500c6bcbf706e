"""Logging setup: structlog events go to stderr, quiet by default, JSON with `--log-format json`.

Human output (plans, progress, summaries) never goes through the log: only the CLI's renderers
print it. The JSON events carry host, command (masked), action id, duration and exit status.
Every event is redacted (`xclone.base.redact`) before it is rendered, so a secret with quotes or
backslashes is masked before the JSON renderer escapes it.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from xclone.base.log import DEBUG, INFO, WARNING, configure_lazily
from xclone.base.redact import redact_data

if TYPE_CHECKING:
    from structlog.typing import EventDict, WrappedLogger


def _redacted(_logger: WrappedLogger, _method: str, event: EventDict) -> EventDict:
    return dict(redact_data(event))


def configure(fmt: str = "text", verbose: int = 0) -> None:
    """Set the level now and configure structlog when its first kept event comes
    (xclone.base.log): a quiet command never imports it."""
    level = WARNING
    if fmt == "json" or verbose == 1:
        level = INFO
    if verbose >= 2:
        level = DEBUG
    configure_lazily(level, lambda: _configure(fmt, level))


def _configure(fmt: str, level: int) -> None:
    import structlog

    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer() if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            _redacted,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=False,
    )
