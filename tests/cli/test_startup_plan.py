"""What a text `xclone plan` from a snapshot leaves unimported (issue 16, item 4): the spec
importers, the plan-file format and the other renderers are for other commands and formats.
Counted in modules, not seconds, like tests/cli/test_startup.py; and the import of a command's
modules leaves the cyclic collector as it found it."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

from tests.apply.helpers import Scenario
from xclone.cli.table import load

ROOT = Path(__file__).resolve().parents[2]
# Modules a text plan never uses: `xclone import`'s (spec.importer, spec.stanza_import),
# `plan -o`/`show`/`apply FILE`'s (plan.planfile, cli.saved), the other formats' renderers.
NOT_FOR_A_TEXT_PLAN = ("xclone.spec.importer", "xclone.spec.stanza_import",
                       "xclone.plan.planfile", "xclone.cli.saved", "xclone.render.jsonplan",
                       "xclone.render.markdown", "xclone.render.graph", "html")
_PROBE = """
import json, runpy, sys
sys.argv = ["xclone", *json.loads(sys.argv[1])]
try:
    runpy.run_module("xclone", run_name="__main__")
except SystemExit as exc:
    assert exc.code in (0, None), exc.code
print(json.dumps(sorted(m for m in %r if m in sys.modules)), file=sys.stderr)
"""


def _loaded(args: list[str], seed: Scenario) -> list[str]:
    env = {**seed.env, "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", _PROBE % (NOT_FOR_A_TEXT_PLAN,),
                           json.dumps(args)], cwd=seed.dir, capture_output=True, text=True,
                          env={**os.environ, **env}, check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    found: list[str] = json.loads(done.stderr.strip().splitlines()[-1])
    return found


def test_text_plan_from_a_snapshot_imports_no_importer_planfile_or_other_renderer(
        seed: Scenario) -> None:
    snapshot = seed.dir / "snap"
    saved = seed.xclone("observe", str(seed.spec_file), "--lab", str(seed.lab_file),
                        "--save", str(snapshot))
    assert saved.exit_code == 0, saved.output
    assert _loaded(["plan", str(seed.spec_file), "--snapshot", str(snapshot)], seed) == []
    markdown = _loaded(["plan", str(seed.spec_file), "--snapshot", str(snapshot),
                        "--format", "markdown"], seed)
    assert {"xclone.render.markdown", "html"} <= set(markdown), markdown


def test_loading_a_command_turns_the_collector_back_on() -> None:
    assert gc.isenabled()
    load("validate")
    assert gc.isenabled()
    gc.disable()
    try:
        load("diff")
        assert not gc.isenabled()
    finally:
        gc.enable()
