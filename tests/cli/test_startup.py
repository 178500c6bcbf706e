"""Start-up cost is counted in imports, not seconds (issue 16, item 4): each command imports
only what it runs. A whole `xclone` process is started with `python -c` and reports which of
the heavy packages ended up in `sys.modules`; timing would be flaky on a shared machine, the
set of modules is not."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from tests.apply.helpers import Scenario
from xclone.cli.table import LAZY, load

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("networkx", "rich", "fabric", "paramiko", "pydantic", "yaml", "structlog", "xclone.sim")
_PROBE = """
import json, runpy, sys
sys.argv = ["xclone", *json.loads(sys.argv[1])]
try:
    runpy.run_module("xclone", run_name="__main__")
except SystemExit as exc:
    code = exc.code
except Exception as exc:
    code = repr(exc)
else:
    code = 0
print(json.dumps({"code": code, "loaded": sorted(m for m in %r if m in sys.modules)}),
      file=sys.stderr)
"""


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None
         ) -> tuple[list[str], str]:
    """Run `xclone ARGS` as its own process: the heavy modules it imported, and its stderr."""
    probe = _PROBE % (HEAVY,)
    # This checkout's xclone, wherever an editable install points
    env = {**(os.environ if env is None else env), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", probe, json.dumps(args)], cwd=cwd,
                          capture_output=True, text=True, env=env, check=False, timeout=120)
    report = json.loads(done.stderr.strip().splitlines()[-1])
    assert report["code"] in (0, None), (report, done.stderr)
    return list(report["loaded"]), done.stderr


def _loaded(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> list[str]:
    return _run(args, cwd, env)[0]


def _snapshot(seed: Scenario) -> Path:
    snapshot = seed.dir / "snap"
    saved = seed.xclone("observe", str(seed.spec_file), "--lab", str(seed.lab_file),
                        "--save", str(snapshot))
    assert saved.exit_code == 0, saved.output
    return snapshot


def test_version_imports_none_of_the_heavy_packages(tmp_path: Path) -> None:
    assert _loaded(["--version"], tmp_path) == []


def test_version_answered_before_click_says_what_click_says(tmp_path: Path) -> None:
    """`xclone --version` is answered by xclone.cli.start without importing click (its
    start-up was click's import); the line is the one click's version_option prints, and
    `--version` with anything else still goes through click."""
    from click.testing import CliRunner

    from xclone.cli.main import cli
    from xclone.cli.start import VERSION_LINE

    assert CliRunner().invoke(cli, ["--version"]).output == VERSION_LINE
    probe = "import sys, xclone.__main__; print(sorted({'click'} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe, "--version"], capture_output=True,
                          text=True, check=True, cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.stdout == VERSION_LINE + "[]\n"


def test_top_level_help_lists_every_command_without_importing_one(tmp_path: Path) -> None:
    assert _loaded(["--help"], tmp_path) == []


def test_plan_from_a_snapshot_into_a_pipe_needs_no_ssh_no_lab_no_rich_no_networkx(
        seed: Scenario) -> None:
    """Planning from a snapshot contacts nothing (no fabric, paramiko or simulator), and text
    written to a pipe is plain (no rich); batching needs no networkx."""
    snapshot = _snapshot(seed)
    env = {**seed.env, "PATH": "/usr/bin:/bin"}
    loaded = _loaded(["plan", str(seed.spec_file), "--snapshot", str(snapshot)], seed.dir, env)
    assert set(loaded).isdisjoint({"fabric", "paramiko", "xclone.sim", "rich", "networkx",
                                   "structlog"}), loaded


def test_structlog_comes_only_with_the_first_event_kept(seed: Scenario) -> None:
    """A quiet plan keeps no log event, so it never imports structlog (xclone.base.log); with
    `-vv` the observe runner's debug events are kept, and structlog renders them as the CLI
    configured it (JSON lines on stderr)."""
    snapshot = _snapshot(seed)
    env = {**seed.env, "PATH": "/usr/bin:/bin"}
    args = ["plan", str(seed.spec_file), "--snapshot", str(snapshot)]
    quiet, said = _run(["--log-format", "text", *args], seed.dir, env)
    assert "structlog" not in quiet
    assert "observe.start" not in said
    loud, said = _run(["-vv", "--log-format", "json", *args], seed.dir, env)
    assert "structlog" in loud
    events = [json.loads(line) for line in said.splitlines() if line.startswith("{\"")]
    assert {"observe.start", "observe.done"} <= {e.get("event") for e in events}, said
    assert all(e["level"] == "debug" for e in events if e.get("event") == "observe.start")


@pytest.mark.parametrize("name", sorted(LAZY))
def test_the_table_help_is_the_command_own_short_help(name: str) -> None:
    """`xclone --help` reads the short help from the table; it must say what the command's
    docstring says, at any width."""
    command = load(name)
    for limit in (45, 60, 200):
        table = click.Command(name, help=LAZY[name][1]).get_short_help_str(limit)
        assert table == command.get_short_help_str(limit)


def test_planning_leaves_the_garbage_collector_as_it_found_it(seed: Scenario) -> None:
    """The collector is paused and the heap frozen only while planning: an apply that plans
    again, or this test process, must not run on with it off or with garbage frozen."""
    assert gc.isenabled()
    result = seed.plan()
    assert result.exit_code == 0, result.output
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_plan_loads_observes_and_writes_with_the_collector_paused(
        seed: Scenario, monkeypatch: pytest.MonkeyPatch) -> None:
    """Validating a spec of 50,000 LPARs and their observed state makes millions of long-lived
    objects, and the cyclic collector's passes over them cost `xclone plan` a second of CPU:
    the collector is off from loading the spec to the last line written, and on again after."""
    from xclone.cli.plan import emit
    from xclone.plan.document import Plan
    from xclone.spec import Spec, load_spec

    seen: dict[str, bool] = {}

    def loading(path: Path) -> Spec:
        seen["load"] = gc.isenabled()
        return load_spec(path)

    def writing(plan: Plan, fmt: str) -> None:
        seen["emit"] = gc.isenabled()
        emit(plan, fmt)

    monkeypatch.setattr("xclone.cli.planning.load_spec", loading)
    monkeypatch.setattr("xclone.cli.plan.emit", writing)
    result = seed.plan()
    assert result.exit_code == 0, result.output
    assert seen == {"load": False, "emit": False}
    assert gc.isenabled() and gc.get_freeze_count() == 0
