"""A seed scenario in a temporary directory: spec, lab file, lab state, journal, CLI runner."""

from __future__ import annotations

import atexit
import copy
import functools
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner, Result

from xclone.cli.main import _register, cli
from xclone.sim import Lab
from xclone.sim.serve import LabServer
from xclone.sim.store import copy_world

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


@functools.cache
def _parsed(text: str) -> Any:
    return yaml.safe_load(text)


def load(path: Path) -> Any:
    """A fresh copy of a YAML file's data, each distinct text parsed once per session (YAML is
    slow, and most scenarios start from the same example files)."""
    return copy.deepcopy(_parsed(path.read_text(encoding="utf-8")))


def example(name: str) -> Any:
    return load(EXAMPLES / name)


_DUMPED: dict[str, str] = {}


def dump(data: Any) -> str:
    """`yaml.safe_dump(data, sort_keys=False)`, remembered: most scenarios write the same files."""
    key = repr(data)
    if key not in _DUMPED:
        _DUMPED[key] = yaml.safe_dump(data, sort_keys=False)
    return _DUMPED[key]


_WORLDS: dict[str, Path] = {}


@functools.cache
def _templates() -> Path:
    where = Path(tempfile.mkdtemp(prefix="xclone-test-worlds-"))
    atexit.register(shutil.rmtree, where, ignore_errors=True)
    return where


def preseed(lab_file: Path, state_dir: Path) -> None:
    """Put into `state_dir` the world `Lab.for_file(lab_file)` would seed there on first use,
    copied from one seeded per distinct lab text in this session (seeding parses and checks the
    YAML: a large share of a short test). The copy records the same lab-file digest, so the
    CLI finds it current and uses it as it would a world it had just seeded."""
    text = lab_file.read_text(encoding="utf-8")
    key = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if key not in _WORLDS:
        template = _templates() / str(len(_WORLDS))
        Lab.for_file(lab_file, state_dir=template)
        _WORLDS[key] = template
    copy_world(_WORLDS[key], state_dir)


# (lab text, spec text) -> the scenario directory of the one apply from which copies are made,
# and that apply's result
_CONVERGED: dict[str, tuple[Scenario, Result]] = {}
WORLD_FILES = ("world.db", "world.db-wal", "world.db-shm")


@dataclass(frozen=True)
class Served:
    """A scenario's lab behind a real sshd (`xclone lab serve`): the world it answers from."""

    state: Path
    lab: Lab
    server: LabServer

    @property
    def ssh(self) -> tuple[str, ...]:
        """The CLI options that reach the served lab with host keys verified."""
        return ("--ssh-config", str(self.server.ssh_config),
                "--known-hosts", str(self.server.known_hosts))


# root's limits as AIX ships them (/etc/security/limits): fsize 2097151 blocks, about 1 GB.
AIX_LIMITS = "default:\n\tfsize = 2097151\n\tcore = 2097151\n\nroot:\n\tcpu = -1\n"


def aix_default_limits(seed: Scenario, host: str) -> None:
    """Give root on `host` AIX's shipped limits (the lab's own are unlimited)."""
    assert seed.lab.execute(host, "mkdir -p /etc/security").exit_status == 0
    assert seed.lab.execute(host, "tee /etc/security/limits", AIX_LIMITS).exit_status == 0


class Scenario:
    def __init__(self, where: Path, clock: dict[str, Any] | None = None,
                 faults: list[dict[str, Any]] | None = None, *, lab_name: str = "seed-lab.yaml",
                 spec_name: str = "seed-cluster.yaml") -> None:
        """`lab_name`/`spec_name`: the example pair to copy (tests/drivers.py names one per
        driver); the management node is the host the spec names."""
        self.dir = where
        lab = example(lab_name)
        lab["clock"] = {**lab["clock"], **(clock or {"instant": True})}
        if clock and "instant" not in clock:
            lab["clock"].pop("instant", None)
        if faults:
            lab["faults"] = faults
        self.lab_file = where / lab_name
        self.lab_file.write_text(dump(lab), encoding="utf-8")
        self.spec_data = example(spec_name)
        self.spec_file = where / spec_name
        self.master: str = self.spec_data["management_node"]["host"]
        self.write_spec()
        self.state_root = where / "state"
        # a running clock starts when its world is seeded: such worlds are seeded fresh
        self._copyable = bool(lab["clock"].get("instant") or lab["clock"].get("scale", 0) <= 0)
        # nothing but the spec file has changed since the world was seeded: what `converge`
        # copies is then what this scenario's own first apply would make
        self._untouched = self._copyable
        if self._copyable:
            preseed(self.lab_file, self.state_root / self.lab_file.stem)
        self.env = {"HMC01_PASSWORD": PASSWORD, "XCLONE_LAB_STATE": str(self.state_root),
                    "NO_COLOR": "1"}

    def write_spec(self, **changes: Any) -> None:
        self.spec_data.update(changes)
        self.spec_file.write_text(dump(self.spec_data), "utf-8")

    def set_lpar(self, name: str, **fields: Any) -> None:
        lpars = self.spec_data["lpars"]
        lpars[name] = {**lpars[name], **fields}
        self.write_spec()

    @property
    def lab(self) -> Lab:
        self._untouched = False
        return Lab.for_file(self.lab_file, self.state_root)

    def mn(self, command: str) -> tuple[int, str, str]:
        result = self.lab.execute(self.master, command)
        return result.exit_status, result.stdout, result.stderr

    def mn_stdin(self, command: str, stdin: str) -> tuple[int, str, str]:
        result = self.lab.execute(self.master, command, stdin)
        return result.exit_status, result.stdout, result.stderr

    def xclone(self, *args: str) -> Result:
        self._untouched = False
        return invoke_in(self.dir, self.env, args)

    def plan(self, *extra: str) -> Result:
        return self.xclone("plan", str(self.spec_file), "--lab", str(self.lab_file), *extra)

    def apply(self, *extra: str) -> Result:
        return self.xclone("apply", str(self.spec_file), "--lab", str(self.lab_file),
                           "--auto-approve", *extra)

    def converge(self) -> Result:
        """`apply` for a test whose subject is what comes after the first apply, not the apply
        (tests/apply's scenario tests and the goldens apply from scratch): the world and run
        journals of one apply per distinct lab text, spec text and environment in this session,
        copied here (an apply is ~0.1 s of CPU, a copy ~3 ms), and that apply's result (its
        output names that apply's folder). A scenario whose world was used already, whose clock
        runs, or whose folder holds other files (which its spec may name) applies for itself."""
        alone = {p.name for p in self.dir.iterdir()} <= {
            self.lab_file.name, self.spec_file.name, self.state_root.name}
        if not (self._untouched and alone):
            return self.apply()
        env = sorted((k, v) for k, v in self.env.items() if k != "XCLONE_LAB_STATE")
        key = hashlib.sha256(repr((self.lab_file.name, self.lab_file.read_text(encoding="utf-8"),
                                   self.spec_file.name, self.spec_file.read_text(encoding="utf-8"),
                                   env)).encode()).hexdigest()
        if key not in _CONVERGED:
            where = _templates() / f"converged-{len(_CONVERGED)}"
            where.mkdir()
            template = copy.copy(self)
            template.dir, template.state_root = where, where / "state"
            template.lab_file = Path(shutil.copy2(self.lab_file, where))
            template.spec_file = Path(shutil.copy2(self.spec_file, where))
            template.env = {**self.env, "XCLONE_LAB_STATE": str(template.state_root)}
            preseed(template.lab_file, template.state_root / template.lab_file.stem)
            _CONVERGED[key] = (template, template.apply())
        template, result = _CONVERGED[key]
        world = self.state_root / self.lab_file.stem
        for name in WORLD_FILES:
            (world / name).unlink(missing_ok=True)
        copy_world(template.state_root / template.lab_file.stem, world)
        runs = self.dir / ".xclone" / "runs"
        runs.mkdir(parents=True, exist_ok=True)
        for journal in template.journals():
            # a journal names the spec file it applied: this scenario's, as its own apply would
            text = journal.read_text(encoding="utf-8")
            (runs / journal.name).write_text(text.replace(str(template.dir), str(self.dir)),
                                             encoding="utf-8")
        self._untouched = False
        return result

    def journals(self) -> list[Path]:
        return sorted((self.dir / ".xclone" / "runs").glob("*.jsonl"))

    def journaled_commands(self) -> int:
        """How many commands the run journals record so far."""
        return sum(p.read_text(encoding="utf-8").count('"event": "command"')
                   for p in self.journals())

    def apply_process(self, *, quiet: bool = False) -> subprocess.Popen[str]:
        """`xclone apply SPEC --lab LAB --auto-approve` as a process of its own, to signal or
        kill: its output and errors on one text pipe, or thrown away when `quiet`."""
        self._untouched = False
        return subprocess.Popen(
            [sys.executable, "-m", "xclone", "apply", str(self.spec_file), "--lab",
             str(self.lab_file), "--auto-approve"],
            cwd=self.dir, env={**os.environ, **self.env},
            stdout=subprocess.DEVNULL if quiet else subprocess.PIPE,
            stderr=subprocess.DEVNULL if quiet else subprocess.STDOUT, text=True)

    def killed_apply(self, after: int) -> None:
        """Run `xclone apply` as its own process and SIGKILL it once its journals record
        `after` commands (a count, so a kill point does not depend on the machine's speed)."""
        proc = self.apply_process(quiet=True)
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline:
            if self.journaled_commands() >= after:
                proc.send_signal(signal.SIGKILL)
                break
            time.sleep(0.005)
        proc.wait()

    @contextmanager
    def served(self, where: Path | None = None) -> Iterator[Served]:
        """For the block, the lab behind a real sshd: a world seeded from the lab file under
        `where` (default: the scenario's directory)/served, the server's files in .../run."""
        root = where or self.dir
        state = root / "served"
        lab = Lab.init(self.lab_file, state)
        with LabServer(state, run_dir=root / "run") as server:
            yield Served(state, lab, server)
