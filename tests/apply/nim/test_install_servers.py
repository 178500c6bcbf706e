"""Several NIM masters (issue 17) through the real CLI on the two-master lab
(specs/examples/nim-multi.yaml with nim-multi-lab.yaml): the image backed up once on the
primary, copied to nim2 with scp and defined there; each LPAR defined, armed, booted (`-S` its
master's address) and waited for on its own master; observation a fixed two commands per
master; a failing master stops only its own LPARs; `max_installs` stages a master's installs.

Sources: IBM AIX "Defining a mksysb resource" (`location` is a file on the resource's
`server`; docs/formats.md "NIM"), "lpar_netboot" (`-S` the boot server); xCAT network planning
("Do You Need Hierarchy in Your Cluster?": about 150 AIX nodes per server, twice that when
node deployment is staged)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TypedDict

import pytest

from tests.apply.helpers import Scenario
from tests.conftest import needs_sshd
from xclone.sim import Lab


class _Pair(TypedDict):
    lab_name: str
    spec_name: str


PAIR: _Pair = {"lab_name": "nim-multi-lab.yaml", "spec_name": "nim-multi.yaml"}


def _on(seed: Scenario, host: str, command: str) -> str:
    result = seed.lab.execute(host, command)
    return " ".join(result.stdout.split())


def _counts(seed: Scenario, prefix: str) -> dict[str, int]:
    return {k: n for k, n in seed.lab.command_counts().items() if k.startswith(prefix)}


def test_two_masters_apply_from_a_fresh_lab_converge_and_plan_empty(tmp_path: Path) -> None:
    seed = Scenario(tmp_path, **PAIR)
    result = seed.apply()
    assert result.exit_code == 0, result.output
    for host, nodes in (("nimmaster", ("node01", "node02")), ("nim2", ("node03", "node04"))):
        for node in nodes:
            assert "Cstate_result = success" in _on(seed, host, f"lsnim -l {node}"), node
    # Each master holds only its own machines; nim2 defined the image on the copied file.
    assert "0042-053" in seed.lab.execute("nimmaster", "lsnim -l node03").stderr
    assert "0042-053" in seed.lab.execute("nim2", "lsnim -l node01").stderr
    image = _on(seed, "nim2", "lsnim -l 610sysb_mksysb")
    assert "location = /export/nim/mksysb/610sysb_mksysb" in image
    assert "comments = xclone:clustersite" in image
    counts = seed.lab.command_counts()
    assert counts["nim2 scp -B -p root@nimmaster:/export/nim/mksysb/610sysb_mksysb "
                  "/export/nim/mksysb/610sysb_mksysb"] == 1
    # The postscripts are files on the primary only: copied to nim2, then defined there.
    for script in ("setupntp", "confignimsh"):
        assert counts[f"nim2 scp -B -p root@nimmaster:/export/nim/script_res/{script} "
                      f"/export/nim/script_res/{script}"] == 1
        assert _on(seed, "nim2", f"cat /export/nim/script_res/{script}") == \
            _on(seed, "nimmaster", f"cat /export/nim/script_res/{script}")
        assert "location = /export/nim/script_res/" + script in _on(
            seed, "nim2", f"lsnim -l {script}")
    backups = [k for k in counts if "mk_image=yes" in k]
    assert backups and all(k.startswith("nimmaster ") for k in backups)
    boots = {k.split(" -S ", 1)[1].split()[0] + " " + k.rsplit(" ", 3)[1]: n
             for k, n in counts.items() if k.startswith("hmc01 lpar_netboot")}
    assert boots == {"9.114.113.225 node01": 1, "9.114.113.225 node02": 1,
                     "9.114.114.5 node03": 1, "9.114.114.5 node04": 1}

    before = seed.lab.command_counts()
    again = seed.plan("--detailed-exitcode")
    assert again.exit_code == 0, again.output
    assert "No changes" in again.output
    probes = {k: n - before.get(k, 0) for k, n in seed.lab.command_counts().items()
              if n != before.get(k, 0)}
    # A fixed number per master (its two preflight probes included; once it holds them, its
    # bosinst.data and one cksum of its copies of the scripts), HMC and system.
    assert {k: n for k, n in probes.items() if k.startswith("nim2 ")} == {
        "nim2 lsnim -l": 1, "nim2 cat /etc/hosts": 1, "nim2 lsuser -a fsize root": 1,
        "nim2 df -k": 1, "nim2 cat /export/nim/bosinst/610sysb.bosinst": 1,
        "nim2 cksum /export/nim/script_res/confignimsh /export/nim/script_res/setupntp": 1}
    assert probes["nimmaster cksum /export/nim/script_res/confignimsh "
                  "/export/nim/script_res/setupntp"] == 1
    assert (probes["nimmaster lsnim -l"], probes["nimmaster cat /etc/hosts"]) == (1, 1)
    assert sum(k.startswith("hmc01 ") for k in probes) == 4


def test_a_failing_master_stops_only_its_own_lpars(tmp_path: Path) -> None:
    seed = Scenario(tmp_path, faults=[{"host": "nim2", "command": "nim", "args": "bos_inst"}],
                    **PAIR)
    result = seed.apply()
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    summary = result.output.split("Apply finished", 1)[1]
    assert "node03" in summary and "node04" in summary
    assert "node01" not in summary and "node02" not in summary
    for node in ("node01", "node02"):
        assert "Cstate_result = success" in _on(seed, "nimmaster", f"lsnim -l {node}")
    assert _counts(seed, "hmc01 lpar_netboot") and not any(
        "node03" in k or "node04" in k for k in _counts(seed, "hmc01 lpar_netboot"))
    seed.lab.clear_faults()
    rerun = seed.apply()
    assert rerun.exit_code == 0, rerun.output
    for node in ("node03", "node04"):
        assert "Cstate_result = success" in _on(seed, "nim2", f"lsnim -l {node}")
    assert seed.plan("--detailed-exitcode").exit_code == 0


def test_max_installs_boots_a_masters_lpars_in_waves(tmp_path: Path) -> None:
    seed = Scenario(tmp_path, **PAIR)
    seed.spec_data["install_servers"]["nim2"]["max_installs"] = 1
    seed.write_spec()
    result = seed.plan("--format", "json")
    assert result.exit_code == 0, result.output
    actions = json.loads(result.stdout)["actions"]
    by_id = {a["id"]: a for a in actions}
    waits = [a for a in actions if a["kind"] == "wait-install"]
    nim2 = sorted((a for a in waits if a["host"] == "nim2"), key=lambda a: a["nodes"])
    assert [(a["nodes"], a["extra"]["wave"]) for a in nim2] == [(["node03"], "1"),
                                                                (["node04"], "2")]
    # The primary's two LPARs stay one wave; node04's boot waits for node03's install.
    assert [a["nodes"] for a in waits if a["host"] == "nimmaster"] == [["node01", "node02"]]
    (boot,) = [a for a in actions if a["kind"] == "lpar-netboot" and a["nodes"] == ["node04"]]
    assert nim2[0]["id"] in boot["depends_on"]
    assert all(by_id[d]["kind"] != "wait-install" for a in actions
               if a["kind"] == "lpar-netboot" and a["nodes"] != ["node04"]
               for d in a["depends_on"])
    applied = seed.apply()
    assert applied.exit_code == 0, applied.output
    assert seed.plan("--detailed-exitcode").exit_code == 0


def test_each_master_serves_its_installs_over_its_own_network(tmp_path: Path) -> None:
    """Costs `nim` at 8 Mbit/s per master (1 MB/s, below one client's own restore pace): the
    two installs on the primary share its network and restore at half the pace of nim2's one.
    The boots fail in apply (a fault) so that they can be started by hand at one moment."""
    seed = Scenario(tmp_path, {"scale": 0},
                    [{"host": "hmc01", "command": "lpar_netboot"}], **PAIR)
    lab = json.loads(json.dumps(__import__("yaml").safe_load(seed.lab_file.read_text())))
    lab["costs"] = {"nim": {"bandwidth_mbit": 8, "mksysb_mb": 2048, "restore_seconds": 600}}
    seed.lab_file.write_text(json.dumps(lab), encoding="utf-8")
    assert seed.apply().exit_code == 1
    armed = _on(seed, "nim2", "lsnim -l node03")
    assert "Cstate = BOS installation has been enabled" in armed
    seed.lab.clear_faults()
    boots = {"node01": ("9.114.113.225", "9.114.113.254", "9.114.113.230", "lpar9",
                        "fef9dfa81e02", "255.255.255.224"),
             "node02": ("9.114.113.225", "9.114.113.254", "9.114.113.231", "lpar6",
                        "fef9dfb7c602", "255.255.255.224"),
             "node03": ("9.114.114.5", "9.114.114.30", "9.114.114.10", "lpar11",
                        "fef9dfc10302", "255.255.255.224")}
    for node, (server, gateway, client, profile, mac, mask) in boots.items():
        result = seed.lab.execute("hmc01", f"lpar_netboot -f -t ent -m {mac} -s auto -d auto "
                                  f"-S {server} -G {gateway} -C {client} -K {mask} {node} "
                                  f"{profile} Server-9117-MMA-SN10F6F3D")
        assert result.exit_status == 0, result.stdout + result.stderr
    # Alone on nim2, node03 restores 2048 MB in 2048 s; node01 and node02 share nimmaster.
    seed.lab.advance(2048 + 600)
    assert "Cstate = BOS installation has been enabled" not in _on(seed, "nim2",
                                                                   "lsnim -l node03")
    done = _on(seed, "nim2", "lsnim -l node03")
    assert "Restoring base operating system" not in done, done
    for node in ("node01", "node02"):
        shown = _on(seed, "nimmaster", f"lsnim -l {node}")
        assert "Restoring base operating system" in shown, shown


def test_a_lost_copy_answer_stops_that_master_and_the_next_apply_copies_again(
        tmp_path: Path) -> None:
    """The answer of nim2's `scp` is lost (the command ran): a copy has no read-back, so
    nothing that depends on it is sent, only nim2's LPARs stop; the next apply copies again
    (scp overwrites) and converges."""
    seed = Scenario(tmp_path, faults=[{"host": "nim2", "command": "scp", "args": "mksysb",
                                       "drop": True, "times": 1}], **PAIR)
    result = seed.apply()
    assert result.exit_code == 1, result.output
    assert re.search(r"failed \d+: LC_ALL=C scp -B -p root@nimmaster:", result.output)
    assert "scp has no read-back check), so it was not sent again" in result.output
    for node in ("node01", "node02"):
        assert "Cstate_result = success" in _on(seed, "nimmaster", f"lsnim -l {node}")
    assert seed.lab.execute("nim2", "lsnim -l 610sysb_mksysb").exit_status != 0
    rerun = seed.apply()
    assert rerun.exit_code == 0, rerun.output
    assert sum(n for k, n in _counts(seed, "nim2 scp ").items() if "mksysb" in k) == 2
    for node in ("node03", "node04"):
        assert "Cstate_result = success" in _on(seed, "nim2", f"lsnim -l {node}")
    assert seed.plan("--detailed-exitcode").exit_code == 0


@needs_sshd
@pytest.mark.slow
def test_two_masters_apply_over_lab_serve(tmp_path: Path) -> None:
    """`xclone lab serve` gives each NIM master its own login: the same apply over OpenSSH
    (host keys verified) reaches nimmaster, nim2 and the HMC, and converges."""
    seed = Scenario(tmp_path, **PAIR)
    with seed.served() as served:
        applied = seed.xclone("apply", str(seed.spec_file), *served.ssh, "--auto-approve")
        assert applied.exit_code == 0, applied.output
        again = seed.xclone("plan", str(seed.spec_file), *served.ssh, "--detailed-exitcode")
        assert again.exit_code == 0, again.output
    world = Lab.open(served.state)
    assert "Cstate_result = success" in " ".join(
        world.execute("nim2", "lsnim -l node04").stdout.split())
    assert any(k.startswith("nim2 scp ") for k in world.command_counts())


def test_an_lpar_moved_to_another_master_leaves_the_old_one_first(tmp_path: Path) -> None:
    """node04 moves from net2 (nim2) to net1 (nimmaster): nim2 resets, deallocates and
    removes its machine and its /etc/hosts line (`lpar.node04@nim2`), and the primary boots
    it only after that removal, so two masters never both answer its BOOTP."""
    seed = Scenario(tmp_path, **PAIR)
    assert seed.converge().exit_code == 0
    seed.set_lpar("node04", ip="9.114.113.232")
    planned = seed.plan("--format", "json")
    assert planned.exit_code == 0, planned.output
    plan = json.loads(planned.stdout)
    changes = {c["address"]: c["change"]["actions"] for c in plan["resource_changes"]}
    assert changes["lpar.node04"] == ["create"]
    assert changes["lpar.node04@nim2"] == ["delete"]
    actions = plan["actions"]
    (remove,) = [a for a in actions if a["host"] == "nim2" and a["kind"] == "nim-remove"]
    (boot,) = [a for a in actions if a["kind"] == "lpar-netboot"]
    assert " -S 9.114.113.225 " in boot["command"] and remove["id"] in boot["depends_on"]
    assert seed.apply().exit_code == 0
    assert "0042-053" in seed.lab.execute("nim2", "lsnim -l node04").stderr
    assert "9.114.114.11" not in _on(seed, "nim2", "cat /etc/hosts")
    assert "Cstate_result = success" in _on(seed, "nimmaster", "lsnim -l node04")
    assert seed.plan("--detailed-exitcode").exit_code == 0
