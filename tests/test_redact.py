"""Redaction and secret markers: the pure pieces every sink relies on.

lsdef forms are those of xCAT 2.9.2 DBobjectdefs.pm `defls`: `-z` prints a `name:` header then
`    attr=value`, `-l` prints `Object name: name` then `    attr=value`, `-c` prints
`name: attr=value`; the HMC node's `password` (ppchcp.password, Schema.pm) is among them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import structlog
from hypothesis import given
from hypothesis import strategies as st

from xclone.apply.journal import Journal
from xclone.base.command import Command
from xclone.base.errors import SecretError
from xclone.base.redact import MASK, is_secret_attribute, mask_attributes, redact, redact_data
from xclone.base.secret import (
    Secret,
    SecretRef,
    decode_name,
    encode_name,
    fill,
    masked,
    refs_in,
)
from xclone.cli.logs import configure

PASSWORD = "Zq8\"x\\ y(z)'w"

STANZA = ("# <xCAT data object stanza file>\n\nhmc01:\n    objtype=node\n    groups=hmc,all\n"
          f"    password={PASSWORD}\n    username=hscroot\n")
LONG = f"Object name: hmc01\n    groups=hmc,all\n    password={PASSWORD}\n    username=hscroot\n"
LONG_TYPED = f"Object name: hmc01  (node)\npassword={PASSWORD}\n"
COMPRESSED = f"hmc01: password={PASSWORD}\nhmc01: username=hscroot\n"
FSP = "Object name: fsp1\n    passwd.HMC=abc\n    passwd.general=def 1\n    bmcpassword=ghi\n"


def test_every_lsdef_form_loses_the_password_and_keeps_the_rest() -> None:
    for text in (STANZA, LONG, LONG_TYPED, COMPRESSED, "\thmc01:\n\t\tpassword=x y\n"):
        out = mask_attributes(text)
        assert "y(z)" not in out and "x y" not in out
        assert f"password={MASK}" in out
        assert out.count("\n") == text.count("\n")
    assert "username=hscroot" in mask_attributes(STANZA)
    assert mask_attributes(COMPRESSED).splitlines() == [f"hmc01: password={MASK}",
                                                         "hmc01: username=hscroot"]


def test_xcat_secret_attribute_names() -> None:
    out = mask_attributes(FSP)
    assert "abc" not in out and "def" not in out and "ghi" not in out
    assert all(is_secret_attribute(n) for n in ("password", "passwd.HMC", "domainadminpassword"))
    assert not is_secret_attribute("username")


def test_masking_is_idempotent_and_leaves_an_empty_value() -> None:
    once = mask_attributes(STANZA)
    assert mask_attributes(once) == once
    assert mask_attributes("    password=\n") == "    password=\n"


def test_a_resolved_secret_is_redacted_in_every_spelling() -> None:
    Secret(PASSWORD)
    for spelling in (PASSWORD, json.dumps(PASSWORD)[1:-1], repr(PASSWORD)[1:-1]):
        assert redact(f"Error: login refused with {spelling} here") == \
            f"Error: login refused with {MASK} here"


def test_redact_data_works_before_encoding() -> None:
    Secret(PASSWORD)
    record = {"stdout_tail": f"x {PASSWORD}", "nested": [{"k": PASSWORD}], "n": 3}
    line = json.dumps(redact_data(record))
    assert PASSWORD not in line and json.dumps(PASSWORD)[1:-1] not in line
    assert json.loads(line)["n"] == 3


names = st.text(min_size=1, max_size=60)


@given(names)
def test_marker_round_trips_any_path(path: str) -> None:
    ref = SecretRef(file=path)
    text = f"hmc01:\n    password={ref.marker()}\n    username=x)) ((y\n"
    assert refs_in(text) == [ref]
    assert decode_name(encode_name(path)) == path
    assert masked(text) == "hmc01:\n    password=***\n    username=x)) ((y\n"


@given(names)
def test_marker_round_trips_any_env_name(name: str) -> None:
    ref = SecretRef(env=name)
    assert refs_in(f"a{ref.marker()}b{ref.marker()}") == [ref, ref]


def test_marker_of_a_path_with_space_and_parentheses() -> None:
    ref = SecretRef(file="/tmp/my pw (hmc)).txt")
    assert " " not in ref.marker() and ref.marker().count(")") == 2
    assert refs_in(ref.marker()) == [ref]


def _forms(value: str) -> tuple[str, str]:
    return value, json.dumps(value)[1:-1]


def test_journal_redacts_stdin_tails_and_messages_before_encoding(tmp_path: Path) -> None:
    """Issue 11 §11: redaction used to run on the JSON line, where `"` had become `\\"`."""
    value = "J\"o\\urnal pw"
    journal = Journal(tmp_path)
    journal.redact(value)
    stanza = f"hmc01:\n    objtype=node\n    password={value}\n"
    journal.command("002", "xcataixmn", Command.of("mkdef", "-z", stdin=stanza), 1, 0.1,
                    f"# <xCAT data object stanza file>\n{stanza}", f"Error: refused {value}\n")
    journal.write({"event": "run.end", "failed": [{"output": f"hmc01: password={value}"}]})
    text = journal.path.read_text(encoding="utf-8")
    assert not [form for form in _forms(value) if form in text]
    assert text.count("password=***") == 3
    records = [json.loads(line) for line in text.splitlines()]
    assert records[1]["stderr_tail"] == "Error: refused ***"


def test_an_unregistered_password_attribute_is_masked_in_the_journal(tmp_path: Path) -> None:
    journal = Journal(tmp_path)
    journal.write({"event": "command", "stdout_tail": "hmc01: password=Never Registered\"1"})
    assert "Never" not in journal.path.read_text(encoding="utf-8")


def test_log_events_are_redacted_before_rendering(capsys: pytest.CaptureFixture[str]) -> None:
    value = "L\"og\\ pw"
    Secret(value)
    for fmt in ("json", "text"):
        configure(fmt, verbose=1)
        structlog.get_logger("t").info("command.end", output=f"got {value}",
                                       tail="    password=Unregistered pw")
        err = capsys.readouterr().err
        assert "command.end" in err
        assert not [form for form in _forms(value) if form in err]
        assert "Unregistered" not in err


# Distinctive values: resolving registers them with the redactor for the rest of the process.
@pytest.mark.parametrize("value", ["odd-pw-1\nnext", " odd-pw-2", "odd-pw-3\t", '"odd-pw-4',
                                   'odd-pw-5"', "odd-pw-6:"])
def test_fill_refuses_a_value_xcats_stanza_reader_would_change(
        value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """DBobjUtils.pm readFileInput (2.9.2) trims blanks and one quote at each end, takes a line
    ending in ':' for a header; a line break would inject an attribute into the HMC node."""
    monkeypatch.setenv("ODD_PW", value)
    ref = SecretRef(env="ODD_PW")
    with pytest.raises(SecretError) as caught:
        fill(f"hmc01:\n    password={ref.marker()}\n")
    assert caught.value.message.startswith("secret env:ODD_PW: it ")
    assert value.strip() not in caught.value.message


def test_fill_keeps_quotes_and_blanks_inside(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ODD_PW", PASSWORD)
    text, used = fill(f"    password={SecretRef(env='ODD_PW').marker()}\n")
    assert text == f"    password={PASSWORD}\n" and [s.reveal() for s in used] == [PASSWORD]
