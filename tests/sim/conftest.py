"""Lab fixtures: the seed lab with an instant clock (every duration zero) or a frozen clock
(time moves only with `Lab.advance` and blocking commands), and the runbook steps."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from tests.apply.helpers import PASSWORD, dump, load, preseed
from xclone.sim import Lab, SimResult

ROOT = Path(__file__).resolve().parents[2]
SEED_LAB = ROOT / "specs" / "examples" / "seed-lab.yaml"
MN = "xcataixmn"
CEC = "Server-9117-MMA-SN10F6F3D"

Run = Callable[..., SimResult]


def seed_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = load(SEED_LAB)
    data.update(changes)
    return data


def write_lab(tmp_path: Path, data: dict[str, Any], name: str = "lab.yaml") -> Path:
    path = tmp_path / name
    path.write_text(dump(data), encoding="utf-8")
    return path


def lab_from_spec(xclone_cli: click.Group, spec: Path) -> Path:
    """`xclone lab init --from-spec SPEC --instant` (its world under SPEC's folder, in state/):
    the lab file it wrote beside SPEC."""
    result = CliRunner().invoke(xclone_cli, ["lab", "init", "--from-spec", str(spec), "--instant"],
                                env={"HMC01_PASSWORD": PASSWORD,
                                     "XCLONE_LAB_STATE": str(spec.parent / "state")})
    assert result.exit_code == 0, result.output
    return spec.parent / f"{spec.stem}-lab.yaml"


def seeded(lab_file: Path, state: Path) -> Lab:
    """`Lab.init(lab_file, state)` for a clock that does not run on its own: the same world,
    copied from one seeded once per lab text (tests/apply/helpers.py `preseed`)."""
    preseed(lab_file, state)
    return Lab.open(state)


@pytest.fixture
def lab(tmp_path: Path) -> Lab:
    return seeded(write_lab(tmp_path, seed_data(clock={"instant": True})), tmp_path / "state")


@pytest.fixture
def frozen(tmp_path: Path) -> Lab:
    return seeded(write_lab(tmp_path, seed_data(clock={"scale": 0})), tmp_path / "state")


def runner(lab: Lab) -> Run:
    def run(command: str, stdin: str | None = None, host: str = MN) -> SimResult:
        return lab.execute(host, command, stdin)

    return run


@pytest.fixture
def run(lab: Lab) -> Run:
    return runner(lab)


HMC_NODE = ("mkdef -t node -o hmc01 groups=hmc,all nodetype=ppc hwtype=hmc mgt=hmc "
            "username=hscroot password=abc123")
NETWORK = "mkdef -t network -o net1 net=9.114.113.224 mask=255.255.255.224 gateway=9.114.113.254"
MKNIMIMAGE = "mknimimage -m mksysb -n node27 610sysb spot=610spot resolv_conf=my_resolv_conf"


def define(run: Run) -> None:
    """The runbook up to the xCAT definitions: HMC node, rscan | mkdef -z, network, IPs."""
    assert run(HMC_NODE).exit_status == 0
    run("mkdef -z", run("rscan -z hmc01").stdout)
    assert run(NETWORK).exit_status == 0
    assert run("chdef node01 ip=9.114.113.230 groups=lpar,all,aixnodes").exit_status == 0
    assert run("chdef node02 ip=9.114.113.231 groups=lpar,all,aixnodes").exit_status == 0


def prepare(run: Run) -> None:
    """The runbook up to (not including) nimnodeset."""
    define(run)
    assert run(MKNIMIMAGE).exit_status == 0
    assert run("makehosts").exit_status == 0
    assert run("makeconservercf").exit_status == 0
    assert run("getmacs node01,node02 -D").exit_status == 0
    assert run("xcat2nim -t network -o net1").exit_status == 0
    assert run("xcat2nim -t node node01,node02").exit_status == 0
