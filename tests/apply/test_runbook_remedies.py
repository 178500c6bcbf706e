"""The runbook's remedies for the failures it names (issue 15 items 6 and 9), through the real
CLI against the lab.

Boot services: bootpd and tftpd run under inetd and the client mounts the SPOT over NFS (IBM
AIX, "Debugging a network boot problem"); with them down rnetboot still prints Success (it only
starts the boot) and NIM's Cstate stays "BOS installation has been enabled". The runbook's
remedy restarts inetd, the tftp subserver and the nfs group; `--remediate boot-services` does it
and boots the node once more. The lab's `install: boot-services` fault leaves boots unanswered
until all three were restarted.

ppctimeout: xCAT waits site `ppctimeout` seconds for each HMC answer (0 means 60: xCAT 2.9.2
PPCcli.pm `connect`, DEFAULT_TIMEOUT) and prints `Timeout waiting for prompt` when one takes
longer (PPCcli.pm `send_cmd`); the runbook's advice when rnetboot times out is to raise
ppctimeout in the site table. The lab's `install: slow-hmc` fault makes the HMC take 120 s per
answer, so 60 times out and the runbook's 180 does not.
"""

from __future__ import annotations

from pathlib import Path

from tests.apply.helpers import Scenario
from tests.drivers import NIM, XCAT, DriverCase
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


def _unanswered(tmp_path: Path, case: DriverCase = XCAT) -> Scenario:
    """node01's network boots go unanswered until inetd, tftp and nfs are restarted (the lab's
    `install: boot-services` fault); the stall limit is above the install's normal steps."""
    seed = case.scenario(tmp_path, clock={"scale": 9000})
    seed.write_spec(site={**seed.spec_data.get("site", {}), "timeouts": {"install_stall": 1200}})
    seed.lab.add_fault(Fault(lpar="node01", install="boot-services"))
    return seed


def test_an_unanswered_boot_names_the_boot_services_remedy(tmp_path: Path) -> None:
    seed = _unanswered(tmp_path)
    applied = seed.apply()
    assert applied.exit_code == 1, applied.output
    assert "Cstate: BOS installation has been enabled" in applied.output
    assert "never answered, which the runbook attributes to the boot services: restart them " \
           "with `stopsrc -s " \
           "inetd; startsrc -s inetd`, `stopsrc -t tftp; startsrc -t tftp` and `stopsrc -g nfs; " \
           "startsrc -g nfs` on xcataixmn" in applied.output
    assert "--remediate boot-services" in applied.output
    assert "    BOOTP: no reply from the boot server, retrying" in applied.output
    assert _sent(seed, "stopsrc") == 0  # never by default


def test_remediate_restarts_the_boot_services_and_boots_the_node_once_more(tmp_path: Path) -> None:
    seed = _unanswered(tmp_path)
    applied = seed.apply("--remediate", "boot-services")
    assert applied.exit_code == 0, applied.output
    sent = list(seed.lab.command_counts())
    for words in ("stopsrc -s inetd", "startsrc -s inetd", "stopsrc -t tftp",
                  "startsrc -t tftp", "stopsrc -g nfs", "startsrc -g nfs", "rnetboot node01"):
        assert f"xcataixmn {words}" in sent, words
    assert _sent(seed, "stopsrc") == 3
    journal = seed.journals()[-1].read_text(encoding="utf-8")
    assert "boot-services: remedying, then booting it again" in journal  # both drivers' words
    assert '"command": "LC_ALL=C startsrc -g nfs"' in journal
    assert seed.plan("--detailed-exitcode").exit_code == 0


def test_remediate_works_under_the_nim_driver_except_where_nim_boots_the_clients(
        tmp_path: Path) -> None:
    """Under `driver: nim` the option is taken (tests/apply/nim/test_nim_remedies.py runs the
    remedy); with `netboot: nim`, NIM boots the clients itself (`bos_inst -a
    boot_client=yes`), so xclone has no boot of its own to repeat and says so at once."""
    seed = NIM.scenario(tmp_path)
    taken = seed.apply("--remediate", "boot-services")
    assert taken.exit_code == 0, taken.output
    seed.write_spec(netboot="nim")
    refused = seed.apply("--remediate", "boot-services")
    assert refused.exit_code == 1
    assert "with `netboot: nim` NIM boots the clients itself" in refused.output
    assert "Traceback" not in refused.output


def test_the_nim_driver_names_the_remedy_for_a_boot_stalled_on_bootp(tmp_path: Path) -> None:
    seed = NIM.scenario(tmp_path, clock={"scale": 9000},  # the fault read from the lab file
                        faults=[{"lpar": "node01", "install": "boot-services"}])
    applied = seed.apply()
    assert applied.exit_code == 1, applied.output
    assert "stalled on reference code CA00E175" in applied.output
    assert "restart the boot services on the NIM master with `stopsrc -s inetd; startsrc -s " \
           "inetd`" in applied.output


def test_remediate_boots_an_unanswered_blade_again_with_rpower(tmp_path: Path) -> None:
    seed = _unanswered(tmp_path)
    seed.set_lpar("node01", hardware="blade", mac="fef9dfb7c601")
    applied = seed.apply("--remediate", "boot-services")
    assert applied.exit_code == 0, applied.output
    sent = list(seed.lab.command_counts())
    assert "xcataixmn rpower node01 reset" in sent and "xcataixmn rnetboot node01" not in sent


def test_a_service_nodes_lpar_is_remedied_on_that_service_node(tmp_path: Path) -> None:
    """node03 is served by the service node sn1 (specs/examples/xcat-sn.yaml): sn1 is its NIM
    master and answers its boots with its own inetd, tftpd and NFS, so the restarts run on
    sn1 (the error names it), while the boot again is the management node's rnetboot."""
    seed = Scenario(tmp_path, {"scale": 9000}, [{"lpar": "node03", "install": "boot-services"}],
                    lab_name="xcat-sn-lab.yaml", spec_name="xcat-sn.yaml")
    seed.write_spec(site={**seed.spec_data.get("site", {}), "timeouts": {"install_stall": 1200}})
    failed = seed.apply()
    assert failed.exit_code == 1, failed.output
    assert "startsrc -g nfs` on sn1, or apply again with `--remediate boot-services`" \
        in failed.output
    applied = seed.apply("--remediate", "boot-services")
    assert applied.exit_code == 0, applied.output
    sent = list(seed.lab.command_counts())
    assert "sn1 stopsrc -s inetd" in sent and "sn1 startsrc -g nfs" in sent
    assert not any(line.startswith("xcataixmn stopsrc") for line in sent)
    assert seed.plan("--detailed-exitcode").exit_code == 0
