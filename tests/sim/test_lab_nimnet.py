"""What the master's network costs a command (xclone/sim/nimnet.py): the schedule of every
install's transfer is built once and then taken along boot by boot, not built anew per command;
the transfers are forgotten once every install has read its end. Counts, never seconds; the
times the installs end are test_lab_costs.py's."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sim.test_lab_costs import RESTORE, SATURATED, _cstate, _lab, _netboot, _restore_ends
from xclone.sim import choices, nimnet, store
from xclone.sim.transfer import Sharing


def _builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    built: list[int] = []

    class Counted(Sharing):
        def __init__(self, *args: object, **kwargs: object) -> None:
            built.append(1)
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(nimnet, "Sharing", Counted)
    return built


def test_ten_boots_build_the_schedule_once(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    built = _builds(monkeypatch)
    lab = _lab(tmp_path, 10, SATURATED)
    starts = [_netboot(lab, i) for i in range(1, 11)]
    _restore_ends(lab, 10, starts[0] + 10 * RESTORE)
    assert len(built) == 1


def test_another_process_builds_the_schedule_from_the_rows(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A process that did not see the boots (lab serve runs each command in its own) has no
    schedule under the world's token: it reads the rows and gets the same ends."""
    lab = _lab(tmp_path, 3, SATURATED)
    starts = [_netboot(lab, i) for i in range(1, 4)]
    nimnet._SCHEDULES.clear()
    built = _builds(monkeypatch)
    _restore_ends(lab, 3, starts[0] + 3 * RESTORE)
    assert len(built) == 1


def test_the_transfers_are_forgotten_once_every_install_has_read_its_end(
        tmp_path: Path) -> None:
    lab = _lab(tmp_path, 2, SATURATED)
    starts = [_netboot(lab, i) for i in range(1, 3)]
    lab.advance(starts[0] + 2 * RESTORE + 1 - lab.now())
    assert choices.CSTATE_INSTALLING not in (_cstate(lab, 1), _cstate(lab, 2))
    with lab._session() as opened:
        session = opened.session
        assert session.all(nimnet.ROWS) == {}
        assert (session.meta(nimnet.OPEN), session.meta(nimnet.TOKEN)) == (0, "")


def test_the_threads_of_a_process_share_one_write_lock_per_world(tmp_path: Path) -> None:
    """They queue for a world's write transaction on a lock of their own, woken as it ends,
    rather than in SQLite's busy handler (which sleeps up to 100 ms between tries)."""
    one, two = tmp_path / "one", tmp_path / "two"
    first, again, other = store.connect(one), store.connect(one), store.connect(two)
    try:
        assert first.writer is again.writer  # type: ignore[attr-defined]
        assert first.writer is not other.writer  # type: ignore[attr-defined]
    finally:
        for conn in (first, again, other):
            conn.close()
