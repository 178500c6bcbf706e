"""A private OpenSSH sshd on 127.0.0.1 that routes each client key to its own forced command.

sshd sees neither the host name the client typed nor anything but the key it authenticated
with, so "which face of the lab is this login for" is decided by the key: one generated client
key per face, each with a `command="..."` line in a generated authorized_keys. Everything
(host key, client keys, configs, pid file, log) lives in one run directory, and the client
side gets an ordinary `ssh_config` + `known_hosts` pair with strict host key checking.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import re
import shlex
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Self

from xclone.base.errors import XcloneError
from xclone.base.log import get_logger

log = get_logger(__name__)

DEFAULT_SSHD = Path("/usr/sbin/sshd")
_PRIVSEP_DIR = Path("/run/sshd")
_START_ATTEMPTS = 3
_READY_SECONDS = 15.0
_UNSAFE_FILE_CHARS = re.compile(r"[^A-Za-z0-9._-]")


class SshdError(XcloneError):
    """sshd could not be prepared or started; the message says why and where its log is."""


class Started:
    """A server for a `with` block: started on entering it, stopped on leaving it however the
    block ends (the sshd below and the lab server over it)."""

    def start(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


class LoopbackSshd(Started):
    """Start/stop one sshd; `login_argv(face)` is the command a login with that face's key runs."""

    def __init__(
        self,
        faces: Sequence[str],
        login_argv: Callable[[str], Sequence[str]],
        *,
        run_dir: Path | None = None,
        port: int | None = None,
        sshd: Path = DEFAULT_SSHD,
    ) -> None:
        if not faces:
            raise SshdError("nothing to serve: the lab has no hosts")
        self._faces = tuple(faces)
        self._login_argv = login_argv
        self._own_dir = run_dir is None
        self.run_dir = Path(tempfile.mkdtemp(prefix="xclone-lab-")) if run_dir is None else run_dir
        self._wanted_port = port
        self._sshd = sshd
        self._process: subprocess.Popen[bytes] | None = None
        self.port = 0

    @property
    def ssh_config(self) -> Path:
        return self.run_dir / "ssh_config"

    @property
    def known_hosts(self) -> Path:
        return self.run_dir / "known_hosts"

    @property
    def log_file(self) -> Path:
        return self.run_dir / "sshd.log"

    def identity(self, face: str) -> Path:
        return self.run_dir / f"id_{_UNSAFE_FILE_CHARS.sub('_', face)}"

    def start(self) -> None:
        if not self._sshd.exists():
            raise SshdError(f"{self._sshd} not found: install openssh-server")
        self.run_dir.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            # sshd refuses to start without its privilege separation directory.
            _PRIVSEP_DIR.mkdir(mode=0o755, parents=True, exist_ok=True)
        self._keygen(self.run_dir / "ssh_host_ed25519_key")
        for face in self._faces:
            self._keygen(self.identity(face))
        self._write(self.run_dir / "authorized_keys", self._authorized_keys())
        # A port picked free may be taken before sshd binds it; only a fixed port is final.
        attempts = 1 if self._wanted_port else _START_ATTEMPTS
        for attempt in range(1, attempts + 1):
            self.port = self._wanted_port or _free_port()
            if self._launch():
                break
            if attempt == attempts:
                raise SshdError(
                    f"sshd did not start on 127.0.0.1:{self.port}: {self.log_tail()} "
                    f"(full log: {self.log_file})"
                )
        self._write(self.ssh_config, self._client_config())
        host_key = (self.run_dir / "ssh_host_ed25519_key.pub").read_text(encoding="utf-8")
        key_type, key_data = host_key.split()[:2]
        self._write(self.known_hosts, f"[127.0.0.1]:{self.port} {key_type} {key_data}\n")
        log.info("lab.sshd_started", port=self.port, run_dir=str(self.run_dir))

    def stop(self) -> None:
        if self._terminate():
            log.info("lab.sshd_stopped", port=self.port)
        if self._own_dir:
            for path in sorted(self.run_dir.glob("*")):
                path.unlink(missing_ok=True)
            with contextlib.suppress(OSError):
                self.run_dir.rmdir()

    def wait(self) -> int:
        """Block until sshd exits (it only does when stopped or killed); return its status."""
        if self._process is None:
            return 0
        return self._process.wait()

    def _launch(self) -> bool:
        config = self.run_dir / "sshd_config"
        self._write(config, self._server_config())
        with self.log_file.open("wb") as sink:
            self._process = subprocess.Popen(
                [str(self._sshd), "-D", "-e", "-f", str(config)],
                stdin=subprocess.DEVNULL, stdout=sink, stderr=sink, start_new_session=True,
            )
        deadline = time.monotonic() + _READY_SECONDS
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                return False
            if _answers(self.port):
                return True
            time.sleep(0.05)
        self._terminate()
        return False

    def _terminate(self) -> bool:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return False
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        return True

    def _keygen(self, path: Path) -> None:
        if path.exists():
            return
        done = subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "xclone-lab", "-f", str(path)],
            capture_output=True, text=True, check=False,
        )
        if done.returncode != 0:
            raise SshdError(f"ssh-keygen failed for {path}: {done.stderr.strip()}")

    def _authorized_keys(self) -> str:
        lines = []
        for face in self._faces:
            command = shlex.join(self._login_argv(face))
            if "\n" in command or "\r" in command:
                raise SshdError(f"the login command for {face} spans lines: {command!r}")
            # sshd's option parser knows one escape inside quotes: \" for a quote.
            command = command.replace('"', '\\"')
            key = Path(f"{self.identity(face)}.pub").read_text(encoding="utf-8").strip()
            lines.append(f'restrict,command="{command}" {key}')
        return "\n".join(lines) + "\n"

    def _server_config(self) -> str:
        settings = [
            ("ListenAddress", f"127.0.0.1:{self.port}"),
            ("HostKey", str(self.run_dir / "ssh_host_ed25519_key")),
            ("PidFile", str(self.run_dir / "sshd.pid")),
            ("AuthorizedKeysFile", str(self.run_dir / "authorized_keys")),
            ("AllowUsers", getpass.getuser()),
            ("PermitRootLogin", "prohibit-password"),
            ("PubkeyAuthentication", "yes"),
            ("PasswordAuthentication", "no"),
            ("KbdInteractiveAuthentication", "no"),
            ("UsePAM", "no"),
            ("StrictModes", "no"),
            ("PermitTTY", "no"),
            ("AllowTcpForwarding", "no"),
            ("X11Forwarding", "no"),
            ("PrintMotd", "no"),
            ("UseDNS", "no"),
            # apply runs commands concurrently: one connection per host, many channels on it.
            ("MaxSessions", "64"),
            ("MaxStartups", "64:30:128"),
            ("LogLevel", "ERROR"),
            # sshd runs a forced command through the user's login shell (`bash -c ...`), and
            # bash reads ~/.bashrc when sshd starts it at the top level (SHLVL unset): a
            # developer's .bashrc (pyenv init, conda) can cost more than the command itself.
            # SHLVL=1 makes that shell a nested one, which reads no startup file.
            ("SetEnv", "SHLVL=1"),
        ]
        return "".join(f"{key} {value}\n" for key, value in settings)

    def _client_config(self) -> str:
        blocks = []
        for face in self._faces:
            blocks.append(
                f"Host {face}\n"
                f"    HostName 127.0.0.1\n"
                f"    Port {self.port}\n"
                f"    User {getpass.getuser()}\n"
                f"    IdentityFile {self.identity(face)}\n"
                f"    IdentitiesOnly yes\n"
                f"    UserKnownHostsFile {self.known_hosts}\n"
                f"    StrictHostKeyChecking yes\n"
                f"    PasswordAuthentication no\n"
                f"    BatchMode yes\n"
            )
        return "\n".join(blocks)

    def log_tail(self) -> str:
        """The last lines sshd wrote, for an error message."""
        try:
            lines = self.log_file.read_text(encoding="utf-8", errors="replace").strip().splitlines()
        except OSError:
            return "no log"
        return " / ".join(lines[-3:]) or "no output"

    @staticmethod
    def _write(path: Path, text: str) -> None:
        path.write_text(text, encoding="utf-8")
        os.chmod(path, 0o600)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _answers(port: int) -> bool:
    """True once sshd accepts a connection and sends its `SSH-2.0-...` banner."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
            return conn.recv(4).startswith(b"SSH-")
    except OSError:
        return False
