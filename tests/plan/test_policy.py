"""`--deny` judges the commands a change runs (issue 11 §1), through the real CLI on the lab."""

from __future__ import annotations

from pathlib import Path

from tests.apply.helpers import Scenario


def test_a_first_install_that_powers_off_a_running_lpar_counts_as_reinstall(
        tmp_path: Path) -> None:
    """node01 runs but xCAT and NIM no longer know it: `getmacs -D` powers it off and `rnetboot`
    power-cycles it. The change is a `create`, so before this fix `--deny reinstall` let it
    through ("0 to reinstall")."""
    seed = Scenario(tmp_path)
    assert seed.converge().exit_code == 0
    assert seed.mn("nim -o remove node01")[0] == 0
    assert seed.mn("rmdef -t node -o node01")[0] == 0
    result = seed.plan("--deny", "reinstall")
    assert "0 to reinstall" in result.output and "getmacs node01 -D" in result.output
    assert result.exit_code == 1
    assert "Error: the plan holds changes denied by --deny:" in result.output
    assert "lpar.node01 (reinstall: not defined)" in result.output
    destructive = seed.plan("--deny", "destructive")
    assert destructive.exit_code == 1
    assert "lpar.node01 (destructive: not defined)" in destructive.output


def test_reinstall_and_delete_are_named_with_their_reasons(tmp_path: Path) -> None:
    seed = Scenario(tmp_path)
    assert seed.converge().exit_code == 0
    assert seed.plan("--deny", "reinstall", "--deny", "delete").exit_code == 0
    replaced = seed.plan("--replace", "lpar.node02", "--deny", "reinstall")
    assert replaced.exit_code == 1
    assert "lpar.node02 (reinstall: reinstall)" in replaced.output
    del seed.spec_data["lpars"]["node02"]
    seed.write_spec()
    removed = seed.plan("--deny", "delete", "--deny", "reinstall")
    assert removed.exit_code == 1
    assert "lpar.node02 (delete:" in removed.output
    assert "reinstall" not in removed.output.split("--deny:")[1]
