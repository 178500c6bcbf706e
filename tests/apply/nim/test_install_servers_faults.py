"""A failing install server (issue 17, done-when: "crash-resume and fault tests cover a failing
install server") through the real CLI on the two-master lab (specs/examples/nim-multi.yaml
with nim-multi-lab.yaml): nim2 answers the plan's observation, then refuses every connection
(the lab's `refuse` fault, as OpenSSH's `connect to host ... Connection refused`): only its
LPARs fail, the primary's install, the summary names nim2's LPARs and why; once nim2 answers
again, apply carries on and converges."""

from __future__ import annotations

from pathlib import Path

from tests.apply.helpers import Scenario
from tests.apply.nim.test_install_servers import PAIR

# Every command apply sends to nim2 (the observation's lsnim, cat, lsuser and df are answered).
APPLY_COMMANDS = ("mkdir", "scp", "nim", "hostent", "tee", "chuser")


def _cstate(seed: Scenario, host: str, node: str) -> str:
    return " ".join(seed.lab.execute(host, f"lsnim -l {node}").stdout.split())


def test_nim2_unreachable_during_apply_fails_only_its_lpars(tmp_path: Path) -> None:
    seed = Scenario(tmp_path, faults=[{"host": "nim2", "command": command, "refuse": True}
                                      for command in APPLY_COMMANDS], **PAIR)
    result = seed.apply()
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "nim2: ssh: connect to host nim2 port 22: Connection refused" in result.output
    summary = result.output.split("Apply finished", 1)[1]
    assert "node03" in summary and "node04" in summary
    assert "node01" not in summary and "node02" not in summary
    for node in ("node01", "node02"):
        assert "Cstate_result = success" in _cstate(seed, "nimmaster", node)
    boots = [k for k in seed.lab.command_counts() if k.startswith("hmc01 lpar_netboot")]
    assert len(boots) == 2 and not any("node03" in k or "node04" in k for k in boots)
    # Nothing reached nim2: its NIM database is as the lab made it.
    assert "0042-053" in seed.lab.execute("nim2", "lsnim -l 610sysb_mksysb").stderr
    seed.lab.clear_faults()
    rerun = seed.apply()
    assert rerun.exit_code == 0, rerun.output
    for node in ("node03", "node04"):
        assert "Cstate_result = success" in _cstate(seed, "nim2", node)
    assert seed.plan("--detailed-exitcode").exit_code == 0
