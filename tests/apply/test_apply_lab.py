"""Apply against the lab: the seed scenario end to end, cleanup, faults, the lock, secrets."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from tests.apply.helpers import PASSWORD, Scenario
from xclone.apply import lock as locks
from xclone.base.command import Command
from xclone.sim.faults import Fault
from xclone.transport.sim import SimTransport


@pytest.fixture
def seed(tmp_path: Path) -> Scenario:
    return Scenario(tmp_path)


def test_seed_scenario_converges_and_the_next_plan_is_empty(seed: Scenario) -> None:
    assert seed.plan("--detailed-exitcode").exit_code == 2
    result = seed.apply()
    assert result.exit_code == 0, result.output
    assert "Apply complete: 7 added, 1 changed, 0 reinstalled, 0 destroyed. Actions: 14 done, 0 failed" \
        in result.output
    for node in ("node01", "node02"):
        status, out, _ = seed.mn(f"lsnim -l {node}")
        assert status == 0
        assert re.search(r"^   Cstate_result +\= success$", out, re.MULTILINE), out
        status, out, _ = seed.mn(f"lsdef {node}")
        assert "status=booted" in out and "provmethod=610sysb" in out
    again = seed.plan("--detailed-exitcode")
    assert again.exit_code == 0, again.output
    assert "No changes" in again.output


def test_absent_lpar_then_osimage_removal(seed: Scenario) -> None:
    assert seed.apply().exit_code == 0
    seed.set_lpar("node02", state="absent")
    result = seed.apply()
    assert result.exit_code == 0, result.output
    assert seed.mn("lsdef node02")[0] == 1
    assert seed.mn("lsnim -l node02")[0] != 0
    assert "status=booted" in seed.mn("lsdef node01")[1]
    for name in ("node01", "node02"):
        seed.set_lpar(name, state="absent")
    seed.spec_data["lpar_defaults"].pop("osimage")
    seed.write_spec(osimages={})
    result = seed.apply()
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.index("xcat2nim -t node -r -f node01") < out.index("nim -o remove 610sysb_mksysb")
    nim = seed.mn("lsnim")[1]
    assert "610sysb_mksysb" not in nim and "610sysb_bosinst_data" not in nim
    assert "610spot" in nim and "my_resolv_conf" in nim
    assert seed.mn("lsdef -t osimage -o 610sysb")[0] == 1


def test_getmacs_failing_once_is_retried(tmp_path: Path) -> None:
    seed = Scenario(tmp_path, faults=[{
        "command": "getmacs", "times": 1, "exit": 2,
        "stdout": "node01: Timeout waiting for prompt\n", "stderr": ""}])
    result = seed.apply()
    assert result.exit_code == 0, result.output
    assert "retrying" in result.output
    assert seed.plan("--detailed-exitcode").exit_code == 0


def test_failed_install_stops_its_branch_and_a_rerun_converges(seed: Scenario) -> None:
    seed.lab.add_fault(Fault(lpar="node01", install="error"))
    result = seed.apply()
    assert result.exit_code == 1, result.output
    assert "install failed" in result.output
    assert "status=booted" in seed.mn("lsdef node02")[1]
    assert "status=booted" not in seed.mn("lsdef node01")[1]
    seed.lab.clear_faults()
    assert seed.apply().exit_code == 0
    assert seed.plan("--detailed-exitcode").exit_code == 0


def test_a_hung_command_hits_its_timeout(tmp_path: Path) -> None:
    seed = Scenario(tmp_path, faults=[{"command": "getmacs", "hang": 30}])
    seed.write_spec(site={"ppctimeout": 180, "timeouts": {"power": 1}})
    result = seed.apply()
    assert result.exit_code == 1
    assert "timed out" in result.output


def test_a_second_apply_is_refused_while_the_lock_is_held(seed: Scenario) -> None:
    transport = SimTransport(seed.lab)
    held = locks.acquire(transport, "xcataixmn", "clustersite", "sha256:other")
    # the holder is another machine's apply, so it is never taken over as a dead local one
    holder = {"id": held.id, "who": "alice", "where": "elsewhere", "pid": "1", "when": "now"}
    transport.run("xcataixmn", Command.of("tee", held.record, stdin=json.dumps(holder)))
    result = seed.apply()
    assert result.exit_code == 1
    assert "locked" in result.output and "alice@elsewhere" in result.output
    assert seed.mn("lsdef -t node")[1].count("(node)") <= 1
    unlock = seed.xclone("force-unlock", str(seed.spec_file), held.id, "--lab",
                         str(seed.lab_file))
    assert unlock.exit_code == 0, unlock.output
    assert seed.apply().exit_code == 0


def test_no_secret_in_any_output_log_or_journal(seed: Scenario) -> None:
    result = seed.xclone("--log-format", "json", "-vv", "apply", str(seed.spec_file), "--lab",
                         str(seed.lab_file), "--auto-approve")
    assert result.exit_code == 0
    plan = seed.plan("--format", "json")
    texts = [result.output, plan.output, *(p.read_text() for p in seed.journals())]
    assert all(PASSWORD not in text for text in texts)
    assert "password=***" in seed.journals()[0].read_text()


def test_runs_lists_the_journal(seed: Scenario) -> None:
    assert seed.apply().exit_code == 0
    listed = seed.xclone("runs")
    assert listed.exit_code == 0 and "ok" in listed.output and ".jsonl" in listed.output


def test_a_saved_plan_applies_and_a_stale_one_is_refused(seed: Scenario) -> None:
    planfile = seed.dir / "seed.plan"
    saved = seed.plan("-o", str(planfile))
    assert saved.exit_code == 0 and planfile.exists()
    shown = seed.xclone("show", str(planfile), "--format", "json")
    assert shown.exit_code == 0 and '"format_version": 1' in shown.output
    seed.set_lpar("node01", postscripts=["foo"])
    stale = seed.xclone("apply", str(planfile), "--lab", str(seed.lab_file))
    assert stale.exit_code == 1
    assert "stale" in stale.output and "the spec changed" in stale.output
    assert seed.mn("lsdef -t node -o node01")[0] == 1
    seed.set_lpar("node01", postscripts=["foo", "bar"])
    applied = seed.xclone("apply", str(planfile), "--lab", str(seed.lab_file))
    assert applied.exit_code == 0, applied.output


def test_apply_without_a_terminal_needs_auto_approve(seed: Scenario) -> None:
    result = seed.xclone("apply", str(seed.spec_file), "--lab", str(seed.lab_file))
    assert result.exit_code == 1
    assert "--auto-approve" in result.output
    assert seed.mn("lsdef -t osimage -o 610sysb")[0] == 1


def test_the_journal_records_observation_lock_and_commands(seed: Scenario) -> None:
    assert seed.apply().exit_code == 0
    records = [json.loads(line) for line in seed.journals()[0].read_text().splitlines()]
    commands = [r for r in records if r["event"] == "command"]
    assert {"lock", "observe", "001"} <= {r["action"] for r in commands}
    mknimimage = [r for r in commands if "mknimimage" in r["command"]]
    assert [r["action"] for r in mknimimage] == ["005"]  # no NIM network on a configured master
    assert records[-1]["event"] == "run.end" and records[-1]["ok"] is True


def test_the_lab_plan_json_validates_against_the_schema(seed: Scenario) -> None:
    import jsonschema

    schema = json.loads((Path(__file__).parents[2] / "schemas" / "plan.schema.json").read_text())
    document = json.loads(seed.plan("--format", "json").output)
    jsonschema.Draft202012Validator(schema).validate(document)
    assert document["summary"]["text"] == "Plan: 7 to add, 1 to change, 0 to reinstall, " \
        "0 to destroy."


def test_destroy_removes_what_the_spec_manages_and_keeps_the_rest(seed: Scenario) -> None:
    assert seed.apply().exit_code == 0
    refused = seed.xclone("destroy", str(seed.spec_file), "--lab", str(seed.lab_file))
    assert refused.exit_code == 1 and "--auto-approve" in refused.output
    result = seed.xclone("destroy", str(seed.spec_file), "--lab", str(seed.lab_file),
                         "--auto-approve")
    assert result.exit_code == 0, result.output
    assert "0 to add, 0 to change, 0 to reinstall, 7 to destroy" in result.output
    assert "WARNING: destroy removes every object" in result.output
    assert ("lpar.node01 will be destroyed in xCAT and NIM only, the partition stays "
            "(xclone destroy)") in result.output
    nodes = seed.mn("lsdef -t node")[1]
    assert "node01" not in nodes and "hmc01" not in nodes and "node27" in nodes
    nim = seed.mn("lsnim")[1]
    assert "node01" not in nim and "610sysb_mksysb" not in nim
    assert all(name in nim for name in ("node27", "610spot", "my_resolv_conf"))
    assert seed.plan("--detailed-exitcode").exit_code == 2


def test_a_missing_secret_stops_apply_before_any_change(seed: Scenario) -> None:
    seed.write_spec(hmcs={"hmc01": {"host": "hmc01.cluster.com",
                                    "password": {"env": "XCLONE_TEST_UNSET_PASSWORD"}}})
    result = seed.apply()
    assert result.exit_code == 1
    assert "env:XCLONE_TEST_UNSET_PASSWORD" in result.output and "Traceback" not in result.output
    assert seed.mn("lsdef -t site -i ppctimeout")[1].count("ppctimeout=180") == 0


def test_a_batch_failing_for_one_node_stops_only_that_nodes_branch(seed: Scenario) -> None:
    seed.set_lpar("node02", mac="fef9dfb7c609")  # not node02's adapter: lpar_netboot fails
    result = seed.apply()
    assert result.exit_code == 1, result.output
    assert "can not find mac address fef9dfb7c609" in result.output
    assert "wait-install node01: started" in result.output
    assert "status=booted" in seed.mn("lsdef node01")[1]
    assert "status=booted" not in seed.mn("lsdef node02")[1]
    commands = [json.loads(line) for line in seed.journals()[0].read_text().splitlines()]
    rnetboots = [c["command"] for c in commands if "rnetboot" in c.get("command", "")]
    assert rnetboots == ["LC_ALL=C rnetboot 'node[01-02]'"]


def test_a_managed_system_without_connection_is_reported_not_probed(tmp_path: Path) -> None:
    seed = Scenario(tmp_path)
    lab = yaml.safe_load(seed.lab_file.read_text(encoding="utf-8"))
    for system in lab["hmcs"]["hmc01"]["systems"].values():
        system["state"] = "No Connection"
    seed.lab_file.write_text(yaml.safe_dump(lab, sort_keys=False), encoding="utf-8")
    result = seed.plan()
    assert result.exit_code == 1
    assert "is 'No Connection' on HMC hmc01" in result.output
    assert "HSCL" not in result.output and "Traceback" not in result.output


def test_defined_lpars_with_and_without_a_mac_get_their_nim_machines(seed: Scenario) -> None:
    """`state: defined` boots nothing, yet xcat2nim's machine carries `if1='NET HOST MAC ent'`
    and NIM resolves that hostname (xcat2nim.pm mkclientdef at 2.9.2_aix_release), so node02,
    whose MAC the spec gives, gets its /etc/hosts line before xcat2nim like node01 does."""
    seed.set_lpar("node01", state="defined")
    seed.set_lpar("node02", state="defined")
    applied = seed.apply()
    assert applied.exit_code == 0, applied.output
    for node in ("node01", "node02"):
        status, out, _ = seed.mn(f"lsnim -l {node}")
        assert status == 0 and "if1" in out, out
    assert seed.plan("--detailed-exitcode").exit_code == 0
