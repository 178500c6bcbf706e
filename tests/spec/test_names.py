"""xCAT/NIM name rules: safe command words, clear reasons for everything else."""

from __future__ import annotations

import shlex

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xclone.base import names


@pytest.mark.parametrize("name", ["node01", "Server-9117-MMA-SN10F6F3D", "610sysb", "a.b_c-d"])
def test_good_names(name: str) -> None:
    assert names.name_problem(name) is None
    assert names.is_safe_word(name)


@pytest.mark.parametrize(
    ("name", "reason"),
    [("node01;reboot", "shell metacharacters (';')"), ("", "is empty"),
     ("-rf", "must start with a letter or digit"), ("nöde", "contains 'ö'"),
     ("a b", "shell metacharacters (' ')"), ("x" * 40, "at most 39")],
)
def test_bad_names(name: str, reason: str) -> None:
    problem = names.name_problem(name, "LPAR name", names.NIM_NAME_MAX)
    assert problem is not None and reason in problem
    with pytest.raises(ValueError, match="LPAR name"):
        names.check_name(name, "LPAR name", names.NIM_NAME_MAX)


@given(st.text(max_size=20))
def test_a_safe_word_never_needs_shell_quoting(word: str) -> None:
    if names.is_safe_word(word):
        assert shlex.quote(word) == word and not word.startswith("-")


def test_hosts_and_env_names() -> None:
    assert names.host_problem("hmc01.cluster.com") is None
    assert names.host_problem("9.114.113.225") is None
    assert names.host_problem("bad host") is not None
    assert names.host_problem("-x.example.com") is not None
    assert names.env_problem("HMC01_PASSWORD") is None
    assert names.env_problem("HMC-PW") is not None
