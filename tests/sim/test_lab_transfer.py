"""The master's fair-share schedule kept up to date one transfer at a time (xclone/sim/transfer.py).

`Sharing.extend` reworks a schedule from its latest start instead of building it anew, and works
the departures after the latest start out only as far as a question needs: the answers must be
those of a schedule built from scratch, to the last bit, whatever was asked in between.
"""

from __future__ import annotations

import random

import pytest

from xclone.sim.transfer import Sharing, Transfer

FRACTIONS = (0.0, 0.1, 0.5, 0.999, 1.0)


def _transfers(rng: random.Random, n: int) -> list[Transfer]:
    at, found = 0.0, []
    for i in range(n):
        at += rng.choice([0.0, rng.random() * 100, rng.random() * 3000])
        found.append(Transfer(f"k{i:03d}", at, rng.choice([2048.0, 100.0, rng.random() * 500])))
    return found


@pytest.mark.parametrize("seed", range(40))
def test_a_schedule_extended_one_transfer_at_a_time_answers_as_one_built_at_once(
        seed: int) -> None:
    rng = random.Random(seed)
    transfers = _transfers(rng, rng.randint(2, 40))
    bandwidth, cap = rng.choice([125.0, 10.0]), rng.choice([1.14, float("inf"), 50.0])
    kept = Sharing(transfers[:1], bandwidth, cap)
    for count, transfer in enumerate(transfers[1:], start=1):
        for _ in range(rng.randint(0, 3)):  # questions that work part of the tail out
            kept.reaches(transfers[rng.randrange(count)].key, rng.choice(FRACTIONS))
        assert kept.extend(transfer)
    whole = Sharing(transfers, bandwidth, cap)
    for transfer in transfers:
        for fraction in FRACTIONS:
            assert kept.reaches(transfer.key, fraction) == whole.reaches(transfer.key, fraction)
    assert kept.finish == whole.finish


def test_a_transfer_starting_before_the_latest_is_refused() -> None:
    sharing = Sharing([Transfer("a", 10.0, 100.0)], 10.0, 5.0)
    assert not sharing.extend(Transfer("b", 5.0, 100.0))
    assert not sharing.extend(Transfer("0", 10.0, 100.0))  # same start, earlier key: sorted first
    assert "b" not in sharing
    assert sharing.finish == {"a": 30.0}


def test_an_empty_schedule_is_built_anew() -> None:
    assert not Sharing([], 10.0, 5.0).extend(Transfer("a", 1.0, 10.0))
