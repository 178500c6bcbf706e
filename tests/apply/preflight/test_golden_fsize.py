"""The golden node's root file size limit under the xCAT driver (issue 15 item 2), through the
real CLI on the seed lab. The runbook: root's limit may need `chuser fsize=-1 root` on the
master and on the golden node, since mknimimage's `nim -o define -t mksysb -a mk_image=yes -a
source=NODE` (xCAT 2.9.2 aixinstall.pm line 5474) runs mksysb on that node (IBM AIX "Defining
a mksysb resource"). The management node reads it with `xdsh NODE lsuser -a fsize root`, each
line labelled `NODE: ` (xCAT 2.9.2 xdsh.1.pod "COMMAND OUTPUT", DSHCLI.pm lines 1415/1544);
fsize counts 512-byte blocks (IBM AIX "limits File"). The NIM driver has no shell on its
clients, so only this driver checks it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.apply.helpers import Scenario, aix_default_limits

GOLDEN = "node27"
READ = f"LC_ALL=C xdsh {GOLDEN} lsuser -a fsize root"
FIX = f"LC_ALL=C xdsh {GOLDEN} chuser fsize=-1 root"


@pytest.fixture
def seed(tmp_path: Path) -> Scenario:
    return Scenario(tmp_path)


def _golden_fsize(seed: Scenario) -> str:
    status, out, _ = seed.mn(f"xdsh {GOLDEN} lsuser -a fsize root")
    assert status == 0 and out.startswith(f"{GOLDEN}: root ")
    return out.split("fsize=", 1)[1].strip()


def _small_golden_limit(seed: Scenario) -> None:
    """AIX's shipped default for root on the golden node (the lab's node is unlimited)."""
    assert seed.mn(f"xdsh {GOLDEN} chuser fsize=2097151 root")[0] == 0
    assert _golden_fsize(seed) == "2097151"


def _sent(journal: Path) -> list[str]:
    records = [json.loads(line) for line in journal.read_text().splitlines()]
    return [r["command"] for r in records if r.get("event") == "command"]


def _fix_fsize(seed: Scenario) -> None:
    seed.write_spec(site={**seed.spec_data.get("site", {}), "preflight": {"fix_fsize": True}})


def test_a_small_golden_fsize_fails_plan_and_apply_naming_the_fix(seed: Scenario) -> None:
    _small_golden_limit(seed)
    before = seed.mn("lsnim -l")[1]
    result = seed.plan()
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"golden node {GOLDEN} is fsize=2097151" in result.output
    assert f"run `xdsh {GOLDEN} chuser fsize=-1 root` on xcataixmn" in result.output
    assert "osimage.610sysb" in result.output and "site.preflight.fix_fsize" in result.output
    applied = seed.apply()
    assert applied.exit_code == 1 and f"golden node {GOLDEN}" in applied.output
    assert seed.mn("lsnim -l")[1] == before
    assert "610sysb" not in seed.mn("lsdef -t osimage")[1]
    assert _golden_fsize(seed) == "2097151"


def test_fix_fsize_runs_xdsh_chuser_before_mknimimage_and_converges(seed: Scenario) -> None:
    _small_golden_limit(seed)
    _fix_fsize(seed)
    result = seed.plan("--format", "json")
    assert result.exit_code == 0, result.output
    actions = json.loads(result.stdout)["actions"]
    fix = next(a for a in actions if a["command"] == FIX)
    image = next(a for a in actions if a["kind"] == "mknimimage")
    assert fix["kind"] == "chuser" and fix["host"] == seed.master
    assert fix["id"] in image["depends_on"]
    assert not any(a["command"] == "LC_ALL=C chuser fsize=-1 root" for a in actions)
    applied = seed.apply()
    assert applied.exit_code == 0, applied.output
    assert _golden_fsize(seed) == "-1"
    again = seed.plan("--detailed-exitcode")
    assert again.exit_code == 0, again.output


def test_master_and_golden_limits_are_each_lifted_before_the_mksysb(seed: Scenario) -> None:
    aix_default_limits(seed, seed.master)
    _small_golden_limit(seed)
    _fix_fsize(seed)
    result = seed.plan("--format", "json")
    assert result.exit_code == 0, result.output
    actions = json.loads(result.stdout)["actions"]
    image = next(a for a in actions if a["kind"] == "mknimimage")
    fixes = [a for a in actions if a["kind"] == "chuser"]
    assert sorted(a["command"] for a in fixes) == ["LC_ALL=C chuser fsize=-1 root", FIX]
    assert all(a["id"] in image["depends_on"] for a in fixes)


def test_the_golden_node_is_read_once_and_only_while_its_image_is_to_be_made(
        seed: Scenario) -> None:
    applied = seed.apply()
    assert applied.exit_code == 0, applied.output
    [first] = seed.journals()
    assert _sent(first).count(READ) == 1
    again = seed.apply()
    assert again.exit_code == 0, again.output
    [second] = set(seed.journals()) - {first}
    sent = _sent(second)
    assert "LC_ALL=C lsuser -a fsize root" in sent
    assert not any("xdsh" in command for command in sent)


def test_skip_preflight_reads_nothing_on_the_golden_node(seed: Scenario) -> None:
    _small_golden_limit(seed)
    applied = seed.apply("--skip-preflight")
    assert applied.exit_code == 0, applied.output
    [journal] = seed.journals()
    assert not any("xdsh" in command for command in _sent(journal))


def test_a_golden_node_xdsh_cannot_reach_stops_the_plan_with_xdsh_s_words(
        seed: Scenario) -> None:
    off = seed.lab.execute("hmc01", "chsysstate -r lpar -m Server-9117-MMA-SN10F6F3D -o "
                           f"shutdown --immed -n {GOLDEN}")
    assert off.exit_status == 0
    result = seed.plan()
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"xdsh {GOLDEN} lsuser -a fsize root" in result.output
    assert "Connection timed out" in result.output


def test_a_golden_node_xcat_does_not_define_is_noted_not_read(seed: Scenario) -> None:
    """xdsh's noderange is xCAT's: a NIM client xCAT has no node for cannot be reached."""
    assert seed.mn(f"rmdef -t node -o {GOLDEN}")[0] == 0
    result = seed.plan()
    assert result.exit_code == 0, result.output
    assert (f"root's file size limit on golden node {GOLDEN} is not checked: xCAT defines no "
            f"node {GOLDEN}") in result.output
    applied = seed.apply()
    assert applied.exit_code == 0, applied.output
    [journal] = seed.journals()
    assert not any("xdsh" in command for command in _sent(journal))
