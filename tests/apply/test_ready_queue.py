"""The executor's ready queue (xclone/apply/ready.py): depth first, a full host holds its own
actions back without taking a global slot, and ten thousand ready actions cost a bounded number
of heap operations (counts only, never seconds)."""

from __future__ import annotations

from xclone.apply.ready import Entry, ReadyQueue, depths


def _queue(entries: list[Entry], parallelism: float, limits: dict[str, int]) -> ReadyQueue:
    queue = ReadyQueue(entries, parallelism, lambda host: limits.get(host, 10))
    for entry in entries:
        if not entry.depends_on:
            queue.add(entry.id)
    return queue


def test_a_started_branch_goes_on_before_new_ones_open() -> None:
    """The NIM shape: define then boot per LPAR. Once node1's define ends, its boot starts
    before node3's define, although '3-define' sorts before '4-boot'."""
    entries = [Entry("1-define", "mn", False, ()), Entry("2-define", "mn", False, ()),
               Entry("3-define", "mn", False, ()), Entry("4-boot", "hmc", False, ("1-define",)),
               Entry("5-boot", "hmc", False, ("2-define",))]
    assert depths(entries)["4-boot"] == 1
    queue = _queue(entries, 1, {})
    assert queue.take() == ["1-define"]
    queue.done("1-define")
    queue.add("4-boot")
    assert queue.take() == ["4-boot"]


def test_a_full_host_does_not_take_a_global_slot() -> None:
    """Three slots, the management node holds one session: its second command waits for it,
    and the HMC's commands get the other slots instead of a thread parked on the full host."""
    entries = [Entry("1-mn", "mn", False, ()), Entry("2-mn", "mn", False, ()),
               Entry("3-hmc", "hmc", False, ()), Entry("4-hmc", "hmc", False, ()),
               Entry("5-wait", "mn", True, ())]
    queue = _queue(entries, 3, {"mn": 1})
    assert queue.take() == ["1-mn", "3-hmc", "4-hmc", "5-wait"]  # a wait takes no slot
    assert queue.running == 3 and queue.pending() == ["2-mn"]
    queue.done("3-hmc")
    assert queue.take() == []  # the slot is free, the management node is not
    queue.done("1-mn")
    assert queue.take() == ["2-mn"]


def test_ten_thousand_held_actions_cost_a_few_pushes_each() -> None:
    """10,000 ready commands on 4 hosts of one session each: a rescan of every waiter at every
    end would push about n^2 / 8 = 12,500,000 times."""
    count = 10_000
    entries = [Entry(f"{i:05d}", f"hmc{i % 4}", False, ()) for i in range(count)]
    queue = _queue(entries, 8, {f"hmc{h}": 1 for h in range(4)})
    started = 0
    while True:
        batch = queue.take()
        if not batch and not queue.running:
            break
        started += len(batch)
        for action_id in batch:
            queue.done(action_id)
    assert started == count
    assert queue.pushes <= 3 * count
