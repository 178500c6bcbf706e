"""Fixtures shared across test packages: the real CLI with every command, the seed lab, and the
seed lab served over real SSH."""

from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
import structlog
import yaml

import tests.fuzzing  # noqa: F401  (the Hypothesis profile, before any test module)
from xclone.base import log
from xclone.sim import Lab
from xclone.sim.serve import LabServer
from xclone.sim.sshd import DEFAULT_SSHD

ROOT = Path(__file__).resolve().parent.parent
SEED_LAB = ROOT / "specs" / "examples" / "seed-lab.yaml"

# With PYTHONDONTWRITEBYTECODE set, pytest can keep no rewritten test module as bytecode and
# rewrites all ~320 of them again in every process, each xdist worker too (about 7 s of CPU of a
# fast-loop run's collection, 11 s). The bytecode goes to a folder of the temporary directory
# instead, so the source tree stays as clean as the setting asks; read by every later run.
if sys.dont_write_bytecode:
    sys.pycache_prefix = str(Path(tempfile.gettempdir()) / f"xclone-pycache-{os.getuid()}")
    sys.dont_write_bytecode = False

# CI may start the suite with SIGINT ignored (a background job of a non-interactive shell does),
# and an ignored signal stays ignored across exec: the Ctrl-C tests' xclone processes would wait
# at the prompt for ever. A Python handler here is reset to the default in every child, so each
# gets Ctrl-C as from a terminal.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

needs_sshd = pytest.mark.skipif(
    not DEFAULT_SSHD.exists() or shutil.which("ssh-keygen") is None,
    reason="needs OpenSSH sshd and ssh-keygen (.ci/run installs openssh-server)",
)


SSHD_FIXTURES = {"lab_server", "served_lab", "sshd"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test through a real sshd is slow by definition (issue 13 item 9): it starts OpenSSH or
    shares the session's, so `-m "not slow"` leaves it out without each test saying so."""
    for item in items:
        reasons = " ".join(str(m.kwargs.get("reason", "")) for m in item.iter_markers("skipif"))
        if SSHD_FIXTURES & set(getattr(item, "fixturenames", ())) or "sshd" in reasons:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """The CLI group configures structlog globally (level WARNING); undo it after every test so
    tests that capture log events in-process see the defaults again (and every level again:
    xclone.base.log drops events below the CLI's level before structlog sees them)."""
    yield
    structlog.reset_defaults()
    log.reset()


@pytest.fixture(scope="session")
def xclone_cli() -> click.Group:
    """The real command group with every subcommand loaded (the CLI itself loads them lazily,
    on first use)."""
    from xclone.cli.main import _register, cli

    _register()
    return cli


@pytest.fixture(scope="session")
def instant_seed_lab(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed lab with its clock unscaled, so simulated minutes pass only via `advance`."""
    data = yaml.safe_load(SEED_LAB.read_text(encoding="utf-8"))
    data["clock"]["scale"] = 0
    path = tmp_path_factory.mktemp("seed-lab") / "seed-lab.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def lab_server(
    instant_seed_lab: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LabServer]:
    """One sshd for the whole session in front of one world; use `served_lab` to get it fresh."""
    if not DEFAULT_SSHD.exists() or shutil.which("ssh-keygen") is None:
        pytest.skip("needs OpenSSH sshd and ssh-keygen (.ci/run installs openssh-server)")
    state = tmp_path_factory.mktemp("served-lab-state")
    Lab.init(instant_seed_lab, state)
    with LabServer(state, run_dir=tmp_path_factory.mktemp("served-lab-run")) as server:
        yield server


@pytest.fixture
def served_lab(lab_server: LabServer, instant_seed_lab: Path) -> LabServer:
    """The session's server, its world reseeded from the seed lab for this test."""
    Lab.init(instant_seed_lab, lab_server.state_dir)
    return lab_server
