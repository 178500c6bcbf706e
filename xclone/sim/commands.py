"""Which command names each face answers, and the function that runs each."""

from __future__ import annotations

from collections.abc import Callable

from xclone.sim import fs, hmc, netboot
from xclone.sim.aix.cksum import cksum
from xclone.sim.aix.df import df
from xclone.sim.aix.dpasswd import dpasswd
from xclone.sim.aix.hostent import hostent
from xclone.sim.aix.scp import scp
from xclone.sim.aix.src import startsrc, stopsrc
from xclone.sim.aix.users import chuser, lsuser
from xclone.sim.nim import nimsh
from xclone.sim.nim.lsnim import lsnim
from xclone.sim.world import Reply, World
from xclone.sim.xcat import (
    aix,
    conserver,
    consolelog,
    hosts,
    lsdef,
    mkdef,
    nimnode,
    nimnodeset,
    ppc,
    rbootseq,
    rscan,
    tabcmds,
    xdcp,
    xdsh,
)

Handler = Callable[[World, list[str]], Reply]

MN: dict[str, Handler] = {
    "lsdef": lsdef.lsdef, "mkdef": mkdef.mkdef, "chdef": mkdef.chdef, "rmdef": mkdef.rmdef,
    "rscan": rscan.rscan, "makehosts": hosts.makehosts,
    "makeconservercf": conserver.makeconservercf, "rpower": rbootseq.rpower, "getmacs": ppc.getmacs,
    "rnetboot": ppc.rnetboot, "rbootseq": rbootseq.rbootseq, "mknimimage": aix.mknimimage,
    "rmnimimage": aix.rmnimimage,
    "xcat2nim": nimnode.xcat2nim, "nimnodeset": nimnodeset.nimnodeset, "lsnim": lsnim,
    "nim": nimsh.nim,
    "mkdir": fs.mkdir, "rmdir": fs.rmdir, "rm": fs.rm, "cat": fs.cat, "tee": fs.tee, "ls": fs.ls,
    "mv": fs.mv, "tabdump": tabcmds.tabdump, "chtab": tabcmds.chtab, "nodels": tabcmds.nodels,
    "nodech": tabcmds.nodech, "hostent": hostent, "dpasswd": dpasswd,
    "lsuser": lsuser, "chuser": chuser, "df": df,
    "tail": consolelog.tail, "nimquery": nimsh.nimquery, "scp": scp, "stopsrc": stopsrc,
    "startsrc": startsrc, "cksum": cksum, "xdcp": xdcp.xdcp, "xdsh": xdsh.xdsh,
}
HMC: dict[str, Handler] = {
    "lssyscfg": hmc.lssyscfg, "chsysstate": hmc.chsysstate, "lpar_netboot": netboot.lpar_netboot,
    "lshwres": hmc.lshwres, "lshmc": hmc.lshmc, "lssysconn": hmc.lssysconn,
    "lsrefcode": hmc.lsrefcode, "rmvterm": hmc.rmvterm,
}


def handler_for(kind: str, name: str) -> Handler | None:
    """The handler for a command typed at a face; full paths (/usr/sbin/nim) work too."""
    table = MN if kind == "mn" else HMC
    return table.get(name.rsplit("/", 1)[-1] if kind == "mn" else name)
