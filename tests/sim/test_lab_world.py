"""The world as a store: concurrent processes, the MN filesystem, scale, the shell split."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from tests.sim.conftest import MN, Run
from xclone.sim import Lab
from xclone.sim.generate import synthetic_lab, synthetic_lab_yaml


def _append(state_dir: str, prefix: str) -> None:
    lab = Lab.open(Path(state_dir))
    for i in range(15):
        result = lab.execute(MN, f"chdef -p node27 postscripts={prefix}{i}")
        assert result.exit_status == 0, result.stderr


@pytest.mark.slow
def test_two_processes_lose_no_update(lab: Lab) -> None:
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_append, args=(str(lab.state_dir), p)) for p in "ab"]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    stanza = lab.execute(MN, "lsdef -z -i postscripts node27").stdout
    scripts = stanza.split("postscripts=")[1].strip().split(",")
    assert sorted(scripts) == sorted(f"{p}{i}" for p in "ab" for i in range(15))


def test_mkdir_is_the_lock_primitive(run: Run) -> None:
    assert run("mkdir -p /var/lib/xclone/locks").exit_status == 0
    assert run("mkdir /var/lib/xclone/locks/clustersite").stdout == ""
    taken = run("mkdir /var/lib/xclone/locks/clustersite")
    assert (taken.stderr, taken.exit_status) == (
        "mkdir: 0653-358 Cannot create /var/lib/xclone/locks/clustersite.\n"
        "/var/lib/xclone/locks/clustersite: Do not specify an existing file.\n", 2)
    assert run("mkdir -p /var/lib/xclone/locks/clustersite").exit_status == 0
    assert run("mkdir /no/such/dir").exit_status == 2
    echoed = run("tee /var/lib/xclone/locks/clustersite/holder", '{"pid": 1}\n')
    assert echoed.stdout == '{"pid": 1}\n'
    assert run("cat /var/lib/xclone/locks/clustersite/holder").stdout == '{"pid": 1}\n'
    assert run("ls /var/lib/xclone/locks/clustersite").stdout == "holder\n"
    assert run("rmdir /var/lib/xclone/locks/clustersite").exit_status == 2
    assert run("rm -r /var/lib/xclone/locks/clustersite").exit_status == 0
    missing = run("cat /var/lib/xclone/locks/clustersite/holder")
    assert (missing.stderr, missing.exit_status) == (
        "cat: 0652-050 Cannot open /var/lib/xclone/locks/clustersite/holder.\n", 2)
    assert run("rm -f /nothing").exit_status == 0
    assert run("rm /nothing").exit_status == 2


def test_shell_split_env_and_unknown_commands(run: Run) -> None:
    assert run("LC_ALL=C LANG=C lsdef -t site").stdout == "clustersite  (site)\n"
    assert run("/usr/sbin/lsnim -t spot").stdout == "610spot          resources        spot\n"
    assert run("lsdef | grep node").exit_status != 0
    missing = run("frobnicate now")
    assert (missing.stderr, missing.exit_status) == ("ksh: frobnicate:  not found.\n", 127)
    assert run("lsdef 'unbalanced").exit_status != 0
    assert run("").exit_status == 0


def test_world_summary_is_readable(lab: Lab) -> None:
    text = lab.world_summary()
    assert "Management node xcataixmn (9.114.113.225)" in text
    assert "  Server-9117-MMA-SN10F6F3D 9117-MMA 10F6F3D Operating: 3 LPARs\n" in text
    assert "    node27       id 3    Running        AIX 6.1 6100-09-05-1524\n" in text


def test_synthetic_labs_scale(tmp_path: Path) -> None:
    lab = Lab.from_dict(synthetic_lab(1000), tmp_path / "big")
    hmcs = [h for h, kind in lab.hostnames().items() if kind == "hmc" and "." not in h]
    assert len(hmcs) == 4  # 25 systems of 40 LPARs, 8 systems per HMC
    systems = lab.execute("hmc001", "lssyscfg -r sys -F name").stdout.splitlines()
    assert len(systems) == 8
    lpars = lab.execute("hmc001", f"lssyscfg -r lpar -m {systems[1]} -F name").stdout
    assert len(lpars.splitlines()) == 40
    small = tmp_path / "small.yaml"
    small.write_text(synthetic_lab_yaml(50), encoding="utf-8")
    assert Lab.init(small, tmp_path / "small").execute(
        "hmc001", "lssyscfg -r sys -F name").stdout.count("\n") == 2
