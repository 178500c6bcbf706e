"""The runbook's remedies for the failures it names (issue 15 items 6 and 9), through the real
CLI against the lab.

ppctimeout: xCAT waits site `ppctimeout` seconds for each HMC answer (0 means 60: xCAT 2.9.2
PPCcli.pm `connect`, DEFAULT_TIMEOUT) and prints `Timeout waiting for prompt` when one takes
longer (PPCcli.pm `send_cmd`); the runbook's advice when rnetboot times out is to raise
ppctimeout in the site table. The lab's `install: slow-hmc` fault makes the HMC take 120 s per
answer, so 60 times out and the runbook's 180 does not.
"""

from __future__ import annotations

from pathlib import Path

from tests.apply.helpers import Scenario
from xclone.sim import Fault


def _sent(seed: Scenario, program: str) -> int:
    """How many command lines of `program` the lab received (noderanges are compacted)."""
    return sum(n for line, n in seed.lab.command_counts().items()
               if line.split()[1:2] == [program])


def test_a_boot_timing_out_names_ppctimeout_its_value_and_the_spec_line(tmp_path: Path) -> None:
    seed = Scenario(tmp_path)
    seed.write_spec(site={"ppctimeout": 60})
    seed.lab.add_fault(Fault(lpar="node01", install="slow-hmc"))
    applied = seed.apply()
    assert applied.exit_code == 1, applied.output
    assert "node01: Timeout waiting for prompt" in applied.output
    assert "raise ppctimeout in the xCAT site table (now 60 s)" in applied.output
    assert "set `site: {ppctimeout: 180}` in the spec" in applied.output
    assert "Traceback" not in applied.output
    # the same ppctimeout would time out again: not retried (a retry power-cycles it again)
    assert _sent(seed, "rnetboot") == 1
    seed.write_spec(site={"ppctimeout": 180})
    again = seed.apply()
    assert again.exit_code == 0, again.output
    assert seed.plan("--detailed-exitcode").exit_code == 0
