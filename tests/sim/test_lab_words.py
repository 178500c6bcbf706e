"""The lab's shell words (xclone/sim/run.py `_split`): a plain command line is split at its
blanks without shlex's tokenizer, and every line gets exactly the words of shlex's POSIX split
(IEEE Std 1003.1, Shell Command Language 2.3 token recognition), checked on random lines."""

from __future__ import annotations

import random
import shlex
from collections.abc import Callable

import pytest

from xclone.sim import run

ALPHABET = [chr(i) for i in range(128)] + ["é", "\u00a0", "\u2028"]


def _words(line: str, split: Callable[[str], list[str]]) -> list[str] | str:
    try:
        return split(line)
    except ValueError:
        return "unbalanced"


def test_every_line_gets_shlexs_words() -> None:
    rng = random.Random(16)
    for _ in range(20_000):
        line = "".join(rng.choice(ALPHABET if rng.random() < 0.3 else "ab =-/.#:,\t\n")
                       for _ in range(rng.randint(0, 20)))
        assert _words(line, run._split) == _words(line, lambda t: shlex.split(t, posix=True))


def test_a_plain_line_skips_the_tokenizer(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object, **__: object) -> list[str]:
        raise AssertionError("shlex.split called")

    monkeypatch.setattr(shlex, "split", refuse)
    assert run._split("LC_ALL=C lsnim -l node0001 node0002") == [
        "LC_ALL=C", "lsnim", "-l", "node0001", "node0002"]
