"""`xclone completion SHELL` prints click's script, and the script completes our commands."""

from __future__ import annotations

import shutil
import subprocess

import click
import pytest
from click.testing import CliRunner

from xclone.cli.completion import COMPLETE_VAR, SHELLS


@pytest.mark.parametrize("shell", SHELLS)
def test_script_for_each_shell_calls_xclone_back(xclone_cli: click.Group, shell: str) -> None:
    result = CliRunner().invoke(xclone_cli, ["completion", shell])
    assert result.exit_code == 0
    assert COMPLETE_VAR in result.output
    assert f"{shell}_complete" in result.output


def test_unknown_shell_is_a_usage_error(xclone_cli: click.Group) -> None:
    result = CliRunner().invoke(xclone_cli, ["completion", "tcsh"])
    assert result.exit_code == 1
    assert "tcsh" in result.output


def test_completion_protocol_lists_subcommands_and_options(xclone_cli: click.Group) -> None:
    env = {COMPLETE_VAR: "bash_complete", "COMP_WORDS": "xclone di", "COMP_CWORD": "1"}
    result = CliRunner().invoke(xclone_cli, [], env=env, prog_name="xclone")
    assert result.output.split() == ["plain,diff"]
    env = {COMPLETE_VAR: "bash_complete", "COMP_WORDS": "xclone diff --for", "COMP_CWORD": "2"}
    result = CliRunner().invoke(xclone_cli, [], env=env, prog_name="xclone")
    assert result.output.split() == ["plain,--format"]


@pytest.mark.slow
@pytest.mark.skipif(not (shutil.which("bash") and shutil.which("xclone")),
                    reason="needs bash and an installed xclone")
def test_bash_script_completes_in_a_real_bash(xclone_cli: click.Group) -> None:
    script = CliRunner().invoke(xclone_cli, ["completion", "bash"]).output
    probe = script + "\nCOMP_WORDS=(xclone comp); COMP_CWORD=1; _xclone_completion xclone\n" \
        "printf '%s\\n' \"${COMPREPLY[@]}\"\n"
    done = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, timeout=60,
                          check=False)
    assert done.stdout.split() == ["completion"], done.stderr
