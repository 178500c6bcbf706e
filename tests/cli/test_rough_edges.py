"""Issue 18's rough edges a new user meets before anything runs, through the real CLI: a bad
choice says what was given, swapped files are named as such, global options work after the
subcommand, and the help of `plan` and `apply` carries examples."""

from __future__ import annotations

import pytest
from helpers import Scenario

from xclone.cli.main import hoist_global_options


def test_a_value_outside_its_choices_says_what_was_given(seed: Scenario) -> None:
    seed.set_lpar("node01", state="running")
    seed.write_spec(version=2)
    result = seed.xclone("validate", str(seed.spec_file))
    assert result.exit_code == 1
    assert ("state: input should be 'installed', 'defined' or 'absent' (got 'running')"
            in result.output)
    assert "(got 2)" in result.output


def test_swapped_spec_and_lab_files_are_named_as_such(seed: Scenario) -> None:
    swapped = seed.xclone("plan", str(seed.lab_file), "--lab", str(seed.spec_file))
    assert swapped.exit_code == 1
    assert f"Error: {seed.lab_file} is a lab file, not a spec" in swapped.output
    assert swapped.output.count("\n") == 1 and "unknown key" not in swapped.output
    lab_is_spec = seed.xclone("plan", str(seed.spec_file), "--lab", str(seed.spec_file))
    assert lab_is_spec.exit_code == 1
    assert f"Error: {seed.spec_file} is a spec, not a lab file" in lab_is_spec.output
    assert "unknown key" not in lab_is_spec.output


@pytest.mark.parametrize("after", [("-vv", "--log-format", "json"), ("-v", "-v",
                                                                      "--log-format=json")])
def test_log_options_work_after_the_subcommand(seed: Scenario, after: tuple[str, ...]) -> None:
    result = seed.plan(*after)
    assert result.exit_code == 0, result.output
    assert '"event": "observe.start"' in result.stderr and '"level": "debug"' in result.stderr
    applied = seed.apply("--log-format", "json")
    assert applied.exit_code == 0, applied.output
    assert '"event": ' in applied.stderr


def test_only_global_options_move_and_nothing_after_double_dash() -> None:
    assert hoist_global_options(["plan", "s.yaml", "-vv", "--log-format", "json", "-o", "p"]) \
        == ["-vv", "--log-format", "json", "plan", "s.yaml", "-o", "p"]
    assert hoist_global_options(["lab", "exec", "--", "ls", "-v"]) == \
        ["lab", "exec", "--", "ls", "-v"]
    assert hoist_global_options(["--version"]) == ["--version"]


@pytest.mark.parametrize("command", ["plan", "apply"])
def test_plan_and_apply_help_have_examples(seed: Scenario, command: str) -> None:
    result = seed.xclone(command, "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.output
    assert f"xclone {command} " in result.output.split("Examples:")[1]
