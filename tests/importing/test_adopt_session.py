"""Adoption runs as an apply session does (issue 13 item 6): the lock is taken before anything is
observed, the marks go through apply's runner and journal (their records carry action ids), and
the lock is given back at the end."""

from __future__ import annotations

from tests.importing.test_lab_round_trip import RUNBOOK, SEED_SPEC, World, world

__all__ = ["world"]  # the fixture, shared with the round-trip tests


def test_journal_reads_lock_then_observe_then_marks_then_unlock(world: World) -> None:
    """Before, import observed without the lock and took it only to mark, so another apply could
    change the cluster between the observation and the marks, and nothing journaled either."""
    for command in RUNBOOK:
        world.mn(command)
    spec = world.dir / "seed.yaml"
    spec.write_text(SEED_SPEC.read_text(encoding="utf-8"), encoding="utf-8")
    adopted = world.xclone("import", str(spec), "--lab", str(world.lab_file), "lpar.node01",
                           "--auto-approve")
    assert adopted.exit_code == 0, adopted.output
    (journal,) = world.journals()
    labels = [str(r["action"]) for r in journal if r["event"] == "command"]
    observing = labels.index("observe")
    marking = labels.index("mark1")
    assert observing > 0 and set(labels[:observing]) == {"lock"}
    assert set(labels[observing:marking]) == {"observe", "lock"}  # lock: the plan's digest
    assert sorted(labels[marking:marking + 2]) == ["mark1", "mark2"]
    assert labels[marking + 2:] and set(labels[marking + 2:]) == {"lock"}  # released
    assert journal[-1]["event"] == "run.end" and journal[-1]["ok"] is True
    done = journal[-1]["done"]
    assert isinstance(done, list) and sorted(done) == ["mark1", "mark2"]
    # resources counted as apply counts them (issue 18): one LPAR, its two objects marked
    assert journal[-1]["resources"] == "1 adopted"
    shown = world.xclone("runs", "show", "last", str(spec))
    assert "Summary: 1 adopted. Actions: 2 done, 0 failed" in shown.output, shown.output
    again = world.xclone("import", str(spec), "--lab", str(world.lab_file), "lpar.node01")
    assert again.exit_code == 0 and "already marked" in again.output  # the lock was released
