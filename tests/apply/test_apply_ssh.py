"""The seed scenario applied through the SSH transport against `xclone lab serve`'s real sshd,
with host keys verified: what works in-process also works over OpenSSH."""

from __future__ import annotations

from pathlib import Path

from tests.apply.helpers import Scenario
from tests.conftest import needs_sshd
from xclone.sim import Lab
from xclone.sim.serve import LabServer


@needs_sshd
def test_seed_scenario_over_real_sshd(tmp_path: Path) -> None:
    seed = Scenario(tmp_path)
    state = tmp_path / "served"
    Lab.init(seed.lab_file, state)
    with LabServer(state, run_dir=tmp_path / "run") as server:
        ssh = ("--ssh-config", str(server.ssh_config), "--known-hosts", str(server.known_hosts))
        planned = seed.xclone("plan", str(seed.spec_file), *ssh, "--detailed-exitcode")
        assert planned.exit_code == 2, planned.output
        applied = seed.xclone("apply", str(seed.spec_file), *ssh, "--auto-approve")
        assert applied.exit_code == 0, applied.output
        again = seed.xclone("plan", str(seed.spec_file), *ssh, "--detailed-exitcode")
        assert again.exit_code == 0, again.output
    node = Lab.open(state).execute("xcataixmn", "lsdef node02").stdout
    assert "status=booted" in node and "provmethod=610sysb" in node
