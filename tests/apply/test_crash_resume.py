"""Crash-resume: apply killed with SIGKILL at 20 seeded points of the seed scenario; each time
the next apply converges with no error, repeats nothing already done, and the world is sound.
Every test runs once per driver (tests/drivers.py): the xCAT seed scenario and the NIM one.

A point is "after the k-th command": the killer watches the run journal, which gets one line per
command as it ends, so the points do not depend on how fast the machine is."""

from __future__ import annotations

import json
import random
import re
import signal
import time
from pathlib import Path

import pytest

from tests.apply.helpers import Scenario
from tests.drivers import CEC, HMC, NIM, XCAT, DriverCase, both, nim_attrs
from xclone.apply import lock as locks
from xclone.transport.sim import SimTransport

# 3000 simulated seconds per real one: the mksysb (25 min) takes 0.5 s, an install 0.8 s.
CLOCK = {"scale": 3000}
# The same 20 points for both drivers: a fresh apply of either sends more than 34 commands
# (journal lines: lock, observation, actions, the install's polls), so each point kills it.
AFTER = sorted(random.Random(20261125).sample(range(0, 34), 20))
POINTS = [pytest.param(case, after, id=f"{case.name}-kill-after-{after}-commands")
          for case in (XCAT, NIM) for after in AFTER]
# What a resumed or interrupted run must not plan again once it is done: the image and the
# install's enabling (xCAT: mknimimage, nimnodeset; NIM: the mksysb define, bos_inst).
DONE_ONCE = {"xcat": ("mknimimage", "nimnodeset"), "nim": ("-t mksysb", "bos_inst")}


def _world_is_sound(case: DriverCase, seed: Scenario) -> None:
    if case.name == "xcat":
        nodes = seed.mn("lsdef -t node")[1].split()
        assert len([n for n in nodes if n != "(node)"]) == len(set(nodes) - {"(node)"})
    else:  # hostent refuses a second line for an address, but a kill must not leave two
        hosts = seed.mn("cat /etc/hosts")[1].split()
        assert hosts.count("node01") == 1 and hosts.count("node02") == 1, hosts
    for node in ("node01", "node02"):
        if case.name == "xcat":
            attrs = seed.mn(f"lsdef {node}")[1]
            assert "status=booted" in attrs and "provmethod=610sysb" in attrs
        else:
            assert case.booted(seed, node), nim_attrs(seed, node)
        nim = seed.mn(f"lsnim -l {node}")[1]
        assert re.search(r"Cstate +\= ready for a NIM operation", nim), nim
    for resource in case.nim_resources:
        assert re.search(r"alloc_count += 0", seed.mn(f"lsnim -l {resource}")[1])


@pytest.mark.slow
@pytest.mark.parametrize(("case", "after"), POINTS)
def test_apply_killed_then_resumed_converges(tmp_path: Path, case: DriverCase,
                                             after: int) -> None:
    seed = case.scenario(tmp_path, clock=CLOCK)
    seed.killed_apply(after)
    had_image = case.has_image(seed)
    resumed = seed.apply()
    assert resumed.exit_code == 0, resumed.output
    assert "0 failed, 0 skipped" in resumed.output or "No changes" in resumed.output
    if had_image:
        assert DONE_ONCE[case.name][0] not in resumed.output
    assert seed.plan("--detailed-exitcode").exit_code == 0
    _world_is_sound(case, seed)


def _netboots(seed: Scenario) -> dict[str, int]:
    """How many times the lab received an `lpar_netboot -f` of each partition."""
    found: dict[str, int] = {}
    for line, n in seed.lab.command_counts().items():
        if line.startswith(f"{HMC} lpar_netboot -f "):
            node = line.rsplit(" ", 3)[1]
            found[node] = found.get(node, 0) + n
    return found


# Each bos_inst answers a real second late: time for the killer to slow the lab clock first.
SLOW_ARMING = [{"command": "nim", "args": "bos_inst", "latency": 1.0}]


def _killed_while_netbooting(seed: Scenario) -> set[str]:
    """SIGKILL the apply once node01's `lpar_netboot` reached the HMC, then freeze the lab
    clock and step it to where firmware shows a network-boot code (CA00E17x) on every booted
    partition, before its boot server answers: the moment of the old failure, every time.

    The lab records the whole boot when the command arrives (firmware goes on without the
    caller); from the first `bos_inst` on it runs 50 times slower, so that the kill lands early
    in the boot's 180 simulated seconds on a loaded machine too."""
    proc = seed.apply_process(quiet=True)
    deadline, slowed = time.monotonic() + 120, False
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            if not slowed and any("bos_inst" in k for k in seed.lab.command_counts()):
                seed.lab.set_scale(CLOCK["scale"] / 50)
                slowed = True
            if "node01" in _netboots(seed):
                break
            time.sleep(0.005)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    seed.lab.set_scale(0)
    booted = set(_netboots(seed))
    assert slowed and "node01" in booted, "the apply ended before node01's lpar_netboot"
    for _ in range(18):  # CA00E174 from 90 s, the boot server's answer at 180 s
        codes = seed.lab.execute(HMC, f"lsrefcode -r lpar -m {CEC} -F lpar_name,refcode").stdout
        if all(f"{node},CA00E17" in codes for node in booted):
            break
        seed.lab.advance(10)
    armed = re.sub(" +", " ", seed.mn("lsnim -l node01")[1])
    assert "Cstate = BOS installation has been enabled" in armed, "killed too late"
    return booted


@pytest.mark.slow
def test_nim_killed_while_lpar_netboot_runs_each_partition_is_booted_once(
        tmp_path: Path) -> None:
    """The resumed plan sees the machines still armed while their partitions show a network
    boot code: it waits for those installs, never boots them again (a second lpar_netboot
    would restart them, as on a real partition: lab.install.abandon). Over both runs the lab
    received exactly one lpar_netboot per partition, and the world converged."""
    seed = NIM.scenario(tmp_path, clock=CLOCK, faults=SLOW_ARMING)
    booted = _killed_while_netbooting(seed)
    plan = seed.plan("--format", "json").stdout
    doc = json.loads(plan)
    for node in booted:
        assert not [a for a in doc["actions"] if a["kind"] in ("rmvterm", "lpar-netboot")
                    and node in a["nodes"]], plan
        assert [a for a in doc["actions"] if a["kind"] == "wait-install" and node in a["nodes"]]
        assert "network boot under way (reference code CA00E17" in plan
    seed.lab.set_scale(CLOCK["scale"])
    resumed = seed.apply()
    assert resumed.exit_code == 0, resumed.output
    assert "0 failed, 0 skipped" in resumed.output
    assert _netboots(seed) == {"node01": 1, "node02": 1}
    assert seed.plan("--detailed-exitcode").exit_code == 0
    _world_is_sound(NIM, seed)


@pytest.mark.slow
@pytest.mark.parametrize("case", both())
def test_ctrl_c_lets_running_commands_end_releases_the_lock_and_resumes(
        tmp_path: Path, case: DriverCase) -> None:
    seed = case.scenario(tmp_path, clock={"scale": 300})  # an install takes 8 s: Ctrl-C lands in it
    proc = seed.apply_process()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        journal = "".join(p.read_text(encoding="utf-8") for p in seed.journals())
        if case.netboot in journal:
            break
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    output, _ = proc.communicate(timeout=120)
    assert proc.returncode == 130, output  # CONTRACT §9: interrupted
    assert "Interrupted: no new command starts" in output
    assert "abandoned by Ctrl-C" in output or "not finished" in output
    assert "Traceback" not in output
    assert seed.mn("ls /var/lib/xclone/locks/clustersite")[0] != 0
    remaining = seed.plan("--format", "json").stdout
    assert all(text not in remaining for text in DONE_ONCE[case.name])
    resumed = seed.apply()
    assert resumed.exit_code == 0, resumed.output
    _world_is_sound(case, seed)


@pytest.mark.slow
@pytest.mark.parametrize("case", both())
def test_two_concurrent_applies_one_runs_the_other_names_the_holder(
        tmp_path: Path, case: DriverCase) -> None:
    seed = case.scenario(tmp_path, clock={"scale": 600})
    first = seed.apply_process()
    deadline = time.monotonic() + 60
    while locks.read_holder(SimTransport(seed.lab), seed.master, "clustersite") is None:
        assert time.monotonic() < deadline and first.poll() is None
        time.sleep(0.02)
    second = seed.apply()
    assert second.exit_code == 1
    assert "is locked by another apply" in second.output
    assert f"(pid {first.pid})" in second.output
    output, _ = first.communicate(timeout=120)
    assert first.returncode == 0, output
    assert seed.plan("--detailed-exitcode").exit_code == 0


# Two NIM masters (issue 17, specs/examples/nim-multi.yaml on nim-multi-lab.yaml): kill points
# among the first 80 commands (observation of both masters, the backup on nimmaster, the scp
# copies of the image and the scripts to nim2, each master's defines and bos_inst, the four
# lpar_netboot and the first polls of both masters' install waits).
MULTI_AFTER = sorted(random.Random(17).sample(range(10, 80), 6))


@pytest.mark.slow
@pytest.mark.parametrize("after", MULTI_AFTER, ids=lambda n: f"nim-multi-kill-after-{n}")
def test_two_nim_masters_killed_then_resumed_converge(tmp_path: Path, after: int) -> None:
    """The resumed apply finishes both masters' work with no failure, the plan is empty, and
    each master holds its own LPARs once (one /etc/hosts line, installed, nothing allocated),
    nim2 its copy of the image and of the scripts; over both runs each partition was
    network-booted once, from its own master."""
    seed = Scenario(tmp_path, CLOCK, lab_name="nim-multi-lab.yaml", spec_name="nim-multi.yaml")
    seed.killed_apply(after)
    resumed = seed.apply()
    assert resumed.exit_code == 0, resumed.output
    assert "0 failed, 0 skipped" in resumed.output or "No changes" in resumed.output
    assert seed.plan("--detailed-exitcode").exit_code == 0
    for host, nodes in (("nimmaster", ("node01", "node02")), ("nim2", ("node03", "node04"))):
        hosts = seed.lab.execute(host, "cat /etc/hosts").stdout.split()
        for node in nodes:
            assert hosts.count(node) == 1, hosts
            shown = re.sub(" +", " ", seed.lab.execute(host, f"lsnim -l {node}").stdout)
            assert "Cstate = ready for a NIM operation" in shown, shown
            assert "Cstate_result = success" in shown, shown
        for resource in ("610sysb_mksysb", "610sysb_spot", "setupntp", "confignimsh"):
            shown = seed.lab.execute(host, f"lsnim -l {resource}").stdout
            assert re.search(r"alloc_count += 0", shown), (host, shown)
    assert _netboots(seed) == {"node01": 1, "node02": 1, "node03": 1, "node04": 1}
    servers = {line.rsplit(" ", 3)[1]: line.split(" -S ", 1)[1].split()[0]
               for line in seed.lab.command_counts() if line.startswith(f"{HMC} lpar_netboot")}
    assert servers == {"node01": "9.114.113.225", "node02": "9.114.113.225",
                       "node03": "9.114.114.5", "node04": "9.114.114.5"}
