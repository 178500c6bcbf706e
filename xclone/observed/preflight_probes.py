"""The preflight's read-only commands on the management node (NIM master), shared by both
drivers: root's limits (`lsuser -a fsize root`) and every file system's free space (`df -k`,
the whole table: the resource directory may not exist yet, and its file system is the one
mounted on its longest prefix). Two commands, whatever the size of the cluster; sent only when
the plan runs its preflight (not with --skip-preflight, not for destroy)."""

from __future__ import annotations

from xclone.base.command import C_LOCALE, Command
from xclone.observed.model import Facts
from xclone.observed.parsers import aix
from xclone.observed.probes import AnyProbe, Probe


def preflight_probes(host: str, timeout: float | None = None) -> tuple[AnyProbe, ...]:
    return (
        Probe(host, "mn", Command.of("lsuser", "-a", "fsize", "root", env=C_LOCALE),
              aix.parse_lsuser, Facts.add_limits, timeout=timeout),
        Probe(host, "mn", Command.of("df", "-k", env=C_LOCALE), aix.parse_df,
              Facts.add_filesystems, timeout=timeout),
    )
