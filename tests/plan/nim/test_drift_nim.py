"""`xclone drift` under `driver: nim` through the real CLI on the NIM lab: nothing on a converged
cluster; a hand change made with NIM's own commands (`nim -o change -a if1=...`, a network
defined with the cluster's mark) is surprising drift with its evidence, exit 2; what NIM moves
by itself (Cstate during an install: IBM AIX "Using the NIM bos_inst operation", docs/formats.md
"NIM", Progress during bos_inst) is expected, from the table both drivers share
(xclone/observed/nim_attrs.py)."""

from __future__ import annotations

from tests.apply.helpers import Scenario
from tests.plan.nim.helpers import MARK, apply, ok, plan_doc
from xclone.drivers import registry
from xclone.plan.changes import AttrDiff
from xclone.plan.drift import classifier


def _drift(seed: Scenario) -> tuple[int, str]:
    result = seed.xclone("drift", str(seed.spec_file), "--lab", str(seed.lab_file))
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_no_drift_on_a_converged_nim_cluster(nim: Scenario) -> None:
    apply(nim)
    code, out = _drift(nim)
    assert code == 0, out
    assert "No drift: every object xclone manages on cluster clustersite matches the spec." in out


def test_hand_changes_in_nim_are_surprising_with_evidence(nim: Scenario) -> None:
    """An adapter changed on the machine and a network defined by hand with the mark: both
    surprising, the first with the spec's and NIM's `if1`, the second as a marked object the
    spec does not want."""
    apply(nim)
    ok(nim, "nim -o change -a if1='master_net node01 aabbccddeeff' node01")
    ok(nim, f"nim -o define -t ent -a net_addr=10.9.0.0 -a snm=255.255.0.0 -a comments={MARK} "
            "net9")
    code, out = _drift(nim)
    assert code == 2, out
    assert ('lpar.node01 if1: spec "master_net node01 fef9dfa81e02", observed '
            '"master_net node01 aabbccddeeff"') in out
    assert f"network.net9: spec absent, observed present: carries the {MARK} mark" in out
    assert "Drift: 2 surprising, 0 expected, 0 ignored." in out
    assert "no table of expected drift" not in out


def test_the_nim_driver_expects_what_nim_moves_itself() -> None:
    """An LPAR NIM is installing, and NIM's state attributes, are expected; an adapter is not."""
    classify = classifier(registry.driver("nim"))
    assert classify is not None
    assert "NIM is installing it" in str(
        classify("lpar", AttrDiff("state", "installing", "installed (610sysb)")))
    assert "NIM sets it itself" in str(classify("lpar", AttrDiff("Cstate", "a", "b")))
    assert classify("lpar", AttrDiff("if1", "master_net node01 a", "master_net node01 b")) \
        is None


def test_a_script_allocated_by_hand_is_drift_and_apply_frees_it(nim: Scenario) -> None:
    """`nim -o allocate -a script=foo node01` on an installed machine: lsnim lists `script =
    foo` (IBM AIX "lsnim Command": allocated resources are listed as TYPE = NAME); drift names
    it, apply deallocates it (and nothing else: no adapter change, no install)."""
    apply(nim)
    ok(nim, "nim -o allocate -a script=foo node01")
    code, out = _drift(nim)
    assert code == 2, out
    assert 'lpar.node01 script: spec (none), observed "foo"' in out
    doc_commands = [a["command"] for a in plan_doc(nim)["actions"]]
    assert doc_commands == ["LC_ALL=C nim -o deallocate -a subclass=all node01"]
    apply(nim)
    assert _drift(nim)[0] == 0
