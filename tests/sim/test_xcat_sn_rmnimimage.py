"""The lab's `rmnimimage` on a hierarchical cluster: which NIM masters it removes an osimage's
resources from (xCAT 2.9.2 xCAT-client/pods/man1/rmnimimage.1.pod: by default the management
node and the service nodes, `-M` the management node only, `-s SNRANGE` those service nodes
only; aixinstall.pm prermnimimage and preprocess_request dispatch one request per server, and
xcatd fails an unreachable one alone with "Unable to dispatch hierarchical sub-command to
...")."""

from __future__ import annotations

from pathlib import Path

from tests.apply.helpers import Scenario
from xclone.sim import Fault

IMAGE = {"610sysb_mksysb", "610sysb_bosinst_data"}


def _applied(where: Path) -> Scenario:
    seed = Scenario(where, lab_name="xcat-sn-lab.yaml", spec_name="xcat-sn.yaml")
    assert seed.converge().exit_code == 0
    # the nodes' machines go first: rmnimimage leaves an allocated resource
    assert seed.mn("xcat2nim -t node -r -f 'node[01-04]'")[0] == 0
    return seed


def _held(seed: Scenario, host: str) -> set[str]:
    listing = seed.lab.execute(host, "lsnim -c resources").stdout
    return {line.split()[0] for line in listing.splitlines() if line.strip()} & IMAGE


def test_s_removes_on_the_service_node_only(tmp_path: Path) -> None:
    seed = _applied(tmp_path)
    code, out, err = seed.mn("rmnimimage -s sn1 610sysb")
    assert code == 0, err
    assert "sn1: Removed the NIM resource named '610sysb_mksysb'." in out
    assert _held(seed, "sn1") == set() and _held(seed, "xcataixmn") == IMAGE


def test_m_removes_on_the_management_node_only(tmp_path: Path) -> None:
    seed = _applied(tmp_path)
    code, out, err = seed.mn("rmnimimage -M 610sysb")
    assert code == 0, err
    assert "xcataixmn: Removed the NIM resource named '610sysb_mksysb'." in out
    assert _held(seed, "sn1") == IMAGE and _held(seed, "xcataixmn") == set()


def test_the_default_removes_everywhere(tmp_path: Path) -> None:
    seed = _applied(tmp_path)
    assert seed.mn("rmnimimage 610sysb")[0] == 0
    assert _held(seed, "sn1") == set() and _held(seed, "xcataixmn") == set()


def test_a_down_service_node_fails_its_part_alone(tmp_path: Path) -> None:
    seed = _applied(tmp_path)
    seed.lab.add_fault(Fault(host="sn1", down=True))
    code, _out, err = seed.mn("rmnimimage 610sysb")
    assert code == 1
    assert "Error: Unable to dispatch hierarchical sub-command to sn1:3001." in err
    assert _held(seed, "xcataixmn") == set()
    seed.lab.clear_faults()
    assert _held(seed, "sn1") == IMAGE
