"""Logging setup: structlog events go to stderr, quiet by default, JSON with `--log-format json`.

Human output (plans, progress, summaries) never goes through the log: only the CLI's renderers
print it. The JSON events carry host, command (masked), action id, duration and exit status.
Every event is redacted (`xclone.base.redact`) before it is rendered, so a secret with quotes or
backslashes is masked before the JSON renderer escapes it.
"""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING

from xclone.base.redact import redact_data

if TYPE_CHECKING:
    from structlog.typing import EventDict, WrappedLogger


def import_structlog() -> None:
    """Import structlog before a command's modules do, without its terminal parts when stderr
    is not a terminal: structlog.dev imports rich (for coloured tracebacks) whenever rich is
    installed, which costs a `plan` into a pipe more CPU than planning the seed spec. Hiding
    rich for that one import makes structlog fall back to plain tracebacks, which is what a
    log file or a CI job gets anyway; rich itself stays importable for whoever needs it."""
    if "structlog" in sys.modules or "rich" in sys.modules or sys.stderr.isatty():
        import structlog  # noqa: F401
        return
    sys.modules["rich"] = None  # type: ignore[assignment]  # `import rich` raises ImportError
    try:
        import structlog  # noqa: F401
    finally:
        del sys.modules["rich"]


def _redacted(_logger: WrappedLogger, _method: str, event: EventDict) -> EventDict:
    return dict(redact_data(event))


def configure(fmt: str = "text", verbose: int = 0) -> None:
    import_structlog()
    import structlog

    level = logging.WARNING
    if fmt == "json" or verbose == 1:
        level = logging.INFO
    if verbose >= 2:
        level = logging.DEBUG
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
