"""Where an SSH login really goes: a spec host name mapped through an OpenSSH client config.

The operator's `ssh_config` is their map from the names a spec uses onto reachable endpoints
(a bastion-less lab on 127.0.0.1:PORT, a renamed HMC), so its HostName, Port, User,
IdentityFile and UserKnownHostsFile win over what the spec's login says, as `ssh -F` would make
them win for a plain `ssh HOST`. StrictHostKeyChecking is deliberately not read from it: turning
host key checks off must be an explicit choice in xclone, not a line in a shared file.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from pathlib import Path

import paramiko

from xclone.base.errors import XcloneError
from xclone.base.remote import Login

DEFAULT_KNOWN_HOSTS = Path("~/.ssh/known_hosts")
DEFAULT_SSH_CONFIG = Path("~/.ssh/config")


@dataclass(frozen=True)
class Endpoint:
    """One resolved login: who we connect as, to which address, trusting which host keys."""

    name: str
    hostname: str
    port: int
    user: str
    identity_files: tuple[str, ...]
    known_hosts: tuple[Path, ...]

    @property
    def host_key_name(self) -> str:
        """The name known_hosts files use for this endpoint (`[127.0.0.1]:2222` off port 22)."""
        return self.hostname if self.port == 22 else f"[{self.hostname}]:{self.port}"


def load_ssh_config(path: Path | None) -> paramiko.SSHConfig:
    """Read the given client config, or the user's own one as OpenSSH does without `-F`."""
    candidate = path if path is not None else DEFAULT_SSH_CONFIG.expanduser()
    if not candidate.exists():
        if path is not None:
            raise XcloneError(f"ssh config {path} does not exist")
        return paramiko.SSHConfig()
    try:
        return paramiko.SSHConfig.from_path(str(candidate))
    except (OSError, ValueError, paramiko.SSHException) as exc:
        raise XcloneError(f"ssh config {candidate}: cannot read it ({exc})") from None


def resolve(
    name: str,
    login: Login | None,
    config: paramiko.SSHConfig,
    *,
    key_filename: str | None = None,
    known_hosts: Path | None = None,
) -> Endpoint:
    """Combine the spec's login, the client config and the transport's own options."""
    target = login.host if login is not None else name
    entry = config.lookup(target)
    port_text = entry.get("port")
    try:
        port = int(port_text) if port_text else (login.port if login is not None else 22)
    except ValueError:
        raise XcloneError(f"ssh config: Port {port_text!r} for {target} is not a number") from None
    user = entry.get("user") or (login.user if login is not None else getpass.getuser())
    identities = [key_filename] if key_filename else []
    identities.extend(str(Path(p).expanduser()) for p in entry.get("identityfile", []))
    return Endpoint(
        name=name,
        hostname=entry.get("hostname", target),
        port=port,
        user=user,
        identity_files=tuple(identities),
        known_hosts=_known_hosts(entry.get("userknownhostsfile"), known_hosts),
    )


def _known_hosts(from_config: str | None, explicit: Path | None) -> tuple[Path, ...]:
    if explicit is not None:
        return (explicit.expanduser(),)
    if from_config:
        return tuple(Path(p).expanduser() for p in from_config.split())
    return (DEFAULT_KNOWN_HOSTS.expanduser(),)
