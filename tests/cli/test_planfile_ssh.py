"""A plan saved over SSH applies over SSH with the recorded ssh_config and known_hosts, typed as
the hint prints it (issue 10 §8), against `xclone lab serve`'s real sshd."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.apply.helpers import Scenario
from tests.conftest import needs_sshd
from xclone.sim import Lab


@pytest.mark.slow
@needs_sshd
def test_a_plan_saved_over_ssh_applies_over_ssh_without_the_options(tmp_path: Path) -> None:
    (tmp_path / "work").mkdir()
    seed = Scenario(tmp_path / "work")
    with seed.served(tmp_path) as served:
        ssh = served.ssh
        planned = seed.xclone("plan", str(seed.spec_file), *ssh, "-o", "ssh.plan")
        assert planned.exit_code == 0, planned.output
        hint = re.search(r"run `xclone ([^`]+)` in this directory", planned.output)
        assert hint is not None and hint.group(1) == "apply ssh.plan"
        conflict = seed.xclone("apply", "ssh.plan", "--lab", str(seed.lab_file))
        assert conflict.exit_code == 1
        assert "the plan was made over SSH" in conflict.output
        applied = seed.xclone(*hint.group(1).split())
        assert applied.exit_code == 0, applied.output
        again = seed.xclone("plan", str(seed.spec_file), *ssh, "--detailed-exitcode")
        assert again.exit_code == 0, again.output
    node = Lab.open(served.state).execute("xcataixmn", "lsdef node01").stdout
    assert "provmethod=610sysb" in node
