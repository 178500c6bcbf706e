"""Snapshot files: round trip, validation errors that name the file and the entry, and replay."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from xclone.base.command import C_LOCALE, Command
from xclone.base.errors import TransportError, XcloneError
from xclone.observed.snapshot import SnapshotEntry, load_snapshot, save_snapshot
from xclone.transport.snapshot import SnapshotTransport

WHEN = datetime(2026, 11, 25, 16, 42, 9, tzinfo=UTC)
ENTRIES = (
    SnapshotEntry("xcataixmn", "LC_ALL=C lsdef -t site -l", 0,
                  "Object name: clustersite\n    ppctimeout=180\n", ""),
    SnapshotEntry("hmc01.cluster.com", "lssyscfg -r sys -F name,type_model,serial_num,state", 0,
                  "Server-9117-MMA-SN10F6F3D,9117-MMA,10F6F3D,Operating\n", ""),
)


def test_round_trip(tmp_path: Path) -> None:
    written = save_snapshot(tmp_path / "snap", ENTRIES, WHEN)
    assert written == tmp_path / "snap" / "snapshot.json"
    document = json.loads(written.read_text(encoding="utf-8"))
    assert document["format_version"] == 1
    assert document["taken_at"] == "2026-11-25T16:42:09+00:00"
    assert document["entries"][0] == {
        "host": "xcataixmn", "command": "LC_ALL=C lsdef -t site -l", "exit_status": 0,
        "stdout": "Object name: clustersite\n    ppctimeout=180\n", "stderr": "",
    }
    loaded = load_snapshot(tmp_path / "snap")
    assert loaded.entries == ENTRIES and loaded.taken_at == WHEN
    assert load_snapshot(written).entries == ENTRIES  # the file itself works too


def _document(**changes: Any) -> dict[str, Any]:
    entries = [dict(vars(e)) for e in ENTRIES]
    doc: dict[str, Any] = {"format_version": 1, "taken_at": "2026-11-25T16:42:09Z",
                           "entries": entries}
    doc.update(changes)
    return doc


BAD = [
    ("not_json", "{", "not valid JSON"),
    ("not_object", [], "expected a JSON object"),
    ("version", _document(format_version=2), "format_version is 2"),
    ("no_version", {"taken_at": "2026-11-25", "entries": []}, "format_version is None"),
    ("extra_key", _document(comment="x"), "unknown top-level key(s): comment"),
    ("taken_at", _document(taken_at="yesterday"), "taken_at must be an ISO-8601 time"),
    ("entries_type", _document(entries={}), "entries must be a list"),
    ("entry_type", _document(entries=["lsdef"]), "entries[0]: expected an object"),
    ("missing", _document(entries=[{"host": "h", "command": "c"}]),
     "entries[0]: missing exit_status, stdout, stderr"),
    ("exit_type", _document(entries=[{**vars(ENTRIES[0]), "exit_status": "0"}]),
     "entries[0]: exit_status must be an integer"),
    ("exit_bool", _document(entries=[{**vars(ENTRIES[0]), "exit_status": True}]),
     "entries[0]: exit_status must be an integer"),
    ("stdout_type", _document(entries=[{**vars(ENTRIES[0]), "stdout": None}]),
     "entries[0]: stdout must be a string"),
    ("unknown_entry_key", _document(entries=[{**vars(ENTRIES[0]), "rc": 0}]),
     "entries[0]: unknown key(s): rc"),
    ("empty_host", _document(entries=[{**vars(ENTRIES[0]), "host": ""}]),
     "entries[0]: host and command must not be empty"),
    ("duplicate", _document(entries=[vars(ENTRIES[0]), vars(ENTRIES[1]), vars(ENTRIES[0])]),
     "entries[2] repeats host 'xcataixmn'"),
]


@pytest.mark.parametrize(("name", "content", "reason"), BAD, ids=[b[0] for b in BAD])
def test_invalid_snapshots_are_refused_clearly(
    tmp_path: Path, name: str, content: Any, reason: str
) -> None:
    target = tmp_path / "snapshot.json"
    target.write_text(content if isinstance(content, str) else json.dumps(content),
                      encoding="utf-8")
    with pytest.raises(XcloneError) as caught:
        load_snapshot(tmp_path)
    assert caught.value.message.startswith(f"{target}: ")
    assert reason in caught.value.message


def test_missing_snapshot_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(XcloneError, match="snapshot.json: cannot read the snapshot"):
        load_snapshot(tmp_path / "nowhere")


def test_replay_answers_exactly_what_was_recorded() -> None:
    transport = SnapshotTransport(ENTRIES)
    result = transport.run("xcataixmn", Command.of("lsdef", "-t", "site", "-l", env=C_LOCALE))
    assert (result.exit_status, result.stdout) == (0, ENTRIES[0].stdout)
    with pytest.raises(TransportError) as caught:
        transport.run("xcataixmn", Command.of("lsdef", "-t", "site", "-l"))
    assert caught.value.host == "xcataixmn"
    assert caught.value.message == "xcataixmn: snapshot has no output for: lsdef -t site -l"
    with pytest.raises(TransportError):
        # another host name is another host
        transport.run("hmc01", Command.of(*ENTRIES[1].command.split()))
    transport.close()
