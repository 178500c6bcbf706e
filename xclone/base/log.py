"""Loggers that cost nothing until an event is kept: structlog is imported on the first event at
or above the configured level, never at start-up.

Importing structlog costs a short command about as much CPU as the interpreter's own start
(it pulls in asyncio, and rich's tracebacks when rich is installed), while a quiet `xclone plan`
keeps no event at all: the CLI logs at WARNING unless `-v` asks for more. So every module takes
its logger from `get_logger`, the CLI hands its level and its structlog set-up to
`configure_lazily`, and the set-up runs only when structlog is first needed. Before any
`configure_lazily` (a library caller, a test) every event goes to structlog, as it would
without this module.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

# The stdlib `logging` levels, as numbers: importing `logging` here would cost every process.
NOTSET, DEBUG, INFO, WARNING, ERROR, CRITICAL = 0, 10, 20, 30, 40, 50
_LEVELS = {"debug": DEBUG, "info": INFO, "msg": INFO, "warning": WARNING, "warn": WARNING,
           "error": ERROR, "exception": ERROR, "critical": CRITICAL, "fatal": CRITICAL}

_threshold = NOTSET
_pending: Callable[[], None] | None = None


def import_structlog() -> None:
    """Import structlog without its terminal parts when stderr is not a terminal: structlog.dev
    imports rich (for coloured tracebacks) whenever rich is installed, which costs a `plan` into
    a pipe more CPU than planning the seed spec. Hiding rich for that one import makes structlog
    fall back to plain tracebacks, which is what a log file or a CI job gets anyway; rich itself
    stays importable for whoever needs it."""
    if "structlog" in sys.modules or "rich" in sys.modules or sys.stderr.isatty():
        import structlog  # noqa: F401
        return
    sys.modules["rich"] = None  # type: ignore[assignment]  # `import rich` raises ImportError
    try:
        import structlog  # noqa: F401
    finally:
        del sys.modules["rich"]


def configure_lazily(level: int, setup: Callable[[], None]) -> None:
    """Drop events below `level` without importing structlog, and run `setup` (the structlog
    configuration) now if structlog is already loaded, else just before its first event."""
    global _threshold, _pending
    _threshold = level
    if "structlog" in sys.modules:
        _pending = None
        setup()
    else:
        _pending = setup


def reset() -> None:
    """Forget the level and any pending set-up (tests reset structlog's defaults too)."""
    global _threshold, _pending
    _threshold, _pending = NOTSET, None


def _structlog_logger(name: str, context: dict[str, Any]) -> Any:
    global _pending
    import_structlog()
    setup, _pending = _pending, None
    if setup is not None:
        setup()
    import structlog

    logger = structlog.get_logger(name)
    return logger.bind(**context) if context else logger


def _drop(*_args: Any, **_kwargs: Any) -> None:
    return None


class LazyLogger:
    """A structlog logger by name, with context bound as structlog's `bind` does; an event below
    the configured level is dropped before structlog is imported."""

    def __init__(self, name: str, context: dict[str, Any] | None = None) -> None:
        self._name = name
        self._context = context or {}

    def bind(self, **context: Any) -> LazyLogger:
        return LazyLogger(self._name, {**self._context, **context})

    def __getattr__(self, method: str) -> Any:
        level = _LEVELS.get(method)
        if level is not None and level < _threshold:
            return _drop
        return getattr(_structlog_logger(self._name, self._context), method)


def get_logger(name: str) -> LazyLogger:
    """The logger for `name`; structlog itself is imported on its first kept event."""
    return LazyLogger(name)
