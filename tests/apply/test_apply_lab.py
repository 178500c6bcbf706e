"""Apply against the lab: the seed scenario end to end, cleanup, faults, the lock, secrets.

The tests that take `case` run once per driver (tests/drivers.py): the xCAT seed scenario and
the NIM driver's nim-cluster.yaml on nim-lab.yaml, the same LPARs node01/node02 cloned from a
mksysb of node27; what differs between the two paths is data keyed by the driver's name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.apply.helpers import PASSWORD
from tests.drivers import DriverCase, both
from xclone.apply import lock as locks
from xclone.base.command import Command
from xclone.sim.faults import Fault
from xclone.transport.sim import SimTransport

COMPLETE = {
    "xcat": "Apply complete: 7 added, 1 changed, 0 reinstalled, 0 destroyed. Actions: 14 done, "
            "0 failed",
    "nim": "Apply complete: 3 added, 0 changed, 0 reinstalled, 0 destroyed. Actions: 20 done, "
           "0 failed",
}


@pytest.mark.parametrize("case", both())
def test_seed_scenario_converges_and_the_next_plan_is_empty(case: DriverCase,
                                                            tmp_path: Path) -> None:
    seed = case.scenario(tmp_path)
    assert seed.plan("--detailed-exitcode").exit_code == 2
    result = seed.apply()
    assert result.exit_code == 0, result.output
    assert COMPLETE[case.name] in result.output
    for node in ("node01", "node02"):
        case.assert_installed(seed, node)
    again = seed.plan("--detailed-exitcode")
    assert again.exit_code == 0, again.output
    assert "No changes" in again.output


# Per driver: the first command removing node01, the image resources xclone made (removed with
# the osimage), the NIM objects it did not make (kept).
REMOVAL = {
    "xcat": ("xcat2nim -t node -r -f node01", ("610sysb_mksysb", "610sysb_bosinst_data"),
             ("610spot", "my_resolv_conf")),
    "nim": ("nim -Fo reset node01", ("610sysb_mksysb", "610sysb_bid", "610sysb_spot"),
            ("node27", "master_net")),
}


@pytest.mark.parametrize("case", both())
def test_absent_lpar_then_osimage_removal(case: DriverCase, tmp_path: Path) -> None:
    seed = case.scenario(tmp_path)
    assert seed.converge().exit_code == 0
    seed.set_lpar("node02", state="absent")
    result = seed.apply()
    assert result.exit_code == 0, result.output
    if case.name == "xcat":
        assert seed.mn("lsdef node02")[0] == 1
    else:
        assert "9.114.113.231" not in seed.mn("cat /etc/hosts")[1]
    assert seed.mn("lsnim -l node02")[0] != 0
    assert case.booted(seed, "node01")
    for name in ("node01", "node02"):
        seed.set_lpar(name, state="absent")
    seed.spec_data["lpar_defaults"].pop("osimage")
    seed.write_spec(osimages={})
    result = seed.apply()
    assert result.exit_code == 0, result.output
    out = result.output
    first, gone, kept = REMOVAL[case.name]
    assert out.index(first) < out.index("nim -o remove 610sysb_mksysb")
    nim = seed.mn("lsnim")[1]
    assert all(name not in nim for name in gone)
    assert all(name in nim for name in kept)
    assert case.no_image(seed)


# Per driver: a hardware command failing once the way its HMC link fails (worth a retry). The
# NIM driver's lpar_netboot prints xCAT's port's console texts (xCAT 2.9.2 LparNetbootExp.pm:
# "Timeout when openning console", "Cannot connect to the NODE"), before touching the LPAR.
FAILING_ONCE = {
    "xcat": {"command": "getmacs", "times": 1, "exit": 2,
             "stdout": "node01: Timeout waiting for prompt\n", "stderr": ""},
    "nim": {"command": "lpar_netboot", "args": "node01", "times": 1, "exit": 1,
            "stdout": "Timeout when openning console\nCannot connect to the node01\n",
            "stderr": ""},
}


@pytest.mark.parametrize("case", both())
def test_getmacs_failing_once_is_retried(case: DriverCase, tmp_path: Path) -> None:
    seed = case.scenario(tmp_path, faults=[FAILING_ONCE[case.name]])
    result = seed.apply()
    assert result.exit_code == 0, result.output
    assert "retrying" in result.output
    assert seed.plan("--detailed-exitcode").exit_code == 0


@pytest.mark.parametrize("case", both())
def test_failed_install_stops_its_branch_and_a_rerun_converges(case: DriverCase,
                                                               tmp_path: Path) -> None:
    seed = case.scenario(tmp_path)
    seed.lab.add_fault(Fault(lpar="node01", install="error"))
    result = seed.apply()
    assert result.exit_code == 1, result.output
    assert "install failed" in result.output
    assert case.booted(seed, "node02")
    assert not case.booted(seed, "node01")
    seed.lab.clear_faults()
    assert seed.apply().exit_code == 0
    assert seed.plan("--detailed-exitcode").exit_code == 0


# Per driver: the hardware command held past site.timeouts.power, and the site keys besides.
HUNG = {"xcat": ("getmacs", {"ppctimeout": 180}), "nim": ("lpar_netboot", {})}


@pytest.mark.slow  # a real-time wait: about 1 s of a limit running out
@pytest.mark.parametrize("case", both())
def test_a_hung_command_hits_its_timeout(case: DriverCase, tmp_path: Path) -> None:
    program, site = HUNG[case.name]
    seed = case.scenario(tmp_path, faults=[{"command": program, "hang": 30}])
    seed.write_spec(site={**site, "timeouts": {"power": 1}})
    result = seed.apply()
    assert result.exit_code == 1
    assert "timed out" in result.output


@pytest.mark.parametrize("case", both())
def test_a_second_apply_is_refused_while_the_lock_is_held(case: DriverCase,
                                                          tmp_path: Path) -> None:
    seed = case.scenario(tmp_path)
    transport = SimTransport(seed.lab)
    held = locks.acquire(transport, seed.master, "clustersite", "sha256:other")
    # the holder is another machine's apply, so it is never taken over as a dead local one
    holder = {"id": held.id, "who": "alice", "where": "elsewhere", "pid": "1", "when": "now"}
    transport.run(seed.master, Command.of("tee", held.record, stdin=json.dumps(holder)))
    result = seed.apply()
    assert result.exit_code == 1
    assert "locked" in result.output and "alice@elsewhere" in result.output
    if case.name == "xcat":
        assert seed.mn("lsdef -t node")[1].count("(node)") <= 1
    else:
        assert case.undefined(seed, "node01") and case.undefined(seed, "node02")
    unlock = seed.xclone("force-unlock", str(seed.spec_file), held.id, "--lab",
                         str(seed.lab_file))
    assert unlock.exit_code == 0, unlock.output
    assert seed.apply().exit_code == 0


@pytest.mark.parametrize("case", both())
def test_no_secret_in_any_output_log_or_journal(case: DriverCase, tmp_path: Path) -> None:
    """xCAT gets the HMC password in the HMC node's stanza (masked in the journal); with
    `netboot: hmc` the NIM driver sends it nowhere but the HMC's SSH login."""
    seed = case.scenario(tmp_path)
    result = seed.xclone("--log-format", "json", "-vv", "apply", str(seed.spec_file), "--lab",
                         str(seed.lab_file), "--auto-approve")
    assert result.exit_code == 0
    plan = seed.plan("--format", "json")
    texts = [result.output, plan.output, *(p.read_text() for p in seed.journals())]
    assert all(PASSWORD not in text for text in texts)
    if case.name == "xcat":
        assert "password=***" in seed.journals()[0].read_text()
    else:
        assert "***" not in seed.journals()[0].read_text()
        assert all(PASSWORD not in line for line in seed.lab.command_counts())


@pytest.mark.parametrize("case", both())
def test_runs_lists_the_journal(case: DriverCase, tmp_path: Path) -> None:
    seed = case.scenario(tmp_path)
    assert seed.converge().exit_code == 0
    listed = seed.xclone("runs")
    assert listed.exit_code == 0 and "ok" in listed.output and ".jsonl" in listed.output


@pytest.mark.parametrize("case", both())
def test_a_saved_plan_applies_and_a_stale_one_is_refused(case: DriverCase,
                                                         tmp_path: Path) -> None:
    seed = case.scenario(tmp_path)
    planfile = seed.dir / "seed.plan"
    saved = seed.plan("-o", str(planfile))
    assert saved.exit_code == 0 and planfile.exists()
    shown = seed.xclone("show", str(planfile), "--format", "json")
    assert shown.exit_code == 0 and '"format_version": 1' in shown.output
    seed.set_lpar("node01", postscripts=["foo"])
    stale = seed.xclone("apply", str(planfile), "--lab", str(seed.lab_file))
    assert stale.exit_code == 1
    assert "stale" in stale.output and "the spec changed" in stale.output
    assert case.undefined(seed, "node01")
    seed.set_lpar("node01", postscripts=["foo", "bar"])
    applied = seed.xclone("apply", str(planfile), "--lab", str(seed.lab_file))
    assert applied.exit_code == 0, applied.output


@pytest.mark.parametrize("case", both())
def test_apply_without_a_terminal_needs_auto_approve(case: DriverCase, tmp_path: Path) -> None:
    seed = case.scenario(tmp_path)
    result = seed.xclone("apply", str(seed.spec_file), "--lab", str(seed.lab_file))
    assert result.exit_code == 1
    assert "--auto-approve" in result.output
    assert case.no_image(seed)


# Per driver: the program and argument that make the golden image, and that action's id (no
# NIM network action comes first: the lab's master_net already holds net1).
IMAGE_ACTION = {"xcat": ("mknimimage", "", "005"), "nim": ("nim", "-t mksysb", "001")}


@pytest.mark.parametrize("case", both())
def test_the_journal_records_observation_lock_and_commands(case: DriverCase,
                                                           tmp_path: Path) -> None:
    seed = case.scenario(tmp_path)
    assert seed.converge().exit_code == 0
    records = [json.loads(line) for line in seed.journals()[0].read_text().splitlines()]
    commands = [r for r in records if r["event"] == "command"]
    assert {"lock", "observe", "001"} <= {r["action"] for r in commands}
    program, argument, action = IMAGE_ACTION[case.name]
    image = [r for r in commands if program in r["command"] and argument in r["command"]]
    assert [r["action"] for r in image] == [action]  # no NIM network on a configured master
    assert records[-1]["event"] == "run.end" and records[-1]["ok"] is True


PLANNED = {"xcat": "Plan: 7 to add, 1 to change, 0 to reinstall, 0 to destroy.",
           "nim": "Plan: 3 to add, 0 to change, 0 to reinstall, 0 to destroy."}


@pytest.mark.parametrize("case", both())
def test_the_lab_plan_json_validates_against_the_schema(case: DriverCase,
                                                        tmp_path: Path) -> None:
    import jsonschema

    seed = case.scenario(tmp_path)
    schema = json.loads((Path(__file__).parents[2] / "schemas" / "plan.schema.json").read_text())
    document = json.loads(seed.plan("--format", "json").stdout)
    jsonschema.Draft202012Validator(schema).validate(document)
    assert document["summary"]["text"] == PLANNED[case.name]


# Per driver: the destroy plan's summary, where node01's objects live, the NIM objects kept.
DESTROYED = {
    "xcat": ("0 to add, 0 to change, 0 to reinstall, 7 to destroy", "in xCAT and NIM only",
             ("node27", "610spot", "my_resolv_conf")),
    "nim": ("0 to add, 0 to change, 0 to reinstall, 3 to destroy", "in NIM only",
            ("node27", "master_net")),
}


@pytest.mark.parametrize("case", both())
def test_destroy_removes_what_the_spec_manages_and_keeps_the_rest(case: DriverCase,
                                                                  tmp_path: Path) -> None:
    seed = case.scenario(tmp_path)
    summary, where, kept = DESTROYED[case.name]
    assert seed.converge().exit_code == 0
    refused = seed.xclone("destroy", str(seed.spec_file), "--lab", str(seed.lab_file))
    assert refused.exit_code == 1 and "--auto-approve" in refused.output
    result = seed.xclone("destroy", str(seed.spec_file), "--lab", str(seed.lab_file),
                         "--auto-approve")
    assert result.exit_code == 0, result.output
    assert summary in result.output
    assert "WARNING: destroy removes every object" in result.output
    assert (f"lpar.node01 will be destroyed {where}, the partition stays "
            "(xclone destroy)") in result.output
    if case.name == "xcat":
        nodes = seed.mn("lsdef -t node")[1]
        assert "node01" not in nodes and "hmc01" not in nodes and "node27" in nodes
    else:
        assert "9.114.113.230" not in seed.mn("cat /etc/hosts")[1]
    nim = seed.mn("lsnim")[1]
    assert "node01" not in nim and "610sysb_mksysb" not in nim
    assert all(name in nim for name in kept)
    assert seed.plan("--detailed-exitcode").exit_code == 2


@pytest.mark.parametrize("case", both())
def test_a_missing_secret_stops_apply_before_any_change(case: DriverCase,
                                                        tmp_path: Path) -> None:
    seed = case.scenario(tmp_path)
    seed.write_spec(hmcs={"hmc01": {"host": "hmc01.cluster.com",
                                    "password": {"env": "XCLONE_TEST_UNSET_PASSWORD"}}})
    result = seed.apply()
    assert result.exit_code == 1
    assert "env:XCLONE_TEST_UNSET_PASSWORD" in result.output and "Traceback" not in result.output
    if case.name == "xcat":
        assert seed.mn("lsdef -t site -i ppctimeout")[1].count("ppctimeout=180") == 0
    else:
        assert case.no_image(seed) and case.undefined(seed, "node01")


_LPAR_NETBOOT = ("lpar_netboot -f -t ent -m {mac} -s auto -d auto -S 9.114.113.225 "
                 "-G 9.114.113.254 -C {ip} -K 255.255.255.224 {lpar} {profile} "
                 "Server-9117-MMA-SN10F6F3D")
# xCAT boots both LPARs with one noderange command (its lpar_netboot port runs on the management
# node); the NIM driver runs the HMC's lpar_netboot once per LPAR, with no env prefix (the HMC's
# restricted shell takes none).
NETBOOTS = {
    "xcat": ["LC_ALL=C rnetboot 'node[01-02]'"],
    "nim": [_LPAR_NETBOOT.format(mac="fef9dfa81e02", ip="9.114.113.230", lpar="node01",
                                 profile="lpar9"),
            _LPAR_NETBOOT.format(mac="fef9dfb7c609", ip="9.114.113.231", lpar="node02",
                                 profile="lpar6")],
}


@pytest.mark.parametrize("case", both())
def test_a_batch_failing_for_one_node_stops_only_that_nodes_branch(case: DriverCase,
                                                                   tmp_path: Path) -> None:
    seed = case.scenario(tmp_path)
    seed.set_lpar("node02", mac="fef9dfb7c609")  # not node02's adapter: lpar_netboot fails
    result = seed.apply()
    assert result.exit_code == 1, result.output
    assert "can not find mac address fef9dfb7c609" in result.output
    assert "wait-install node01: started" in result.output
    assert case.booted(seed, "node01")
    assert not case.booted(seed, "node02")
    commands = [json.loads(line) for line in seed.journals()[0].read_text().splitlines()]
    netboots = [c["command"] for c in commands if case.netboot in c.get("command", "")]
    assert sorted(netboots) == NETBOOTS[case.name]


@pytest.mark.parametrize("case", both())
def test_a_managed_system_without_connection_is_reported_not_probed(case: DriverCase,
                                                                    tmp_path: Path) -> None:
    seed = case.scenario(tmp_path)
    lab = yaml.safe_load(seed.lab_file.read_text(encoding="utf-8"))
    for system in lab["hmcs"]["hmc01"]["systems"].values():
        system["state"] = "No Connection"
    seed.lab_file.write_text(yaml.safe_dump(lab, sort_keys=False), encoding="utf-8")
    result = seed.plan()
    assert result.exit_code == 1
    assert "is 'No Connection' on HMC hmc01" in result.output
    assert "HSCL" not in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("case", both())
def test_defined_lpars_with_and_without_a_mac_get_their_nim_machines(case: DriverCase,
                                                                     tmp_path: Path) -> None:
    """`state: defined` boots nothing, yet xcat2nim's machine carries `if1='NET HOST MAC ent'`
    and NIM resolves that hostname (xcat2nim.pm mkclientdef at 2.9.2_aix_release), so node02,
    whose MAC the spec gives, gets its /etc/hosts line before xcat2nim like node01 does. The
    NIM driver defines the same machines itself (node01's MAC read from lshwres)."""
    seed = case.scenario(tmp_path)
    seed.set_lpar("node01", state="defined")
    seed.set_lpar("node02", state="defined")
    applied = seed.apply()
    assert applied.exit_code == 0, applied.output
    for node in ("node01", "node02"):
        status, out, _ = seed.mn(f"lsnim -l {node}")
        assert status == 0 and "if1" in out, out
    assert seed.plan("--detailed-exitcode").exit_code == 0
