"""Every shell block of the README and the guides runs as printed and exits as the text says.

Each document's ```sh / ```bash blocks run in order, each in its own `bash -e -o pipefail`, in
one temporary working directory holding a copy of `specs/` (so the lab's state starts fresh and
the blocks build on each other as a reader's session would). Only HMC01_PASSWORD (the lab HMC's
password, which the docs export themselves) and a throw-away HOME are set; the blocks' text is
run unchanged, with `xclone` being this checkout. A block preceded by `<!-- not-run: why -->`
is skipped (it needs a real cluster, installs the package, or serves in the foreground), and
`<!-- exit: N -->` before a block says which exit status it must end with (default 0).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = ("README.md", "docs/guide.md", "docs/lab.md", "docs/nim-driver.md")
_FENCE = re.compile(r"^(?P<indent>[ \t]*)```(?P<lang>[\w-]*)\s*$")
_NOT_RUN = re.compile(r"^<!--\s*not-run:\s*(?P<why>.+?)\s*-->$")
_EXIT = re.compile(r"^<!--\s*exit:\s*(?P<status>\d+)\s*-->$")


@dataclass(frozen=True)
class Block:
    line_no: int
    text: str
    exit_status: int
    not_run: str | None


def shell_blocks(markdown: str) -> list[Block]:
    """The sh/bash fenced blocks of `markdown` with the directive just above each one."""
    lines = markdown.splitlines()
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        fence = _FENCE.match(lines[index])
        if fence is None:
            index += 1
            continue
        end = next(i for i in range(index + 1, len(lines)) if lines[i].strip() == "```")
        if fence["lang"] in ("sh", "bash"):
            above = next((lines[i].strip() for i in range(index - 1, -1, -1) if lines[i].strip()),
                         "")
            not_run, status = _NOT_RUN.match(above), _EXIT.match(above)
            body = textwrap.dedent("\n".join(lines[index + 1:end]))
            blocks.append(Block(index + 1, body, int(status["status"]) if status else 0,
                                not_run["why"] if not_run else None))
        index = end + 1
    return blocks


def test_blocks_and_directives_are_found() -> None:
    text = "x\n<!-- not-run: needs a real cluster -->\n```sh\nssh a\n```\n\n<!-- exit: 1 -->\n" \
           "  ```bash\n  false\n  ```\n```yaml\na: 1\n```\n```sh\ntrue\n```\n"
    assert shell_blocks(text) == [Block(3, "ssh a", 0, "needs a real cluster"),
                                  Block(8, "false", 1, None), Block(14, "true", 0, None)]


def _environment(where: Path) -> dict[str, str]:
    """This checkout's `xclone` first on PATH, a private HOME, and the lab HMC's password."""
    bin_dir = where / "bin"
    bin_dir.mkdir()
    wrapper = bin_dir / "xclone"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m xclone "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    (where / "home").mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("XCLONE_")}
    env.update(PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", HOME=str(where / "home"),
               PYTHONPATH=str(ROOT), HMC01_PASSWORD="abc123", NO_COLOR="1")
    return env


def _run(script: str, cwd: Path, env: dict[str, str], timeout: float = 600) -> tuple[int, str]:
    """Exit status and output of one block; a block still running after `timeout` (a server
    left in the foreground) is killed with everything it started and counts as exit -1."""
    with subprocess.Popen(["bash", "-e", "-o", "pipefail", "-c", script], cwd=cwd, env=env,
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, start_new_session=True) as proc:
        try:
            output, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            output, _ = proc.communicate()
            return -1, output
    return proc.returncode, output


@pytest.mark.slow
@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_shell_block_runs_as_printed(document: str, tmp_path: Path) -> None:
    blocks = shell_blocks((ROOT / document).read_text(encoding="utf-8"))
    assert blocks, document
    work = tmp_path / "work"
    work.mkdir()
    shutil.copytree(ROOT / "specs", work / "specs")
    env = _environment(tmp_path)
    failures = []
    for block in blocks:
        if block.not_run is not None:
            continue
        status, output = _run(block.text, work, env)
        if status != block.exit_status:
            tail = "\n".join(output.splitlines()[-8:])
            failures.append(f"{document}:{block.line_no}: exit {status}, expected "
                            f"{block.exit_status}\n{block.text}\n--- output (tail) ---\n{tail}")
    assert not failures, "\n\n".join(failures)
