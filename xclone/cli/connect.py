"""How a command reaches the cluster: `--lab` (the simulator in-process), `--snapshot` (replay,
no connection at all) or SSH (the default), and what to observe, from the spec.

Shared by every subcommand that observes or changes the cluster: decorate the click command with
`connection_options`, then call `open_transport(spec, connection)` with the
`ConnectionOptions` it receives as `connection`.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from xclone.base.errors import SecretError, XcloneError
from xclone.base.mark import ownership_mark
from xclone.base.remote import Login, Transport
from xclone.cli.explain import ExplainedTransport
from xclone.cli.labstate import name_state
from xclone.observed.probes import HmcTarget, Keep, ObservationTargets
from xclone.observed.snapshot import load_snapshot
from xclone.spec import Spec
from xclone.spec.load import LAB_KEYS
from xclone.transport.snapshot import SnapshotTransport

if TYPE_CHECKING:
    from xclone.sim import Lab


@dataclass(frozen=True)
class ConnectionOptions:
    lab: Path | None = None
    snapshot: Path | None = None
    ssh_config: Path | None = None
    known_hosts: Path | None = None
    verify_host_keys: bool = True


_OPTIONS = (
    click.option("--lab", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                 help="Run against the simulator seeded from this lab file, in-process."),
    click.option("--snapshot", type=click.Path(path_type=Path),
                 help="Replay outputs recorded by `xclone observe --save DIR`; connects nowhere."),
    click.option("--ssh-config", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                 help="OpenSSH client config (HostName, Port, User, IdentityFile) for SSH."),
    click.option("--known-hosts", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                 help="known_hosts file to verify host keys against (default ~/.ssh/known_hosts)."),
    click.option("--no-verify-host-keys", is_flag=True,
                 help="Accept any SSH host key. Only for throw-away labs."),
)


def connection_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add the connection options to a click command; it receives them as `connection`."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        options = ConnectionOptions(
            lab=kwargs.pop("lab"),
            snapshot=kwargs.pop("snapshot"),
            ssh_config=kwargs.pop("ssh_config"),
            known_hosts=kwargs.pop("known_hosts"),
            verify_host_keys=not kwargs.pop("no_verify_host_keys"),
        )
        if options.lab is not None and options.snapshot is not None:
            raise click.UsageError("--lab and --snapshot exclude each other: choose one source")
        return command(*args, connection=options, **kwargs)

    for option in reversed(_OPTIONS):
        wrapper = option(wrapper)
    return wrapper


def targets_for(spec: Spec, *, destroy: bool = False) -> ObservationTargets:
    """The management node, and each HMC with the managed systems the spec's LPARs live on;
    `keep` names what the spec keeps (nothing for destroy)."""
    cecs = spec.cecs()
    hmcs = tuple(
        HmcTarget(name, hmc.host, tuple(sorted(c for c, h in cecs.items() if h == name)))
        for name, hmc in sorted(spec.hmcs.items())
    )
    keep = Keep() if destroy else Keep(
        frozenset(n for n, lpar in spec.lpars.items() if lpar.state != "absent"),
        frozenset(spec.osimages))
    return ObservationTargets(spec.management_node.host, hmcs, mark=ownership_mark(spec.cluster),
                              timeout=spec.site.timeouts.command, keep=keep,
                              driver=spec.driver,
                              masters=tuple(s.host for s in spec.install_servers.values()),
                              master_names=tuple(spec.install_servers),
                              scripts=_copied_scripts(spec),
                              goldens=tuple(sorted((name, img.source_node)
                                                   for name, img in spec.osimages.items()
                                                   if img.source_node)))


def _copied_scripts(spec: Spec) -> tuple[str, ...]:
    """Under nim with install servers, the postscript files they copy from the primary."""
    if spec.driver != "nim" or not spec.install_servers:
        return ()
    from xclone.drivers.nim.scriptsums import copied_scripts

    return copied_scripts(spec)


def logins_for(spec: Spec) -> dict[str, Login]:
    """One login per host the spec names; HMC passwords stay references until connecting."""
    mn = spec.management_node
    logins = {mn.host: Login(mn.host, mn.user, mn.port)}
    for server in spec.install_servers.values():
        logins[server.host] = Login(server.host, server.user, server.port)
    for hmc in spec.hmcs.values():
        password = hmc.password.ref() if hmc.password is not None else None
        logins[hmc.host] = Login(hmc.host, hmc.username, hmc.port, password)
    return logins


def _known_to_the_redactor(spec: Spec) -> None:
    """Read the HMC passwords once so that every output is masked against them from the first
    probe on: observation runs the management node's `lsdef` beside the HMC logins, and an
    output masked before the login resolved its password could show it. A secret that cannot
    be read is left for the login to report."""
    for hmc in spec.hmcs.values():
        if hmc.password is not None:
            with contextlib.suppress(SecretError):
                hmc.password.ref().resolve()


def lab_for(path: Path) -> Lab:
    """The lab seeded from `path`, its state folder named on stderr; a spec given to --lab by
    mistake is named as such instead of a list of keys a lab file does not have."""
    from xclone.sim import Lab

    try:
        lab = Lab.for_file(path)
    except XcloneError:
        keys = _top_level(path)
        if "cluster" in keys and not LAB_KEYS & keys:
            raise XcloneError(f"{path} is a spec, not a lab file (it has `cluster`): give "
                              "the lab file to --lab, e.g. `xclone plan SPEC --lab LAB`") \
                from None
        raise
    name_state(lab)
    return lab


def _top_level(path: Path) -> set[str]:
    """The file's top-level keys, read without building the document: the file may be the deep
    or aliased YAML that validation refuses, and this only has to tell a spec from a lab."""
    from xclone.base.yamlmarks import top_level_keys

    try:
        return top_level_keys(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return set()


def open_transport(spec: Spec, options: ConnectionOptions) -> Transport:
    """The transport the options ask for. The simulator and fabric are imported only when used:
    a snapshot replay in CI should load neither (nor read any secret)."""
    if options.snapshot is not None:
        return SnapshotTransport(load_snapshot(options.snapshot).entries)
    _known_to_the_redactor(spec)
    if options.lab is not None:
        from xclone.transport.sim import SimTransport

        return ExplainedTransport(SimTransport(lab_for(options.lab), logins_for(spec)), spec)
    from xclone.transport.ssh import SshTransport

    return ExplainedTransport(SshTransport(
        logins_for(spec),
        ssh_config=options.ssh_config,
        known_hosts=options.known_hosts,
        verify_host_keys=options.verify_host_keys,
    ), spec)
