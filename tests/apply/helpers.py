"""A seed scenario in a temporary directory: spec, lab file, lab state, journal, CLI runner."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner, Result

from xclone.cli.main import _register, cli
from xclone.sim import Lab

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "specs" / "examples"
PASSWORD = "abc123"


def invoke_in(directory: Path, env: dict[str, str], args: tuple[str, ...]) -> Result:
    """The real CLI in-process, run from `directory` as a user's shell would be."""
    _register()
    old = os.getcwd()
    os.chdir(directory)
    try:
        return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    finally:
        os.chdir(old)


class Scenario:
    def __init__(self, where: Path, clock: dict[str, Any] | None = None,
                 faults: list[dict[str, Any]] | None = None, *, lab_name: str = "seed-lab.yaml",
                 spec_name: str = "seed-cluster.yaml") -> None:
        """`lab_name`/`spec_name`: the example pair to copy (tests/drivers.py names one per
        driver); the management node is the host the spec names."""
        self.dir = where
        lab = yaml.safe_load((EXAMPLES / lab_name).read_text(encoding="utf-8"))
        lab["clock"] = {**lab["clock"], **(clock or {"instant": True})}
        if clock and "instant" not in clock:
            lab["clock"].pop("instant", None)
        if faults:
            lab["faults"] = faults
        self.lab_file = where / lab_name
        self.lab_file.write_text(yaml.safe_dump(lab, sort_keys=False), encoding="utf-8")
        self.spec_data = yaml.safe_load((EXAMPLES / spec_name).read_text("utf-8"))
        self.spec_file = where / spec_name
        self.master: str = self.spec_data["management_node"]["host"]
        self.write_spec()
        self.state_root = where / "state"
        self.env = {"HMC01_PASSWORD": PASSWORD, "XCLONE_LAB_STATE": str(self.state_root),
                    "NO_COLOR": "1"}

    def write_spec(self, **changes: Any) -> None:
        self.spec_data.update(changes)
        self.spec_file.write_text(yaml.safe_dump(self.spec_data, sort_keys=False), "utf-8")

    def set_lpar(self, name: str, **fields: Any) -> None:
        lpars = self.spec_data["lpars"]
        lpars[name] = {**lpars[name], **fields}
        self.write_spec()

    @property
    def lab(self) -> Lab:
        return Lab.for_file(self.lab_file, self.state_root)

    def mn(self, command: str) -> tuple[int, str, str]:
        result = self.lab.execute(self.master, command)
        return result.exit_status, result.stdout, result.stderr

    def mn_stdin(self, command: str, stdin: str) -> tuple[int, str, str]:
        result = self.lab.execute(self.master, command, stdin)
        return result.exit_status, result.stdout, result.stderr

    def xclone(self, *args: str) -> Result:
        return invoke_in(self.dir, self.env, args)

    def plan(self, *extra: str) -> Result:
        return self.xclone("plan", str(self.spec_file), "--lab", str(self.lab_file), *extra)

    def apply(self, *extra: str) -> Result:
        return self.xclone("apply", str(self.spec_file), "--lab", str(self.lab_file),
                           "--auto-approve", *extra)

    def journals(self) -> list[Path]:
        return sorted((self.dir / ".xclone" / "runs").glob("*.jsonl"))
