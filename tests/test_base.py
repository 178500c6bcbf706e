from __future__ import annotations

import shlex

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xclone.base.address import Address
from xclone.base.command import Command
from xclone.base.mark import carries, ownership_mark
from xclone.base.noderange import compact, expand
from xclone.base.secret import SecretRef


def test_address_round_trip() -> None:
    assert str(Address.parse("cec.Server-9117-MMA-SN10F6F3D")) == "cec.Server-9117-MMA-SN10F6F3D"
    with pytest.raises(ValueError):
        Address.parse("node01")
    with pytest.raises(ValueError):
        Address.parse("vm.node01")


def test_command_quotes_hostile_words_and_masks_secrets() -> None:
    cmd = Command(("chdef", "node01;reboot", "password=hunter2"), (("LC_ALL", "C"),),
                  secret_words=frozenset({2}))
    assert cmd.shell() == "LC_ALL=C chdef 'node01;reboot' password=hunter2"
    assert "hunter2" not in cmd.display()
    assert cmd.display().endswith(" password=***")


@pytest.mark.parametrize(
    ("text", "first", "last", "count"),
    [
        ("node[03-64]", "node03", "node64", 62),
        ("node03-node64", "node03", "node64", 62),
        ("node[1-10]", "node1", "node10", 10),
        ("node01:node04", "node01", "node04", 4),
    ],
)
def test_expand_ranges(text: str, first: str, last: str, count: int) -> None:
    names = expand(text)
    assert (names[0], names[-1], len(names)) == (first, last, count)


def test_expand_keeps_known_names_with_dashes() -> None:
    assert expand("Server-9117-MMA-SN10F6F3D") == ["Server-9117-MMA-SN10F6F3D"]
    assert expand("a01-a03", is_name=lambda n: n == "a01-a03") == ["a01-a03"]


@pytest.mark.parametrize(
    "names",
    [
        ["node01", "node02", "node03", "node27"],
        ["node8", "node9", "node10", "node11"],
        ["hmc01"],
        [f"n{i:04d}" for i in range(1, 1001)],
    ],
)
def test_compact_round_trips(names: list[str]) -> None:
    assert sorted(expand(compact(names))) == sorted(names)


def test_compact_is_short() -> None:
    assert compact([f"node{i:02d}" for i in range(3, 65)]) == "node[03-64]"


def test_secret_never_shows_its_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HMC01_PASSWORD", "s3cret!")
    secret = SecretRef(env="HMC01_PASSWORD").resolve()
    assert secret.reveal() == "s3cret!"
    assert "s3cret" not in repr(secret) and "s3cret" not in f"{secret}"


_WORD = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
                min_size=0, max_size=30)


@given(st.lists(_WORD, min_size=1, max_size=8), st.lists(_WORD, max_size=3))
def test_no_value_changes_the_command_words(argv: list[str], values: list[str]) -> None:
    """Whatever a spec value holds (quotes, `;`, `$(...)`, newlines), the remote shell sees
    exactly the words we meant: shlex.split of what we send gives them back."""
    cmd = Command(tuple(argv), (("LC_ALL", "C"),) + tuple((f"V{i}", v) for i, v in
                                                          enumerate(values)))
    words = shlex.split(cmd.shell())
    assert words == ["LC_ALL=C", *(f"V{i}={v}" for i, v in enumerate(values)), *argv]


def test_the_ownership_mark_is_one_word_among_an_administrators_own() -> None:
    """CONTRACT §5: `xclone:<cluster>` in usercomment/comments; an adopted object keeps the
    words it had, and another cluster's mark or a longer word is not this cluster's."""
    mark = ownership_mark("clustersite")
    assert mark == "xclone:clustersite"
    assert carries("built by hand xclone:clustersite", mark)
    assert not carries("xclone:clustersite2 xclone:other", mark)
    assert not carries("", mark) and not carries("anything", "")
