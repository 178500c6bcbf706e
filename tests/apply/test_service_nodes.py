"""An xCAT hierarchical cluster end to end (issue 17, the xCAT half): the example pair
specs/examples/xcat-sn.yaml and xcat-sn-lab.yaml, through the real CLI.

The management node sends node03's and node04's xcat2nim and nimnodeset on to their service
node sn1 (aixinstall.pm and xcat2nim.pm preprocess_request, `_xcatdest`), which defines and
installs them in its own NIM database; node01 and node02 install from the management node as in
the seed. An SN xcatd cannot reach fails only its own nodes' part: xCAT-server/sbin/xcatd,
"Unable to dispatch hierarchical sub-command to ..." (errorcode 1), the other parts go on."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.apply.helpers import Scenario
from tests.conftest import needs_sshd
from xclone.base.command import Command
from xclone.base.remote import Result
from xclone.drivers.xcat import DRIVER
from xclone.drivers.xcat.kinds import ActionKind
from xclone.observed.observe import observe
from xclone.plan.action import Action
from xclone.sim import Fault

LAB, SPEC = "xcat-sn-lab.yaml", "xcat-sn.yaml"
SN_NODES, MN_NODES = ("node03", "node04"), ("node01", "node02")


def _scenario(where: Path, clock: dict[str, float] | None = None) -> Scenario:
    return Scenario(where, clock, lab_name=LAB, spec_name=SPEC)


def _ready(text: str) -> bool:
    return bool(re.search(r"Cstate +\= ready for a NIM operation", text)) and bool(
        re.search(r"Cstate_result +\= success", text))


def _booted(seed: Scenario, node: str) -> bool:
    return "status=booted" in seed.mn(f"lsdef {node}")[1]


def test_a_fresh_hierarchical_cluster_converges_and_then_plans_empty(tmp_path: Path) -> None:
    seed = _scenario(tmp_path)
    applied = seed.apply()
    assert applied.exit_code == 0, applied.output
    assert "0 failed, 0 skipped" in applied.output
    for node in (*MN_NODES, *SN_NODES):
        assert _booted(seed, node), seed.mn(f"lsdef {node}")[1]
    for node in SN_NODES:  # installed by sn1, from its own NIM database
        assert _ready(seed.lab.execute("sn1", f"lsnim -l {node}").stdout)
        assert seed.mn(f"lsnim -l {node}")[0] != 0  # not the management node's machine
        attrs = seed.mn(f"lsdef {node}")[1]
        assert "servicenode=sn1" in attrs and "xcatmaster=9.114.114.5" in attrs
    for node in MN_NODES:
        assert _ready(seed.mn(f"lsnim -l {node}")[1])
        assert "servicenode=" not in seed.mn(f"lsdef {node}")[1]
    again = seed.plan("--detailed-exitcode")
    assert again.exit_code == 0, again.output


def test_a_removed_sn_node_is_cleaned_up_on_its_service_node(tmp_path: Path) -> None:
    """node04 set absent after the install: its machine goes from sn1 (xcat2nim -r, sent on
    by the management node), its node from xCAT; the next plan is empty."""
    seed = _scenario(tmp_path)
    assert seed.converge().exit_code == 0
    seed.set_lpar("node04", state="absent")
    removed = seed.apply()
    assert removed.exit_code == 0, removed.output
    assert seed.lab.execute("sn1", "lsnim -l node04").exit_status != 0
    assert seed.mn("lsdef -t node -o node04")[0] == 1
    assert _ready(seed.lab.execute("sn1", "lsnim -l node03").stdout)
    assert seed.plan("--detailed-exitcode").exit_code == 0


def test_a_lost_answer_is_read_back_on_the_service_node(tmp_path: Path) -> None:
    """An xcat2nim of sn1's nodes whose answer was lost: the read-back (`lsnim -l`) asks sn1,
    where the machines are, and finds them made; asked of the management node it would not."""
    seed = _scenario(tmp_path)
    assert seed.converge().exit_code == 0
    action = Action("015", ActionKind.XCAT2NIM, seed.master, ("xcat2nim", "-t", "node"),
                    ("comments=xclone:clustersite",), SN_NODES, (), (), (), False, (),
                    extra=(("servicenode", "sn1"), ("servicenode_host", "sn1")))

    def run_on(host: str, command: Command) -> Result:
        got = seed.lab.execute(host, command.shell(), command.stdin)
        return Result(host, command.display(), got.exit_status, got.stdout, got.stderr)

    def run(command: Command) -> Result:
        return run_on(seed.master, command)

    decision = DRIVER.reobserve(run, action, SN_NODES, "connection lost", run_on)
    assert decision.done == SN_NODES, decision.verdict.failed
    on_mn = DRIVER.reobserve(run, action, SN_NODES, "connection lost", None)
    assert on_mn.done == ()


def _down_after_observation(seed: Scenario, monkeypatch: pytest.MonkeyPatch) -> None:
    """sn1 goes down once apply has observed it (the lab's `down` fault): the plan is made
    with sn1 up, its commands meet it down. An SN down before observation stops the plan."""
    def observe_then_down(*args: Any, **kwargs: Any) -> Any:
        seen = observe(*args, **kwargs)
        seed.lab.add_fault(Fault(host="sn1", down=True))
        return seen

    monkeypatch.setattr("xclone.cli.planning.observe", observe_then_down)


def test_a_service_node_down_during_apply_fails_only_its_nodes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """xcat2nim reaches sn1 through xcatd: its part fails with the dispatch error, node01 and
    node02 (the MN's) install. Once sn1 is back, the next apply installs node03/node04."""
    seed = _scenario(tmp_path)
    _down_after_observation(seed, monkeypatch)
    applied = seed.apply()
    assert applied.exit_code == 1, applied.output
    assert "Unable to dispatch hierarchical sub-command to sn1" in applied.output
    assert all(_booted(seed, node) for node in MN_NODES), applied.output
    assert not any(_booted(seed, node) for node in SN_NODES)
    monkeypatch.undo()
    seed.lab.clear_faults()
    resumed = seed.apply()
    assert resumed.exit_code == 0, resumed.output
    assert all(_booted(seed, node) for node in SN_NODES)
    assert seed.plan("--detailed-exitcode").exit_code == 0


def test_a_nimnodeset_meeting_its_service_node_down_fails_only_that_batch(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """All four defined first (xcat2nim done on both servers); then installed with sn1 going
    down: a nimnodeset naming a down SN stops whole in preprocessing (aixinstall.pm doSNcopy2:
    "Could not get NIM resource definitions from ..."), so only a batch of sn1's own nodes
    keeps the MN's installing."""
    seed = _scenario(tmp_path)
    seed.write_spec(lpar_defaults={**seed.spec_data["lpar_defaults"], "state": "defined"})
    assert seed.converge().exit_code == 0
    seed.write_spec(lpar_defaults={k: v for k, v in seed.spec_data["lpar_defaults"].items()
                                   if k != "state"})
    _down_after_observation(seed, monkeypatch)
    applied = seed.apply()
    assert applied.exit_code == 1, applied.output
    assert "Could not get NIM resource definitions from sn1" in applied.output
    assert all(_booted(seed, node) for node in MN_NODES), applied.output
    assert not any(_booted(seed, node) for node in SN_NODES)


@pytest.mark.slow
@pytest.mark.parametrize("after", [6, 14, 22, 30, 45, 60, 75])
def test_the_hierarchical_pair_killed_then_resumed_converges(tmp_path: Path, after: int) -> None:
    """Killed after the k-th command (observation, the MN's and sn1's batches, the copy of the
    image to sn1, the waits), the next apply converges with no failure and plans empty after,
    and each NIM master holds its own nodes, once."""
    seed = _scenario(tmp_path, clock={"scale": 3000})
    seed.killed_apply(after)
    resumed = seed.apply()
    assert resumed.exit_code == 0, resumed.output
    assert "0 failed, 0 skipped" in resumed.output or "No changes" in resumed.output
    assert seed.plan("--detailed-exitcode").exit_code == 0
    nodes = [n for n in seed.mn("lsdef -t node")[1].split() if n != "(node)"]
    assert len(nodes) == len(set(nodes))
    for node in (*MN_NODES, *SN_NODES):
        assert _booted(seed, node), seed.mn(f"lsdef {node}")[1]
    for node in SN_NODES:
        assert _ready(seed.lab.execute("sn1", f"lsnim -l {node}").stdout)
        assert seed.mn(f"lsnim -l {node}")[0] != 0
    for node in MN_NODES:
        assert _ready(seed.mn(f"lsnim -l {node}")[1])


def test_import_marks_an_sn_nodes_machine_on_its_service_node(tmp_path: Path) -> None:
    """A hierarchical cluster installed by hand (the marks taken off): `xclone import --all`
    marks node03's NIM machine on sn1, where it is, and the next plan is empty."""
    seed = _scenario(tmp_path)
    assert seed.converge().exit_code == 0
    for node in (*MN_NODES, *SN_NODES):
        assert seed.mn(f"chdef -t node -o {node} usercomment=")[0] == 0
    for node in SN_NODES:
        unmark = f"nim -o change -a comments= {node}"
        assert seed.lab.execute("sn1", unmark).exit_status == 0
    assert seed.plan().exit_code == 1  # unmarked objects the spec wants: conflicts
    imported = seed.xclone("import", str(seed.spec_file), "--all", "--lab", str(seed.lab_file),
                           "--auto-approve")
    assert imported.exit_code == 0, imported.output
    for node in SN_NODES:
        shown = seed.lab.execute("sn1", f"lsnim -l {node}").stdout
        assert "xclone:clustersite" in shown, shown
    again = seed.plan("--detailed-exitcode")
    assert again.exit_code == 0, again.output


@needs_sshd
@pytest.mark.slow
def test_the_hierarchical_pair_applies_over_lab_serve(tmp_path: Path) -> None:
    """Over OpenSSH (`xclone lab serve`, host keys verified): the MN, sn1 (its own login, for
    its `lsnim -l` and the waits' polls) and the HMC; the apply converges and plans empty."""
    seed = _scenario(tmp_path)
    with seed.served() as served:
        applied = seed.xclone("apply", str(seed.spec_file), *served.ssh, "--auto-approve")
        assert applied.exit_code == 0, applied.output
        again = seed.xclone("plan", str(seed.spec_file), *served.ssh, "--detailed-exitcode")
        assert again.exit_code == 0, again.output
        for node in SN_NODES:
            assert _ready(served.lab.execute("sn1", f"lsnim -l {node}").stdout)
        assert any(k.startswith("sn1 lsnim -l") for k in served.lab.command_counts())


@pytest.mark.parametrize(("node", "address", "leaves", "joins"), [
    ("node04", "9.114.113.232", "sn1", "xcataixmn"),  # from sn1's net2 to the MN's net1
    ("node02", "9.114.114.12", "xcataixmn", "sn1"),  # from the MN's net1 to sn1's net2
])
def test_an_lpar_moved_to_another_server_leaves_the_old_one_first(
        tmp_path: Path, node: str, address: str, leaves: str, joins: str) -> None:
    """A new address on another server's network: `xcat2nim -r -f` removes its machine on the
    server it leaves (sent while its servicenode still names that server: xcat2nim.pm
    dispatches by it), then chdef sets the new servicenode/xcatmaster, then xcat2nim defines
    it on the new server. Installed already, it is not reinstalled (as an address change
    without servers); the next plan is empty. Onto an SN: sn1's /etc/hosts (copied from the
    MN by the first apply's nimnodeset, aixinstall.pm prenimnodeset doSNcopy2) still holds the
    node's old line, and xcat2nim, which runs before nimnodeset copies the file again, defines
    the machine on sn1 by that name: the plan copies the file first, as doSNcopy2 does (`xdcp
    sn1 /etc/hosts /etc`), after the makehosts of the new address (snhosts.py)."""
    seed = _scenario(tmp_path)
    assert seed.converge().exit_code == 0
    seed.set_lpar(node, ip=address)
    planned = seed.plan("--format", "json")
    assert planned.exit_code == 0, planned.output
    actions = json.loads(planned.stdout)["actions"]
    (remove,) = [a for a in actions if a["kind"] == "xcat2nim-remove"]
    (chdef,) = [a for a in actions if a["kind"] == "chdef" and a["nodes"] == [node]]
    assert remove["nodes"] == [node] and remove["id"] in chdef["depends_on"]
    assert remove.get("extra", {}).get("servicenode", "xcataixmn") == leaves
    assert not [a for a in actions if a["kind"] in ("nimnodeset", "rnetboot")]
    copies = [a for a in actions if a["kind"] == "xdcp-hosts"]
    assert len(copies) == (joins == "sn1")
    if joins == "sn1":
        (define,) = [a for a in actions if a["kind"] == "xcat2nim" and a["nodes"] == [node]]
        (hosts,) = [a for a in actions if a["kind"] == "makehosts" and node in a["nodes"]]
        assert copies[0]["command"].endswith("xdcp sn1 /etc/hosts /etc")
        assert copies[0]["id"] in define["depends_on"]
        assert hosts["id"] in copies[0]["depends_on"]
        notes = [n for c in json.loads(planned.stdout)["resource_changes"] for n in c["notes"]]
        assert (f"first refreshes sn1's /etc/hosts, which has 9.114.113.231 for {node}, not "
                f"{address} (xdcp sn1 /etc/hosts /etc)") in notes
    applied = seed.apply()
    assert applied.exit_code == 0, applied.output

    def machine_on(server: str) -> int:
        return seed.lab.execute(server if server == "sn1" else seed.master,
                                f"lsnim -l {node}").exit_status

    assert machine_on(leaves) != 0 and machine_on(joins) == 0
    served = "servicenode=sn1" in seed.mn(f"lsdef {node}")[1]
    assert served == (joins == "sn1")
    again = seed.plan("--detailed-exitcode")
    assert again.exit_code == 0, again.output


def test_a_service_nodes_waves_install_one_after_the_other(tmp_path: Path) -> None:
    """max_installs: 1 on sn1: node04's rnetboot starts only once node03's install wait ended
    (the journal's order), and the cluster converges."""
    seed = _scenario(tmp_path)
    seed.spec_data["install_servers"]["sn1"]["max_installs"] = 1
    seed.write_spec()
    applied = seed.apply()
    assert applied.exit_code == 0, applied.output
    lines = applied.output.splitlines()
    waited = next(i for i, line in enumerate(lines) if "wait-install node03: done" in line)
    booted = next(i for i, line in enumerate(lines) if "rnetboot node04: started" in line)
    assert waited < booted, applied.output
    assert all(_booted(seed, node) for node in SN_NODES)
    assert seed.plan("--detailed-exitcode").exit_code == 0
