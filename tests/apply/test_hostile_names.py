"""Hostile names, for each driver (tests/drivers.py): a name with shell metacharacters never
gets past the spec, and every word xclone sends reaches the management node's or the HMC's shell
as exactly the word it meant (quoted where it must be: xCAT's `'node[01-02]'` noderange, NIM's
`-a 'if1=master_net node01 fef9dfa81e02'`).

Facts: NIM object names are letters, digits, `_`, `-` and `.` up to 39 characters (docs/formats.md
"NIM", Names and states); xCAT's node and object names follow its noderange syntax (xCAT 2.9.2
noderange man page), so a `;`, `$(...)`, `|`, `&` or a blank in a name is always an error here.
The lab counts each command line as the words its shell split (Lab.command_counts), which is
what the assertions compare the journal's commands with.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.apply.helpers import Scenario
from tests.drivers import DriverCase, both, commands


def _rename_lpar(spec: dict[str, Any]) -> None:
    spec["lpars"]["node01;reboot"] = spec["lpars"].pop("node01")


def _profile(spec: dict[str, Any]) -> None:
    spec["lpars"]["node02"]["profile"] = "lpar6 $(reboot)"


def _osimage(spec: dict[str, Any]) -> None:
    spec["osimages"]["610sysb`reboot`"] = spec["osimages"].pop("610sysb")
    spec["lpar_defaults"]["osimage"] = "610sysb`reboot`"


def _postscript(spec: dict[str, Any]) -> None:
    spec["groups"]["aixnodes"]["postscripts"] = ["setupntp|reboot"]


def _network(spec: dict[str, Any]) -> None:
    spec["networks"]["net1&&reboot"] = spec["networks"].pop("net1")


HOSTILE: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    "lpar-name": (_rename_lpar, "'node01;reboot' contains shell metacharacters"),
    "profile": (_profile, "'lpar6 $(reboot)' contains shell metacharacters"),
    "osimage-name": (_osimage, "'610sysb`reboot`' contains shell metacharacters"),
    "postscript": (_postscript, "'setupntp|reboot' contains shell metacharacters"),
    "network-name": (_network, "'net1&&reboot' contains shell metacharacters"),
}


@pytest.mark.parametrize("field", sorted(HOSTILE))
@pytest.mark.parametrize("case", both())
def test_a_name_with_shell_metacharacters_is_refused_by_the_spec(
        case: DriverCase, field: str, tmp_path: Path) -> None:
    change, message = HOSTILE[field]
    seed = case.scenario(tmp_path)
    change(seed.spec_data)
    seed.write_spec()
    for command in ("validate", "plan"):
        args = (command, str(seed.spec_file)) + (("--lab", str(seed.lab_file))
                                                 if command == "plan" else ())
        result = seed.xclone(*args)
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
        lines = [line for line in result.output.splitlines() if message in line]
        assert lines and all(line.startswith(f"{seed.spec_file}:") for line in lines), \
            result.output
    assert seed.lab.command_counts() == {}, "nothing reached the cluster"


def _received(seed: Scenario) -> set[tuple[str, ...]]:
    """Every command line the lab's shells received, as the words they split it into."""
    return {tuple(shlex.split(line)[1:]) for line in seed.lab.command_counts()}


def _meant(command: str) -> tuple[str, ...]:
    """The words of a journal command (its display form), without the env assignments."""
    words = shlex.split(command)
    while words and "=" in words[0] and words[0].split("=", 1)[0].isidentifier():
        words.pop(0)
    return tuple(words)


# A word that only survives as one word when quoted, per driver.
QUOTED = {"xcat": ("rnetboot", "node[01-02]"),
          "nim": ("nim", "if1=master_net node01 fef9dfa81e02")}


@pytest.mark.parametrize("case", both())
def test_every_word_sent_arrives_as_the_word_meant(case: DriverCase, tmp_path: Path) -> None:
    seed = case.scenario(tmp_path)
    applied = seed.apply()
    assert applied.exit_code == 0, applied.output
    sent = [_meant(c) for c in commands(seed)]
    received = _received(seed)
    assert sent and all(words in received for words in sent), set(sent) - received
    program, word = QUOTED[case.name]
    assert any(words[0] == program and word in words for words in sent), sent
