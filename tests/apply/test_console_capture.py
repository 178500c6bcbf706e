"""Console capture (issue 15 item 4): a failed or stalled install's error, and the journal, carry
the last lines the node's console printed, through the real CLI against the lab.

xCAT driver: conserver logs each console to /var/log/consoles/NODE on the management node
(xCAT 2.9.2 conserver.pm `docfheaders`: `logfile /var/log/consoles/&`), read with `tail -n 40`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.apply.helpers import Scenario
from tests.drivers import NIM


def _run_end(seed: Scenario) -> dict[str, Any]:
    records = [json.loads(line) for line in seed.journals()[-1].read_text().splitlines()]
    return next(r for r in records if r["event"] == "run.end")


def test_a_failed_install_names_the_last_console_lines(tmp_path: Path) -> None:
    seed = Scenario(tmp_path, faults=[{"lpar": "node01", "install": "error"}])
    applied = seed.apply()
    assert applied.exit_code == 1, applied.output
    assert "last console lines (/var/log/consoles/node01):" in applied.output
    assert "    Installing Base Operating System" in applied.output
    assert "    Installation failed." in applied.output
    assert "/var/log/consoles/node02" not in applied.output  # node02 installed: nothing read
    failed = _run_end(seed)["failed"]
    assert any("Installation failed." in f["output"] for f in failed)


@pytest.mark.slow  # a real-time wait: about 1 s of a limit running out
def test_a_stalled_install_names_the_console_lines_up_to_where_it_stopped(tmp_path: Path) -> None:
    seed = Scenario(tmp_path, clock={"scale": 600})
    seed.write_spec(site={**seed.spec_data["site"], "timeouts": {"install_stall": 1}})
    applied = seed.apply()
    assert applied.exit_code == 1, applied.output
    assert "install made no progress for 1 s" in applied.output
    assert "last console lines (/var/log/consoles/node0" in applied.output
    assert "    BOOTP: client IP = 9.114.113.23" in applied.output


def test_the_lab_console_log_follows_the_install(tmp_path: Path) -> None:
    seed = Scenario(tmp_path)
    assert seed.mn("tail -n 40 /var/log/consoles/node02")[0] == 2  # no console configured yet
    assert seed.apply().exit_code == 0
    status, out, _ = seed.mn("tail -n 3 /var/log/consoles/node02")
    assert status == 0 and out.splitlines()[-1] == "Console login: node02 login:"
    assert len(out.splitlines()) == 3


def test_the_nim_driver_names_the_partitions_last_reference_codes(tmp_path: Path) -> None:
    """NIM driver: the HMC's virtual terminal is interactive only (mkvterm), so the capture is
    the partition's reference-code history the HMC keeps (IBM HMC lsrefcode `-n`): no terminal
    is opened, none is left open."""
    seed = NIM.scenario(tmp_path, faults=[{"lpar": "node01", "install": "error"}])
    applied = seed.apply()
    assert applied.exit_code == 1, applied.output
    assert "last reference codes on the HMC (lsrefcode -n 10):" in applied.output
    assert "  0623" in applied.output  # the BOS install's fatal error code, the last one shown
    sent = " ".join(seed.lab.command_counts())
    assert "mkvterm" not in sent
    assert "lsrefcode -r lpar -m Server-9117-MMA-SN10F6F3D --filter lpar_names=node01 -n 10" in sent
