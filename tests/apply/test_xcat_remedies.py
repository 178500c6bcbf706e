"""`xclone apply --remediate boot-services` under `driver: xcat` runs on the core's remedy seam
(xclone/apply/remedies.py), as under `driver: nim`: after the install wait, the restarts on
the install server, the plan's own boot of the node again, a new wait, once; journaled as
`remedy.start`/`remedy.end`.

Boot services: bootpd and tftpd run under inetd and the client mounts the SPOT over NFS (IBM
AIX, "Debugging a network boot problem"); with them down rnetboot still prints Success and NIM's
Cstate stays "BOS installation has been enabled" (docs/formats.md "rnetboot"). The lab's
`install: boot-services` fault leaves boots unanswered until inetd, tftp and nfs were restarted.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.apply.helpers import Scenario
from tests.drivers import XCAT

RESTARTS = ("stopsrc -s inetd", "startsrc -s inetd", "stopsrc -t tftp", "startsrc -t tftp",
            "stopsrc -g nfs", "startsrc -g nfs")


def _stalled(tmp_path: Path, *faults: dict[str, Any]) -> Scenario:
    """node01's boots go unanswered; the stall limit is above the install's normal steps."""
    seed = XCAT.scenario(tmp_path, clock={"scale": 9000}, faults=list(faults))
    seed.write_spec(site={**seed.spec_data.get("site", {}), "timeouts": {"install_stall": 1200}})
    return seed


def _sent(seed: Scenario, words: str) -> int:
    return sum(n for line, n in seed.lab.command_counts().items() if words in line)


def _events(seed: Scenario, event: str) -> list[dict[str, Any]]:
    lines = seed.journals()[-1].read_text(encoding="utf-8").splitlines()
    return [r for r in map(json.loads, lines) if r.get("event") == event]


def test_the_remedy_runs_after_the_wait_and_is_journaled_as_under_nim(tmp_path: Path) -> None:
    """The plan's rnetboot, the wait failing node01, the six restarts, rnetboot of node01
    alone again, a new wait: remedy.start and remedy.end name the node and its install."""
    seed = _stalled(tmp_path, {"lpar": "node01", "install": "boot-services"})
    applied = seed.apply("--remediate", "boot-services")
    assert applied.exit_code == 0, applied.output
    assert "node01: boot-services: remedying, then booting it again" in applied.output
    started, = _events(seed, "remedy.start")
    assert started["remedy"] == "boot-services" and started["nodes"] == ["node01"]
    ended, = _events(seed, "remedy.end")
    assert ended["ok"] is True and ended["installed"] == ["node01"]
    commands = [r["command"] for r in _events(seed, "command")]
    boots = [i for i, c in enumerate(commands) if c.startswith("LC_ALL=C rnetboot")]
    assert len(boots) == 2 and commands[boots[1]] == "LC_ALL=C rnetboot node01"
    restarts = [commands.index(f"LC_ALL=C {w}") for w in RESTARTS]
    assert boots[0] < restarts[0] and restarts == sorted(restarts) and restarts[-1] < boots[1]
    assert seed.plan("--detailed-exitcode").exit_code == 0


def test_a_boot_still_unanswered_is_remedied_once_and_says_what_was_tried(
        tmp_path: Path) -> None:
    """`startsrc -g nfs` answers 0 but nfs stays down (the lab's fault answers for it), so
    the boot after the restarts goes unanswered too."""
    seed = _stalled(tmp_path, {"lpar": "node01", "install": "boot-services"},
                    {"command": "startsrc", "args": "nfs", "exit": 0})
    applied = seed.apply("--remediate", "boot-services")
    assert applied.exit_code == 1, applied.output
    assert "node01: after the boot-services remedy and a new boot: install made no progress" \
        in applied.output
    assert "if restarting them (`stopsrc -s inetd; startsrc -s inetd`" in applied.output
    assert "apply again with `--remediate" not in applied.output  # it was given
    assert _sent(seed, "rnetboot") == 2  # the plan's boot and one more, never a third
    assert _sent(seed, "stopsrc") == 3
    assert "Traceback" not in applied.output


def test_a_failing_restart_leaves_the_node_failed_with_the_commands_answer(
        tmp_path: Path) -> None:
    seed = _stalled(tmp_path, {"lpar": "node01", "install": "boot-services"},
                    {"command": "startsrc", "args": "tftp", "exit": 1,
                     "stderr": "0513-053 The System Resource Controller is experiencing "
                               "problems."})
    applied = seed.apply("--remediate", "boot-services")
    assert applied.exit_code == 1, applied.output
    assert "the boot-services remedy failed: `LC_ALL=C startsrc -t tftp` exited 1: 0513-053" \
        in applied.output
    assert _sent(seed, "stopsrc -g nfs") == 0  # stopped at the failing command
    assert _sent(seed, "rnetboot") == 1
    ended, = _events(seed, "remedy.end")
    assert ended["ok"] is False


def test_a_protected_lpar_is_never_booted_again(tmp_path: Path) -> None:
    """As under `driver: nim`: `protect: true` forbids a power-cycle, and booting an LPAR again
    is one, so its wait is not marked for the remedy (its first install, from off, is allowed)."""
    seed = _stalled(tmp_path, {"lpar": "node01", "install": "boot-services"})
    seed.set_lpar("node01", protect=True)
    applied = seed.apply("--remediate", "boot-services")
    assert applied.exit_code == 1, applied.output
    assert "node01: install made no progress" in applied.output
    assert _sent(seed, "rnetboot") == 1 and _sent(seed, "stopsrc") == 0
    assert _events(seed, "remedy.start") == []
    assert XCAT.booted(seed, "node02")  # its own wait, marked, installed it


def test_nodes_booted_together_are_booted_again_together(tmp_path: Path) -> None:
    """node01 and node02 share the plan's `rnetboot 'node[01-02]'`: after the restarts, one
    noderange command boots both again (not one command per node), then both install."""
    seed = _stalled(tmp_path, {"lpar": "node01", "install": "boot-services"},
                    {"lpar": "node02", "install": "boot-services"})
    applied = seed.apply("--remediate", "boot-services")
    assert applied.exit_code == 0, applied.output
    boots = [r["command"] for r in _events(seed, "command") if " rnetboot " in r["command"]]
    assert boots == ["LC_ALL=C rnetboot 'node[01-02]'"] * 2
    started, = _events(seed, "remedy.start")
    assert started["nodes"] == ["node01", "node02"]
    assert _sent(seed, "stopsrc") == 3
    assert XCAT.booted(seed, "node01") and XCAT.booted(seed, "node02")


def test_an_unreachable_install_server_fails_the_remedy_not_the_wait(tmp_path: Path) -> None:
    """sn1 refuses the connection for the first restart (the lab's `refuse` fault, after every
    retry): node03 fails with that answer, and the nodes its wait did install stay installed
    (node04, served by sn1 too) instead of the whole wait failing on the transport error."""
    seed = Scenario(tmp_path, {"scale": 9000}, [
        {"lpar": "node03", "install": "boot-services"},
        {"host": "sn1", "command": "stopsrc", "refuse": True}],
        lab_name="xcat-sn-lab.yaml", spec_name="xcat-sn.yaml")
    seed.write_spec(site={**seed.spec_data.get("site", {}), "timeouts": {"install_stall": 1200}})
    applied = seed.apply("--remediate", "boot-services")
    assert applied.exit_code == 1, applied.output
    assert "the boot-services remedy failed: `LC_ALL=C stopsrc -s inetd` was not answered" \
        in applied.output
    assert "wait-install node03: FAILED" in applied.output  # node04's install stands
    ended, = _events(seed, "remedy.end")
    assert ended["ok"] is False
    assert "Traceback" not in applied.output
    assert seed.plan("--target", "lpar.node04", "--detailed-exitcode").exit_code == 0
