"""`xclone lab init|show|reset|run` through the real command group."""

from __future__ import annotations

from pathlib import Path

import click
from click.testing import CliRunner

from tests.sim.conftest import seed_data, write_lab


def test_lab_cli_walks_the_runbook(xclone_cli: click.Group, tmp_path: Path) -> None:
    lab = str(write_lab(tmp_path, seed_data(clock={"instant": True})))
    state = str(tmp_path / "state")
    runner = CliRunner()
    init = runner.invoke(xclone_cli, ["lab", "init", lab, "--state", state])
    assert init.exit_code == 0 and "seeded" in init.output

    def run(*words: str, stdin: str | None = None) -> tuple[int, str]:
        result = runner.invoke(xclone_cli, ["lab", "run", lab, "--state", state, "--host",
                                        "xcataixmn", "--", *words], input=stdin)
        return result.exit_code, result.stdout

    assert run("mkdef", "-t", "node", "-o", "hmc01", "groups=hmc,all", "nodetype=ppc",
               "hwtype=hmc", "mgt=hmc", "username=hscroot", "password=abc123")[0] == 0
    status, stanzas = run("rscan", "-z", "hmc01")
    assert status == 0 and stanzas.startswith("Server-9117-MMA-SN10F6F3D:\n\tobjtype=node\n")
    assert run("mkdef", "-z", stdin=stanzas)[0] == 1  # node27 already exists
    assert run("lsdef", "-s", "node01") == (0, "node01  (node)\n")
    missing = runner.invoke(xclone_cli, ["lab", "run", lab, "--state", state, "--host",
                                     "xcataixmn", "--", "lsdef", "node99"])
    assert missing.exit_code == 1
    # the command's stderr as typed, after the line naming the lab's state folder (issue 18)
    assert missing.stderr == (f"Lab state: {state}\n"
                              "Error: Could not find an object named 'node99' of type 'node'.\n")
    nohost = runner.invoke(xclone_cli, ["lab", "run", lab, "--state", state, "--host", "nowhere",
                                    "--", "ls"])
    assert nohost.exit_code == 1 and "nowhere: no such host in the lab" in nohost.stderr
    show = runner.invoke(xclone_cli, ["lab", "show", lab, "--state", state])
    assert show.exit_code == 0 and "  xCAT node: 5 " in show.output
    reset = runner.invoke(xclone_cli, ["lab", "reset", lab, "--state", state])
    assert reset.exit_code == 0
    assert run("lsdef", "-s", "node01")[0] == 1


def test_lab_cli_bad_lab_file(xclone_cli: click.Group, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("management_node: [\n", encoding="utf-8")
    result = CliRunner().invoke(xclone_cli, ["lab", "init", str(bad), "--state",
                                         str(tmp_path / "s")])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{bad}:2:") and "Traceback" not in result.output
