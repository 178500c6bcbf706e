"""`python -m xclone.spec.schema > schemas/cluster.schema.json`, as the README gives it, writes the
committed schema and nothing on stderr: the package used to load the module before running it,
and Python warned (`'xclone.spec.schema' found in sys.modules after import of package`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_schema_module_runs_clean() -> None:
    done = subprocess.run([sys.executable, "-W", "default", "-m", "xclone.spec.schema"],
                          cwd=ROOT, capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout == (ROOT / "schemas" / "cluster.schema.json").read_text(encoding="utf-8")
