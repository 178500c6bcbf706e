"""`xclone lab serve` as a user runs it: prints how to connect, serves, stops on SIGTERM."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from xclone.base.command import Command
from xclone.sim.sshd import DEFAULT_SSHD
from xclone.transport.ssh import SshTransport

pytestmark = pytest.mark.skipif(
    not DEFAULT_SSHD.exists() or shutil.which("ssh-keygen") is None,
    reason="needs OpenSSH sshd and ssh-keygen (.ci/run installs openssh-server)",
)


def test_serve_prints_settings_serves_and_stops_on_sigterm(
    instant_seed_lab: Path, tmp_path: Path
) -> None:
    run_dir = tmp_path / "run"
    server = subprocess.Popen(
        [sys.executable, "-m", "xclone", "lab", "serve", str(instant_seed_lab),
         "--state", str(tmp_path / "state"), "--dir", str(run_dir)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert server.stdout is not None
    try:
        banner = []
        for line in server.stdout:
            banner.append(line)
            if "Ctrl-C stops the server" in line:
                break
        text = "".join(banner)
        assert f"ssh -F {run_dir / 'ssh_config'} hmc01 lssyscfg -r sys" in text
        assert f"known_hosts  {run_dir / 'known_hosts'}" in text
        sshd_pid = int((run_dir / "sshd.pid").read_text(encoding="utf-8"))
        with SshTransport({}, ssh_config=run_dir / "ssh_config") as transport:
            result = transport.run("xcataixmn", Command.of("lsdef", "-t", "node"))
        assert (result.exit_status, result.stdout) == (0, "node27  (node)\n")
    finally:
        server.send_signal(signal.SIGTERM)
        out, err = server.communicate(timeout=30)
    assert server.returncode == 0, err
    assert "Stopping the lab's sshd." in out
    # issue 18: the world's folder, seeded by this first use, named on stderr
    assert err.startswith(f"Lab state: {tmp_path / 'state'} (seeded now: first use)\n"), err
    assert not Path(f"/proc/{sshd_pid}").exists()
