"""Which command names each face answers, and the function that runs each.

Each name maps to "module:function" and the module is imported on the command's first run:
`lab serve` starts one process per command (xclone.sim.login), which then imports the one
handler module it runs instead of every xCAT, NIM, HMC and AIX handler.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from xclone.sim.world import Reply, World

Handler = Callable[[World, list[str]], Reply]

_XCAT, _AIX, _FS = "xclone.sim.xcat.", "xclone.sim.aix.", "xclone.sim.fs:"
MN: dict[str, str] = {
    "lsdef": _XCAT + "lsdef:lsdef", "mkdef": _XCAT + "mkdef:mkdef",
    "chdef": _XCAT + "mkdef:chdef", "rmdef": _XCAT + "mkdef:rmdef",
    "rscan": _XCAT + "rscan:rscan", "makehosts": _XCAT + "hosts:makehosts",
    "makeconservercf": _XCAT + "conserver:makeconservercf",
    "rpower": _XCAT + "rbootseq:rpower", "getmacs": _XCAT + "ppc:getmacs",
    "rnetboot": _XCAT + "ppc:rnetboot", "rbootseq": _XCAT + "rbootseq:rbootseq",
    "mknimimage": _XCAT + "aix:mknimimage", "rmnimimage": _XCAT + "aix:rmnimimage",
    "xcat2nim": _XCAT + "nimnode:xcat2nim", "nimnodeset": _XCAT + "nimnodeset:nimnodeset",
    "lsnim": "xclone.sim.nim.lsnim:lsnim", "nim": "xclone.sim.nim.nimsh:nim",
    "mkdir": _FS + "mkdir", "rmdir": _FS + "rmdir", "rm": _FS + "rm", "cat": _FS + "cat",
    "tee": _FS + "tee", "ls": _FS + "ls", "mv": _FS + "mv",
    "tabdump": _XCAT + "tabcmds:tabdump", "chtab": _XCAT + "tabcmds:chtab",
    "nodels": _XCAT + "tabcmds:nodels", "nodech": _XCAT + "tabcmds:nodech",
    "hostent": _AIX + "hostent:hostent", "dpasswd": _AIX + "dpasswd:dpasswd",
    "lsuser": _AIX + "users:lsuser", "chuser": _AIX + "users:chuser", "df": _AIX + "df:df",
    "tail": _XCAT + "consolelog:tail", "nimquery": "xclone.sim.nim.nimsh:nimquery",
    "scp": _AIX + "scp:scp", "stopsrc": _AIX + "src:stopsrc", "startsrc": _AIX + "src:startsrc",
    "cksum": _AIX + "cksum:cksum", "xdcp": _XCAT + "xdcp:xdcp", "xdsh": _XCAT + "xdsh:xdsh",
}
HMC: dict[str, str] = {
    "lssyscfg": "xclone.sim.hmc:lssyscfg", "chsysstate": "xclone.sim.hmc:chsysstate",
    "lpar_netboot": "xclone.sim.netboot:lpar_netboot", "lshwres": "xclone.sim.hmc:lshwres",
    "lshmc": "xclone.sim.hmc:lshmc", "lssysconn": "xclone.sim.hmc:lssysconn",
    "lsrefcode": "xclone.sim.hmc:lsrefcode", "rmvterm": "xclone.sim.hmc:rmvterm",
}


def load(where: str) -> Handler:
    """The function `where` ("module:function") names, its module imported now."""
    module, function = where.split(":")
    found: Handler = getattr(importlib.import_module(module), function)
    return found


def handler_for(kind: str, name: str) -> Handler | None:
    """The handler for a command typed at a face; full paths (/usr/sbin/nim) work too."""
    where = MN.get(name.rsplit("/", 1)[-1]) if kind == "mn" else HMC.get(name)
    return None if where is None else load(where)
