"""What a lab command costs the process holding the lab (issue 16: the NIM driver's apply of
1,000 LPARs within 1.15x of its critical path, on a clock where the lab's CPU delays the
executor's threads). Counts and outputs, never seconds: commands under a timeout reuse their
worker thread and so its kept connection; the clock and costs are parsed once per stored value;
`hostent -a` appends to a file it wrote itself and answers as before on any other.

Sources: AIX 7.2 "hostent Command" (`-a IPAddress -h "HostName..."`; docs/formats.md "NIM").
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.sim.conftest import MN, seed_data, write_lab
from xclone.base.command import Command
from xclone.sim import Lab, store
from xclone.sim.clock import Clock
from xclone.sim.costs import Costs
from xclone.sim.generate import synthetic_lab
from xclone.transport.sim import SimTransport


@pytest.fixture
def lab(tmp_path: Path) -> Lab:
    return Lab.init(write_lab(tmp_path, seed_data(clock={"scale": 0})), tmp_path / "state")


def test_commands_under_a_timeout_share_their_worker_threads_connection(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A thread per command opened a connection per command (the lab keeps one per thread):
    one after another, they now run on one worker and open at most one between them."""
    small = Lab.from_dict(synthetic_lab(2), tmp_path / "state")
    opened: Counter[str] = Counter()
    connect = store.connect

    def counting(state_dir: Path, **kwargs: Any) -> Any:
        opened["connections"] += 1
        return connect(state_dir, **kwargs)

    monkeypatch.setattr(store, "connect", counting)
    transport = SimTransport(small)
    for _ in range(5):
        result = transport.run(MN, Command.of("lsnim", "-l", "master"), timeout=30)
        assert result.exit_status == 0 and "master:" in result.stdout
    assert opened["connections"] <= 1


def test_a_timed_out_command_keeps_its_worker_and_the_next_one_answers(lab: Lab) -> None:
    """The hung command's worker is not handed the next command: that one gets another."""
    from xclone.base.remote import OutcomeUnknown
    from xclone.sim.faults import Fault

    lab.add_fault(Fault(command="lsdef", hang=0.5, times=1))
    transport = SimTransport(lab)
    with pytest.raises(OutcomeUnknown):
        transport.run(MN, Command.of("lsdef", "-t", "network"), timeout=0.05)
    answered = transport.run(MN, Command.of("lsnim", "-l", "master"), timeout=30)
    assert answered.exit_status == 0 and "master:" in answered.stdout


def test_the_clock_and_costs_are_parsed_once_per_stored_value(
        lab: Lab, monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: Counter[str] = Counter()
    clock_from, costs_from = Clock.from_json, Costs.from_json

    def clock(data: Any) -> Clock:
        parsed["clock"] += 1
        return clock_from(data)

    def costs(data: Any) -> Costs:
        parsed["costs"] += 1
        return costs_from(data)

    monkeypatch.setattr(Clock, "from_json", staticmethod(clock))
    monkeypatch.setattr(Costs, "from_json", staticmethod(costs))
    for _ in range(4):
        assert lab.execute(MN, "lsnim -l master").exit_status == 0
    assert parsed == {"clock": 1, "costs": 1}
    lab.advance(60.0)  # the clock's stored value changes: parsed again, and read right
    before = lab.now()
    assert lab.execute(MN, "lsnim -l master").exit_status == 0
    assert parsed["clock"] == 2 and lab.now() == before


@pytest.mark.parametrize("before", [
    "", "127.0.0.1 loopback localhost\n", "127.0.0.1 loopback\n\n# a comment\n",
    "127.0.0.1 loopback", "127.0.0.1 loopback\r\n9.114.113.1 gw\r\n",
    "127.0.0.1 loopback\x0c9.114.113.1 gw\n",
])
def test_hostent_adds_a_line_to_the_file_as_written_back_line_by_line(
        lab: Lab, before: str) -> None:
    """Every line of the file written back ending in a newline, the new one last: appending
    where the file already reads so, rewriting it otherwise."""
    assert lab.execute(MN, "tee /etc/hosts", before).exit_status == 0
    assert lab.execute(MN, "hostent -a 9.114.113.230 -h 'node01 node01.cluster.com'") \
        .exit_status == 0
    expected = "".join(line + "\n" for line in before.splitlines())
    assert lab.execute(MN, "cat /etc/hosts").stdout == \
        expected + "9.114.113.230 node01 node01.cluster.com\n"


def test_hostent_refuses_an_address_already_in_the_file(lab: Lab) -> None:
    assert lab.execute(MN, "tee /etc/hosts", "9.114.113.230 node01\n").exit_status == 0
    again = lab.execute(MN, "hostent -a 9.114.113.230 -h node01")
    assert again.exit_status == 1 and "9.114.113.230" in again.stderr
    prefix = lab.execute(MN, "hostent -a 9.114.113.23 -h node09")  # a prefix is not the address
    assert prefix.exit_status == 0
    assert lab.execute(MN, "cat /etc/hosts").stdout == \
        "9.114.113.230 node01\n9.114.113.23 node09\n"
