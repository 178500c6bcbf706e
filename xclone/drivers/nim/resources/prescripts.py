"""Prescripts under the NIM driver: the master runs an LPAR's begin scripts before its
`bos_inst` and its end scripts after it, as xCAT does around `nimnodeset`.

xCAT 2.9.2 (xCAT-server/lib/xcat/plugins/prescripts.pm, runbeginpre/runendpre, called by
aixinstall.pm's nimnodeset) runs each script named in the node's prescripts table column for the
action on the management node as `NODES=<node,node> ACTION=<action> <installdir>/prescripts/NAME`
and reports its output with its return code. NIM installs a standalone machine, so the
`standalone` list is the one that runs; the scripts live in `prescripts` beside `scripts_dir`
(`/export/nim/prescripts` by default, as xCAT keeps them in `/install/prescripts` beside
`/install/postscripts`). Each LPAR runs its own scripts (NODES is its name, and NIM names one
object per command, so the LPAR's name also ends the command): a failing script fails only its
LPAR's branch, where xCAT would fail every node of the request.
"""

from __future__ import annotations

import posixpath

from xclone.plan.action import MN_ENV
from xclone.spec.model import Lpar, Spec

ACTION = "standalone"  # the only kind of install the NIM driver makes (nim -t standalone)


def prescripts_dir(spec: Spec) -> str:
    """The master's prescript directory: `prescripts` beside `scripts_dir`."""
    return posixpath.join(posixpath.dirname(spec.management_node.scripts_dir), "prescripts")


def prescripts(lpar: Lpar, when: str) -> tuple[str, ...]:
    """The LPAR's standalone begin (`when` "begin") or end scripts, in the spec's order."""
    table = lpar.prescripts_begin if when == "begin" else lpar.prescripts_end
    return tuple(dict.fromkeys(table.get(ACTION, ())))


def env(lpar: Lpar) -> tuple[tuple[str, str], ...]:
    """The environment xCAT gives a prescript, after the master's own (LC_ALL=C)."""
    return (*MN_ENV, ("NODES", lpar.name), ("ACTION", ACTION))
