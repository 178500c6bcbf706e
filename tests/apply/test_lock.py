"""The apply lock (issue 11 §4): it appears with its holder record, only its owner releases it,
and a lock step that fails says why instead of blaming another apply.

POSIX rename(2) is atomic and `mv DIR EXISTING_DIR` moves DIR *into* EXISTING_DIR (IEEE Std
1003.1 `mv`, second synopsis form); unlink of a named file fails when it is not there; `rmdir`
fails on a non-empty directory. The lab's `mv`, `rm`, `rmdir` follow those rules, on the xCAT
management node and on the NIM master alike: every test runs once per driver (tests/drivers.py)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.apply.helpers import Scenario
from tests.drivers import DriverCase, both
from xclone.apply import lock as locks
from xclone.base.command import Command
from xclone.base.errors import XcloneError
from xclone.transport.sim import SimTransport

CLUSTER = "clustersite"


@pytest.fixture(params=both())
def seed(request: pytest.FixtureRequest, tmp_path: Path) -> Scenario:
    case: DriverCase = request.param
    return case.scenario(tmp_path)


def test_a_force_unlocked_apply_never_releases_the_next_ones_lock(seed: Scenario) -> None:
    """A holds the lock, is force-unlocked, B takes the lock; A's release must leave B's lock
    alone (and say so), so a third apply is still refused while B holds it."""
    mn = seed.master
    transport = SimTransport(seed.lab)
    a = locks.acquire(transport, mn, CLUSTER, "sha256:a")
    unlock = seed.xclone("force-unlock", str(seed.spec_file), a.id, "--lab", str(seed.lab_file))
    assert unlock.exit_code == 0, unlock.output
    b = locks.acquire(transport, mn, CLUSTER, "sha256:b")
    warning = locks.release(transport, a)
    assert warning is not None and "no longer ours" in warning and b.id in warning
    assert locks.read_holder(transport, mn, CLUSTER) == b.holder
    third = seed.apply()
    assert third.exit_code == 1
    assert f"locked by another apply on {mn}: lock {b.id}" in third.output
    assert locks.release(transport, b) is None
    assert seed.mn(f"ls {locks.LOCK_ROOT}/{CLUSTER}")[0] != 0


def test_two_racing_acquires_yield_one_lock_and_the_loser_leaves_nothing(seed: Scenario) -> None:
    mn = seed.master
    transport = SimTransport(seed.lab)
    first = locks.acquire(transport, mn, CLUSTER)
    foreign = {**first.holder, "where": "elsewhere"}  # never taken over as a dead local apply
    transport.run(mn, Command.of("tee", first.record, stdin=json.dumps(foreign)))
    with pytest.raises(XcloneError, match="locked by another apply"):
        locks.acquire(transport, mn, CLUSTER)
    listing = seed.mn(f"ls {locks.LOCK_ROOT}/{CLUSTER}")[1].split()
    assert listing == [f"holder-{first.id}"]


@pytest.mark.parametrize("case", both())
def test_a_failing_lock_step_is_reported_as_what_it_is(case: DriverCase, tmp_path: Path) -> None:
    denied = "mkdir: 0653-357 Cannot access directory /var/lib/xclone/locks.\n" \
             "/var/lib/xclone/locks: The file access permissions do not allow the operation.\n"
    seed = case.scenario(tmp_path, faults=[{"command": "mkdir", "stderr": denied, "exit": 2}])
    result = seed.apply()
    assert result.exit_code == 1
    assert f"cannot create /var/lib/xclone/locks on {seed.master}" in result.output
    assert "permissions do not allow" in result.output
    assert "locked by another apply" not in result.output
    assert "Traceback" not in result.output


# A command of the LPARs' first step that the slow test holds up (lab latency): xCAT's makehosts,
# the NIM driver's hostent.
HOSTS_COMMAND = {"xcat": "makehosts", "nim": "hostent"}


@pytest.mark.slow
@pytest.mark.parametrize("case", both())
def test_the_lock_records_the_plan_digest_it_runs(case: DriverCase, tmp_path: Path) -> None:
    """Planning happens under the lock, so the digest is written once the plan is made."""
    seed = case.scenario(tmp_path, clock={"scale": 300},
                         faults=[{"command": HOSTS_COMMAND[case.name], "latency": 3}])
    mn = seed.master
    proc = seed.apply_process(quiet=True)
    holder = None
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            holder = locks.read_holder(SimTransport(seed.lab), mn, CLUSTER)
            if holder and holder.get("plan"):
                break
            time.sleep(0.1)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(60)
    assert holder is not None and holder["plan"].startswith("sha256:"), holder
    journal = "".join(p.read_text(encoding="utf-8") for p in seed.journals())
    assert f'"lock": "{holder["id"]}"' in journal


@pytest.mark.parametrize("case", both())
def test_a_failing_release_says_why_and_keeps_the_exit_code(case: DriverCase,
                                                            tmp_path: Path) -> None:
    denied = "rm: 0653-609 Cannot remove /var/lib/xclone/locks/clustersite/holder.\n" \
             "The file access permissions do not allow the specified action.\n"
    seed = case.scenario(tmp_path, faults=[{"command": "rm", "args": "holder-",
                                            "stderr": denied, "exit": 2}])
    result = seed.apply()
    assert result.exit_code == 0, result.output
    assert "Warning: cannot remove lock" in result.output
    assert "permissions do not allow" in result.output
    assert "no longer ours" not in result.output


@pytest.mark.parametrize("leftover", ["", ".new-0123456789ab"], ids=["empty", "lost-race-dir"])
def test_a_lock_directory_without_a_record_is_a_killed_release_and_is_taken(
        seed: Scenario, leftover: str) -> None:
    """A release killed between unlinking its record and `rmdir` (or a loser killed before it
    took its directory back out) leaves a lock directory with no record. A live lock always has
    one (it appears by rename with its record inside), so the next apply takes such a leftover
    instead of refusing with an 'unknown holder'; a lock that has a record is never taken."""
    mn = seed.master
    transport = SimTransport(seed.lab)
    seed.mn(f"mkdir -p {locks.LOCK_ROOT}/{CLUSTER}")
    if leftover:
        seed.mn(f"mkdir {locks.LOCK_ROOT}/{CLUSTER}/{leftover}")
    taken = locks.acquire(transport, mn, CLUSTER)
    listing = seed.mn(f"ls -a {locks.LOCK_ROOT}/{CLUSTER}")[1].split()
    assert [n for n in listing if n not in (".", "..")] == [f"holder-{taken.id}"]
    foreign = {**taken.holder, "where": "elsewhere"}
    transport.run(mn, Command.of("tee", taken.record, stdin=json.dumps(foreign)))
    with pytest.raises(XcloneError, match=f"locked by another apply on {mn}: lock"):
        locks.acquire(transport, mn, CLUSTER)


def test_the_build_directory_of_an_apply_killed_before_its_rename_is_cleared(
        seed: Scenario) -> None:
    """An apply killed between `mkdir .new-ID` and its `mv` leaves `.new-ID` under the lock root:
    never a lock, so the next acquire removes it when its holder ran here and is gone; a build
    whose holder is alive (an acquire in progress) or elsewhere is left alone."""
    mn = seed.master
    transport = SimTransport(seed.lab)
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    dead = {"id": "0123456789ab", "where": socket.gethostname(), "pid": str(gone.pid)}
    alive = {"id": "ba9876543210", "where": socket.gethostname(), "pid": str(os.getpid())}
    for holder in (dead, alive):
        build = f"{locks.LOCK_ROOT}/.new-{holder['id']}"
        seed.mn(f"mkdir -p {build}")
        transport.run(mn, Command.of("tee", f"{build}/holder-{holder['id']}",
                                     stdin=json.dumps(holder)))
    taken = locks.acquire(transport, mn, CLUSTER)
    listing = seed.mn(f"ls -a {locks.LOCK_ROOT}")[1].split()
    assert ".new-0123456789ab" not in listing
    assert ".new-ba9876543210" in listing and CLUSTER in listing
    assert locks.release(transport, taken) is None
