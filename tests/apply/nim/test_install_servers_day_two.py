"""Day-two commands across several NIM masters (issue 17) through the real CLI on the two-master
lab (specs/examples/nim-multi.yaml with nim-multi-lab.yaml): `state list/show` say which
master holds each object, `drift` reads every master's objects, `import SPEC --all` marks each
object on the master holding it.

Sources: IBM AIX "nim Command" (`nim -o change -a comments=...`, the free text the mark lives
in; `lsnim -l` lists one master's own objects); docs/formats.md "NIM"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.apply.helpers import Scenario
from tests.apply.nim.test_install_servers import PAIR

MARK = "xclone:clustersite"


@pytest.fixture
def applied(tmp_path: Path) -> Scenario:
    seed = Scenario(tmp_path, **PAIR)
    result = seed.converge()
    assert result.exit_code == 0, result.output
    return seed


def _run(seed: Scenario, host: str, command: str) -> str:
    result = seed.lab.execute(host, command)
    assert result.exit_status == 0, result.stdout + result.stderr
    return result.stdout


def _lab(seed: Scenario, *args: str, stdout: bool = False) -> tuple[int, str]:
    """The exit code and what a terminal shows, or only stdout (to parse: the lab's state
    folder line is on stderr)."""
    result = seed.xclone(*args, str(seed.spec_file), "--lab", str(seed.lab_file))
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout if stdout else result.output


def test_state_list_says_which_master_holds_each_object(applied: Scenario) -> None:
    code, out = _lab(applied, "state", "list")
    assert code == 0, out
    rows = {line.split()[0]: line.split(None, 2)[1:] for line in out.splitlines()
            if line.strip() and not line.startswith(" ")}
    assert rows["lpar.node01"][0] == "nimmaster" and rows["lpar.node02"][0] == "nimmaster"
    assert rows["lpar.node03"][0] == "nim2" and rows["lpar.node04"][0] == "nim2"
    # The image is on both: the primary's backup and nim2's copy, each piece naming its master.
    hosts, where = rows["osimage.610sysb"]
    assert hosts == "nim2,nimmaster"
    assert "nimmaster: NIM resources/mksysb 610sysb_mksysb" in where
    assert "nim2: NIM resources/mksysb 610sysb_mksysb" in where
    assert "5 resources carry the xclone:clustersite mark." in out
    code, shown = _lab(applied, "state", "list", "-f", "json", stdout=True)
    rows_json = {r["address"]: {p["host"] for p in r["pieces"]}
                 for r in json.loads(shown)["managed"]}
    assert rows_json["lpar.node03"] == {"nim2"}
    assert rows_json["osimage.610sysb"] == {"nim2", "nimmaster"}
    result = applied.xclone("state", "show", str(applied.spec_file), "lpar.node04", "--lab",
                            str(applied.lab_file))
    assert result.exit_code == 0, result.output
    assert "NIM machines/standalone node04 on nim2:" in result.output
    assert "if1 = master_net node04 fef9dfc10402" in result.output


def test_a_change_by_hand_on_another_master_is_surprising_drift(applied: Scenario) -> None:
    code, out = _lab(applied, "drift")
    assert code == 0, out
    _run(applied, "nim2", "nim -o change -a if1='master_net node03 fef9dfc10399 ent' node03")
    _run(applied, "nim2", "nim -o remove 610sysb_bid")
    code, out = _lab(applied, "drift", "-f", "json", stdout=True)
    assert code == 2, out
    report = json.loads(out)
    assert report["expected_drift_table"] is True
    found = {(f["address"], f["attribute"]): f for f in report["findings"]}
    hand = found[("lpar.node03", "if1")]
    assert hand["class"] == "surprising"
    assert hand["observed"] == "master_net node03 fef9dfc10399 ent"
    # nim2's copy of the image lost its bosinst_data: drift at that copy's own address.
    assert found[("osimage.610sysb@nim2", None)]["class"] == "surprising"
    assert not any(a in {"lpar.node01", "lpar.node02", "osimage.610sysb"} for a, _ in found)


def test_import_all_marks_each_object_on_the_master_holding_it(applied: Scenario) -> None:
    """The applied cluster with every mark removed by hand (as if built with the NIM procedure
    on each master): `import --all` marks the primary's objects there and nim2's on nim2, and
    the plan is empty afterwards."""
    for host in ("nimmaster", "nim2"):
        names = [line.split(":", 1)[0] for line in _run(applied, host, "lsnim -l").splitlines()
                 if line and not line[0].isspace()]
        for name in names:
            _run(applied, host, f"nim -o change -a comments= {name}")
    code, out = _lab(applied, "plan")
    assert code == 1 and "lpar.node03: on install server nim2: NIM standalone 'node03' " \
        "already exists and is not managed by xclone" in out
    before = applied.lab.command_counts()
    code, out = _lab(applied, "import", "--all", "--auto-approve")
    assert code == 0, out
    assert "xclone will mark 10 objects as managed by cluster clustersite" in out
    assert "lpar.node03: NIM machines node03 on nim2: comments '' -> 'xclone:clustersite'" in out
    assert "on nim2: network.net2: uses NIM network master_net as it is" in out
    marks = {k: n - before.get(k, 0) for k, n in applied.lab.command_counts().items()
             if "comments=xclone" in k and n != before.get(k, 0)}
    assert {k.split()[0] for k in marks} == {"nimmaster", "nim2"}
    for host, name in (("nim2", "node03"), ("nim2", "610sysb_mksysb"), ("nimmaster", "node01"),
                       ("nimmaster", "610sysb_mksysb")):
        assert f"comments = {MARK}" in " ".join(_run(applied, host, f"lsnim -l {name}").split())
    assert not any(k.startswith("nimmaster ") and "node03" in k for k in marks)
    code, out = _lab(applied, "plan", "--detailed-exitcode")
    assert code == 0, out


def test_a_postscript_changed_on_the_primary_is_copied_again_to_nim2(applied: Scenario) -> None:
    """nim2 holds its copy of setupntp (copied at the first apply); the primary's file is then
    edited: the plan sees the checksums differ (one `cksum` per master), drift says so, and
    apply copies the file again, nothing else; then the plan is empty."""
    script = "/export/nim/script_res/setupntp"
    new = "#!/usr/bin/ksh\nntpdate 9.114.113.1\nexit 0\n"
    assert applied.lab.execute("nimmaster", f"tee {script}", new).exit_status == 0
    code, out = _lab(applied, "plan", "--format", "json", stdout=True)
    assert code == 0, out
    plan = json.loads(out)
    (change,) = [c for c in plan["resource_changes"] if c["change"]["actions"] != ["no-op"]]
    assert change["address"] == "osimage.610sysb@nim2"
    (action,) = plan["actions"]
    assert (action["kind"], action["host"]) == ("copy-script", "nim2")
    assert action["command"].endswith(f"scp -B -p root@nimmaster:{script} {script}")
    code, out = _lab(applied, "drift")
    assert code == 2 and "osimage.610sysb@nim2 postscripts: spec \"setupntp cksum " in out
    # The osimage's ignore_changes covers its copies on the other masters too.
    applied.spec_data["osimages"]["610sysb"]["ignore_changes"] = ["postscripts"]
    applied.write_spec()
    code, out = _lab(applied, "drift")
    assert code == 0 and "Drift: 0 surprising, 0 expected, 1 ignored." in out, out
    before = applied.lab.command_counts()
    result = applied.apply()
    assert result.exit_code == 0, result.output
    sent = {k: n - before.get(k, 0) for k, n in applied.lab.command_counts().items()
            if n != before.get(k, 0) and ("scp" in k or " nim -o" in k)}
    assert sent == {f"nim2 scp -B -p root@nimmaster:{script} {script}": 1}
    assert _run(applied, "nim2", f"cat {script}") == new
    code, out = _lab(applied, "plan", "--detailed-exitcode")
    assert code == 0, out


def test_observe_counts_the_nim_objects_of_every_master(tmp_path: Path) -> None:
    """A fresh lab: nimmaster shows master, boot, master_net, nim_script and the golden
    client node27; nim2 its own master, boot, master_net and nim_script."""
    seed = Scenario(tmp_path, **PAIR)
    code, out = _lab(seed, "observe")
    assert code == 0, out
    assert "Observed 3 hosts with 8 commands: 0 xCAT objects, 9 NIM objects on 2 NIM " \
        "masters, 1 managed system, 5 partitions." in out


def test_state_show_of_an_unmarked_machine_on_nim2_says_it_exists(applied: Scenario) -> None:
    _run(applied, "nim2", "nim -o change -a comments= node03")
    result = applied.xclone("state", "show", str(applied.spec_file), "lpar.node03", "--lab",
                            str(applied.lab_file))
    assert result.exit_code == 1
    assert ("Error: lpar.node03: an object named node03 exists but does not carry the "
            "xclone:clustersite mark") in result.output
