"""What only the spec knows, added to a refused login: which `hmc.NAME` and which secret
reference the refused password came from, and how to deal with an unknown host key.

The transports report the host and the far side's words (`Permission denied`, a host key not in
known_hosts); the user thinks in spec addresses and secret references. Each refusal keeps its
exception type (the executor tells refusals from lost answers by type), only the message grows.
"""

from __future__ import annotations

from xclone.base.command import Command
from xclone.base.errors import XcloneError
from xclone.base.remote import Result, Transport
from xclone.spec import Spec

_REFUSED = ("permission denied", "authentication failed")


def explain(exc: XcloneError, host: str, spec: Spec) -> XcloneError:
    """`exc` with its message completed when it is a refused login or an unknown host key."""
    text = exc.message.lower()
    extra = ""
    if any(word in text for word in _REFUSED):
        for name, hmc in spec.hmcs.items():
            if hmc.host == host:
                secret = hmc.password.ref().describe() if hmc.password is not None else "none"
                extra = (f" (hmc.{name}: user {hmc.username!r}, password from {secret}: "
                         "check that secret and the HMC user)")
    elif "host key of" in text and "not in known_hosts" in text:
        extra = (f" (e.g. `ssh-keyscan {host} >> ~/.ssh/known_hosts` after checking its "
                 "fingerprint, or --known-hosts FILE; --no-verify-host-keys only for a "
                 "throw-away lab)")
    if extra:
        exc.message = exc.message + extra
        exc.args = (exc.message,)
    return exc


class ExplainedTransport:
    """A transport whose refusals name the spec's objects (see the module docstring)."""

    def __init__(self, inner: Transport, spec: Spec) -> None:
        self.inner, self.spec = inner, spec

    def run(self, host: str, command: Command, *, timeout: float | None = None) -> Result:
        try:
            return self.inner.run(host, command, timeout=timeout)
        except XcloneError as exc:
            raise explain(exc, host, self.spec) from exc.__cause__

    def close(self) -> None:
        self.inner.close()
