"""`xclone lab serve`: the lab's world behind a real OpenSSH sshd on 127.0.0.1.

Each face of the lab (the management node and every HMC) gets its own client key whose forced
command is `python -S -m xclone.sim.login --host FACE` (`login_argv`), so `ssh -F
RUNDIR/ssh_config hmc01...` lands on the HMC and the same world answers as with `--lab FILE`
in-process. Tests and benchmarks use `LabServer` directly; the CLI wraps it.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import xclone
from xclone.sim import Lab
from xclone.sim.sshd import DEFAULT_SSHD, LoopbackSshd, Started

# The directory holding the `xclone` package: the login process must import this very copy,
# whatever sshd's clean environment would otherwise find (or not find) on sys.path.
_PACKAGE_ROOT = Path(xclone.__file__).resolve().parent.parent


class LabServer(Started):
    """Serve the world kept in `state_dir` (already initialised) over SSH until stopped."""

    def __init__(
        self,
        state_dir: Path,
        *,
        run_dir: Path | None = None,
        port: int | None = None,
        sshd: Path = DEFAULT_SSHD,
    ) -> None:
        self.state_dir = state_dir.resolve()
        self.faces: dict[str, str] = dict(sorted(Lab.open(self.state_dir).hostnames().items()))
        self._sshd = LoopbackSshd(
            list(self.faces), self._login_argv,
            run_dir=run_dir.resolve() if run_dir is not None else None, port=port, sshd=sshd,
        )

    @property
    def port(self) -> int:
        return self._sshd.port

    @property
    def run_dir(self) -> Path:
        return self._sshd.run_dir

    @property
    def ssh_config(self) -> Path:
        return self._sshd.ssh_config

    @property
    def known_hosts(self) -> Path:
        return self._sshd.known_hosts

    @property
    def login_log(self) -> Path:
        return self.run_dir / "login.log"

    def identity(self, face: str) -> Path:
        return self._sshd.identity(face)

    def start(self) -> None:
        self._sshd.start()

    def stop(self) -> None:
        self._sshd.stop()

    def wait(self) -> int:
        return self._sshd.wait()

    def log_tail(self) -> str:
        return self._sshd.log_tail()

    def _login_argv(self, face: str) -> list[str]:
        return login_argv(self.state_dir, face, self.login_log)


def login_argv(state_dir: Path, face: str, log: Path | None = None) -> list[str]:
    """The command sshd runs for each login to `face` (benchmarks/process.py times it alone).

    `python -S`: the login needs the standard library and this package only (the simulator
    imports nothing outside xclone.sim and xclone.base), and each command is a process of its
    own, so the site module's work (every .pth file of site-packages: an editable install's
    import hook, whatever else the environment put there) would be paid per command for
    nothing; tests/sim/test_lab_overhead.py loads every handler under -S."""
    return [
        shutil.which("env") or "/usr/bin/env", f"PYTHONPATH={_PACKAGE_ROOT}",
        sys.executable, "-S", "-m", "xclone.sim.login", "--state", str(state_dir),
        "--host", face, *(["--log", str(log)] if log is not None else []),
    ]
