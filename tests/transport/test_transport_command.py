"""Commands stay values down to the wire (issue 13 item 5): a transport renders
`Command.shell()` and sends the command's own stdin; what it records, and what the journaling
transport writes, is `Command.display()`, with secret words masked, never the raw shell string."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from xclone.apply.journal import Journal, JournaledTransport
from xclone.base.command import C_LOCALE, Command
from xclone.sim import Lab
from xclone.transport.sim import SimTransport

MN = "xcataixmn"
# A word marked secret that the redaction of this process does not know: only the masked
# display keeps it out of what xclone writes.
HIDDEN = "usercomment=p4-unregistered-word"
COMMAND = Command(("chdef", "-t", "node", "-o", "node27", HIDDEN), env=C_LOCALE,
                  secret_words=frozenset({5}))


@pytest.fixture
def lab(instant_seed_lab: Path, tmp_path: Path) -> Lab:
    return Lab.init(instant_seed_lab, tmp_path / "state")


def test_the_far_side_gets_the_shell_form_and_the_result_records_the_masked_one(lab: Lab) -> None:
    result = SimTransport(lab).run(MN, COMMAND)
    assert result.exit_status == 0, result.stderr
    assert result.command == "LC_ALL=C chdef -t node -o node27 usercomment=***"
    # The lab ran the real words (its count leaves the env prefix out), and chdef stored them.
    assert lab.command_counts()[f"{MN} chdef -t node -o node27 {HIDDEN}"] == 1
    shown = SimTransport(lab).run(MN, Command.of("lsdef", "-t", "node", "-o", "node27", "-i",
                                                 "usercomment", "-c"))
    assert shown.stdout == f"node27: {HIDDEN}\n"


def test_the_command_carries_its_stdin_to_the_far_side(lab: Lab) -> None:
    stanza = "node05:\n    objtype=node\n    groups=lpar,all\n"
    made = SimTransport(lab).run(MN, Command.of("mkdef", "-z", env=C_LOCALE, stdin=stanza))
    assert made.exit_status == 0, made.stderr
    shown = SimTransport(lab).run(MN, Command.of("lsdef", "-t", "node", "-i", "groups", "-c",
                                                 "node05"))
    assert shown.stdout == "node05: groups=lpar,all\n"


def test_the_journaling_transport_writes_the_masked_display(lab: Lab, tmp_path: Path) -> None:
    journal = Journal(tmp_path / "runs", kind="apply")
    JournaledTransport(SimTransport(lab), journal, "observe").run(MN, COMMAND)
    text = journal.path.read_text(encoding="utf-8")
    assert "p4-unregistered-word" not in text
    record = json.loads(text.splitlines()[-1])
    assert (record["action"], record["host"], record["command"], record["exit_status"]) == (
        "observe", MN, COMMAND.display(), 0)
