"""The NIM driver's lab over real SSH (`lab serve`): HMC sessions counted across sshd processes,
and no dpasswd password in any file the lab writes.

`Lab.netboot_peaks()`: lpar_netboot calls that overlap through `lab serve`
(one sshd forced-command process each, one world on disk) count as concurrent sessions on
their HMC, as the in-process ones do (issue 14: "lpar_netboot never runs more than
max_sessions at once against one HMC (a lab counter proves it)").

Source of the command form: HMC manual page LPAR_NETBOOT (`-M -n -t ent LPAR PROFILE SYSTEM`
lists adapters after booting the partition to Open Firmware), docs/formats.md "HMC".
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.sim.conftest import CEC, write_lab
from tests.sim.test_lab_nim_path import NIM_LAB
from xclone.sim import Lab
from xclone.sim.serve import LabServer
from xclone.sim.sshd import DEFAULT_SSHD

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not DEFAULT_SSHD.exists() or shutil.which("ssh-keygen") is None,
                       reason="needs OpenSSH sshd and ssh-keygen (.ci/run installs "
                              "openssh-server)"),
]


def _ssh(server: LabServer, command: str) -> subprocess.Popen[str]:
    return subprocess.Popen(["ssh", "-F", str(server.ssh_config), "hmc01", command],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_netboot_peaks_count_overlapping_calls_over_sshd(tmp_path: Path) -> None:
    """Two lpar_netboot calls started together over sshd peak at 2 on hmc01; one after the
    other they peak at 1 (each blocks about 2 real seconds on a clock of scale 15)."""
    data = yaml.safe_load(NIM_LAB.read_text(encoding="utf-8"))
    data["clock"] = {"scale": 15}
    Lab.init(write_lab(tmp_path, data), tmp_path / "state")
    discover = "lpar_netboot -M -n -t ent {} {} " + CEC
    with LabServer(tmp_path / "state", run_dir=tmp_path / "run") as server:
        first = _ssh(server, discover.format("node01", "lpar9"))
        assert first.communicate(timeout=60)[0].startswith("# Connecting to node01.")
        assert first.returncode == 0
        assert Lab(tmp_path / "state").netboot_peaks() == {"hmc01": 1}
        both = [_ssh(server, discover.format("node01", "lpar9")),
                _ssh(server, discover.format("node02", "lpar6"))]
        results = [(p.communicate(timeout=60), p.returncode) for p in both]
    assert [status for _, status in results] == [0, 0], results
    assert Lab(tmp_path / "state").netboot_peaks() == {"hmc01": 2}


def test_dpasswd_over_sshd_leaves_no_password_in_any_lab_file(tmp_path: Path) -> None:
    """`dpasswd -P PASSWORD` run through `lab serve`: the password file holds a digest, and no
    file of the world or of the server's run directory (login log, sshd log) holds the
    password (issue 14: the HMC password file is a secret like any other)."""
    data = yaml.safe_load(NIM_LAB.read_text(encoding="utf-8"))
    data["clock"] = {"instant": True}
    Lab.init(write_lab(tmp_path, data), tmp_path / "state")
    secret = "Only-In-Memory-42"
    with LabServer(tmp_path / "state", run_dir=tmp_path / "run") as server:
        made = subprocess.run(["ssh", "-F", str(server.ssh_config), "nimmaster",
                               f"dpasswd -f hmc01 -U hscroot -P {secret}"],
                              capture_output=True, text=True, timeout=60, check=False)
        assert made.returncode == 0, made.stderr
        shown = subprocess.run(["ssh", "-F", str(server.ssh_config), "nimmaster",
                                "cat /etc/ibm/sysmgt/dsm/config/hmc01"],
                               capture_output=True, text=True, timeout=60, check=False)
    assert shown.stdout.startswith("hscroot ") and secret not in shown.stdout
    for path in [*(tmp_path / "state").rglob("*"), *(tmp_path / "run").rglob("*")]:
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path
