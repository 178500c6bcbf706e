"""The seed scenario applied through the SSH transport against `xclone lab serve`'s real sshd,
with host keys verified: what works in-process also works over OpenSSH, for each driver
(tests/drivers.py): xCAT's seed scenario, and the NIM driver's, whose HMC commands (rmvterm,
lpar_netboot, lsrefcode) go over SSH to the HMC as well."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import needs_sshd
from tests.drivers import DriverCase, both, nim_booted
from xclone.sim import Lab


@needs_sshd
@pytest.mark.parametrize("case", both())
def test_seed_scenario_over_real_sshd(case: DriverCase, tmp_path: Path) -> None:
    seed = case.scenario(tmp_path)
    with seed.served() as served:
        ssh = served.ssh
        planned = seed.xclone("plan", str(seed.spec_file), *ssh, "--detailed-exitcode")
        assert planned.exit_code == 2, planned.output
        applied = seed.xclone("apply", str(seed.spec_file), *ssh, "--auto-approve")
        assert applied.exit_code == 0, applied.output
        again = seed.xclone("plan", str(seed.spec_file), *ssh, "--detailed-exitcode")
        assert again.exit_code == 0, again.output
    if case.name == "xcat":
        node = Lab.open(served.state).execute("xcataixmn", "lsdef node02").stdout
        assert "status=booted" in node and "provmethod=610sysb" in node
    else:
        assert nim_booted(Lab.open(served.state), seed.master, "node02")
        assert nim_booted(Lab.open(served.state), seed.master, "node01")
