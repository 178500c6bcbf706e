"""Wires `xclone import --from-nim --master HOST [--install-server HOST...] --hmc NAME=HOST...`:
observe a NIM master (and the other NIM masters, each an install server of the spec) and their
HMCs with the NIM driver's probes, read the inventory out of it (drivers/nim/inventory.py) and
write the spec text (spec/nim_import.py). Nothing is changed anywhere.

There is no spec yet, so the connection settings are held in a spec of their own, with no LPAR:
the master's SSH user, each HMC's host, user and password reference (`{env: NAME_PASSWORD}`, the
name the written spec uses too), which is what the transports read. The HMCs' managed systems
are not known before the first answer, so observation runs twice: once for the system lists,
then with every system the HMCs can list (a fixed count of commands, never one per LPAR).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from xclone.base.errors import XcloneError
from xclone.base.mark import ownership_mark
from xclone.cli.connect import ConnectionOptions, open_transport
from xclone.drivers.nim.inventory import several
from xclone.observed.observe import observe
from xclone.observed.probes import HmcTarget, ObservationTargets
from xclone.spec import Spec
from xclone.spec.importer import env_name
from xclone.spec.model import InstallServer
from xclone.spec.nim_import import NimHmc, render_nim_spec

_HMC = re.compile(r"^(?P<name>[^=\s]+)=(?:(?P<user>[^@\s]+)@)?(?P<host>[^@\s]+)$")
_MASTER = re.compile(r"^(?:(?P<user>[^@\s]+)@)?(?P<host>[^@\s]+)$")


def parse_hmcs(values: Sequence[str]) -> tuple[NimHmc, ...]:
    """`NAME=HOST` or `NAME=USER@HOST` (user hscroot by default), each name once."""
    found: dict[str, NimHmc] = {}
    for value in values:
        match = _HMC.match(value)
        if match is None:
            raise XcloneError(f"--hmc {value!r}: expected NAME=HOST or NAME=USER@HOST, e.g. "
                              "--hmc hmc01=hmc01.cluster.com")
        if match["name"] in found:
            raise XcloneError(f"--hmc {match['name']} is given twice")
        found[match["name"]] = NimHmc(match["name"], match["host"], match["user"] or "hscroot")
    return tuple(found.values())


def _login(value: str, option: str) -> tuple[str, str]:
    """(host, user) of `[USER@]HOST`, user root by default."""
    match = _MASTER.match(value)
    if match is None:
        raise XcloneError(f"{option} {value!r}: expected HOST or USER@HOST")
    return match["host"], match["user"] or "root"


def _connection_spec(master: str, user: str, hmcs: Sequence[NimHmc],
                     servers: Sequence[tuple[str, str]] = ()) -> Spec:
    """The logins only; the other masters are held without networks (not a spec to plan)."""
    try:
        spec = Spec.model_validate({
            "version": 1, "cluster": "import", "management_node": {"host": master, "user": user},
            "hmcs": {h.name: {"host": h.host, "username": h.username,
                              "password": {"env": env_name(h.name)}} for h in hmcs},
            "lpars": {}})
    except ValueError as exc:
        raise XcloneError(f"--master/--hmc: {exc}") from None
    return spec.model_copy(update={"install_servers": {
        f"m{index}": InstallServer.model_construct(host=host, user=login, port=22, networks=())
        for index, (host, login) in enumerate(servers)}})


def spec_from_nim(master_arg: str, hmc_args: Sequence[str], cluster: str | None,
                  connection: ConnectionOptions, server_args: Sequence[str] = ()) -> str:
    """The spec text for what the masters and the HMCs show."""
    if not hmc_args:
        raise XcloneError("--from-nim needs at least one --hmc NAME=HOST: the LPARs' "
                          "partitions are read from the HMCs")
    master, user = _login(master_arg, "--master")
    servers = [_login(value, "--install-server") for value in server_args]
    hosts = [master, *(host for host, _ in servers)]
    twice = sorted({h for h in hosts if hosts.count(h) > 1})
    if twice:
        raise XcloneError(f"{twice[0]} is given twice (--master, --install-server): each NIM "
                          "master once")
    hmcs = parse_hmcs(hmc_args)
    spec = _connection_spec(master, user, hmcs, servers)
    targets = ObservationTargets(master, tuple(HmcTarget(h.name, h.host, ()) for h in hmcs),
                                 mark=ownership_mark(cluster) if cluster else "",
                                 timeout=spec.site.timeouts.command, driver="nim",
                                 masters=tuple(host for host, _ in servers))
    transport = open_transport(spec, connection)
    try:
        systems = observe(transport, targets).observed.systems
        shown = tuple(HmcTarget(t.name, t.host, tuple(sorted(
            name for (hmc, name), s in systems.items() if hmc == t.name and s.reachable)))
            for t in targets.hmcs)
        observed = observe(transport, replace(targets, hmcs=shown)).observed
    finally:
        transport.close()
    return render_nim_spec(several(observed, master, user, servers, hmcs, cluster))
