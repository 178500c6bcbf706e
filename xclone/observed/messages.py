"""Moved to `xclone.observed.parsers.messages`: this name stays only until apply/checks.py's
import of it is committed, then goes."""

from xclone.observed.parsers.messages import errors_in as errors_in
