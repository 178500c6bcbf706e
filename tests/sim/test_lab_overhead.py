"""The simulator out of the measurement (issue 16 item 3): what one lab command costs the lab.

Counts, never seconds: which tables a per-node command reads, how many connections and
transactions a command takes, which modules the process behind `lab serve` imports, and the
CPU the lab records about itself (`Lab.sim_cpu`).
"""

from __future__ import annotations

import gc
import io
import os
import pwd
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import needs_sshd
from tests.sim.conftest import HMC_NODE, NETWORK, ROOT
from xclone.sim import Lab, login, store
from xclone.sim import lab as lab_module
from xclone.sim.generate import synthetic_lab
from xclone.sim.serve import login_argv
from xclone.sim.sshd import LoopbackSshd

MN = "xcataixmn"


@pytest.fixture
def big(tmp_path: Path) -> Lab:
    """200 LPARs defined in xCAT (rscan | mkdef -z), on one HMC."""
    lab = Lab.from_dict(synthetic_lab(200), tmp_path / "state")
    lab.execute(MN, HMC_NODE.replace("hmc01", "hmc001"))
    lab.execute(MN, "mkdef -z", lab.execute(MN, "rscan -z hmc001").stdout)
    lab.execute(MN, NETWORK.replace("9.114.113.224", "10.0.0.0")
                .replace("255.255.255.224", "255.255.0.0").replace("9.114.113.254",
                                                                   "10.0.255.254"))
    lab.execute(MN, "chdef lpar00100 ip=10.0.1.100")
    return lab


def _tables_read(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    read: Counter[str] = Counter()
    whole = store.Session.all

    def counting(self: store.Session, kind: str) -> dict[str, Any]:
        read[kind] += 1
        return whole(self, kind)

    monkeypatch.setattr(store.Session, "all", counting)
    return read


@pytest.mark.parametrize("command", [
    "lsdef -t node -l lpar00100", "chdef lpar00100 groups=lpar,all,aixnodes",
    "rpower lpar00100 stat", "makehosts lpar00100", "makeconservercf lpar00100",
    "getmacs lpar00100 -D", "rnetboot lpar00100",
])
def test_a_per_node_command_reads_no_node_table(big: Lab, monkeypatch: pytest.MonkeyPatch,
                                                command: str) -> None:
    for step in ("makehosts lpar00100", "makeconservercf lpar00100"):
        big.execute(MN, step)
    read = _tables_read(monkeypatch)
    big.execute(MN, command)
    assert read["x:node"] == 0 and read["lpar"] == 0, read


def test_a_group_still_expands_from_the_node_table(big: Lab) -> None:
    big.execute(MN, "chdef lpar00100,lpar00101 groups=lpar,all,clones")
    assert big.execute(MN, "nodels clones").stdout == "lpar00100\nlpar00101\n"


def test_one_transaction_per_command_on_the_threads_kept_connection(
        big: Lab, monkeypatch: pytest.MonkeyPatch) -> None:
    """The fixture's commands opened this thread's connection: these open none."""
    opened: Counter[str] = Counter()
    connect, transaction = store.connect, store.transaction

    def counting_connect(state_dir: Path) -> Any:
        opened["connections"] += 1
        return connect(state_dir)

    @contextmanager
    def counting_transaction(conn: Any) -> Iterator[store.Session]:
        opened["transactions"] += 1
        with transaction(conn) as session:
            yield session

    monkeypatch.setattr(store, "connect", counting_connect)
    monkeypatch.setattr(lab_module, "transaction", counting_transaction)
    for command in ("lsdef -t node -l lpar00100", "chdef lpar00100 os=AIX", "lsnim -l master"):
        big.execute(MN, command)
    assert opened == {"transactions": 3}


def test_a_thread_keeps_one_connection_per_world_and_a_new_world_gets_a_new_one(
        tmp_path: Path) -> None:
    state = tmp_path / "state"
    first = Lab.from_dict(synthetic_lab(2), state)
    first.execute(MN, "lsnim -l master")
    conn = store.kept(state)
    assert store.kept(state) is conn
    other: list[Any] = []
    worker = threading.Thread(target=lambda: other.append(store.kept(state)))
    worker.start()
    worker.join()
    assert other[0] is not conn
    (state / store.DB_NAME).unlink()  # the world made anew at the same path: another file
    Lab.from_dict(synthetic_lab(2), state)
    assert store.kept(state) is not conn
    assert Lab(state).execute(MN, "lsnim -l master").exit_status == 0


def _open_files_under(folder: Path) -> int:
    fds = Path("/proc/self/fd")
    return sum(1 for fd in fds.iterdir() if str(folder) in os.path.realpath(fd))


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs Linux's /proc")
def test_a_threads_kept_connections_close_when_the_thread_ends(tmp_path: Path) -> None:
    """Each lab command run under a timeout gets a thread of its own (xclone/transport/sim.py);
    left to the garbage collector, the connection it kept held the world's three files open
    until the next full collection, and a CI run reached 9,501 open files, past what select()
    accepts. With collection off, only the thread's end can have closed them."""
    state = tmp_path / "state"
    Lab.from_dict(synthetic_lab(2), state).execute(MN, "lsnim -l master")

    def one_thread() -> None:
        worker = threading.Thread(target=lambda: Lab(state).execute(MN, "lsnim -l master"))
        worker.start()
        worker.join()

    one_thread()  # the world's log and shared-memory files exist from here on
    before = _open_files_under(state)
    gc.disable()
    try:
        for _ in range(20):
            one_thread()
        assert _open_files_under(state) == before
    finally:
        gc.enable()


def test_the_lab_records_its_own_cpu_per_command(big: Lab) -> None:
    before = big.sim_cpu()
    for _ in range(3):
        big.execute(MN, "lsdef -t node -l lpar00100")
    big.execute(MN, "getmacs lpar00100 -D")
    after = big.sim_cpu()
    assert after["lsdef"][0] - before.get("lsdef", (0, 0.0))[0] == 3
    assert after["getmacs"][0] - before.get("getmacs", (0, 0.0))[0] == 1
    assert all(seconds >= 0 for _, seconds in after.values())
    assert "(process start)" not in after  # in-process calls have no process of their own


def test_a_serve_login_records_its_process_start(big: Lab, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SSH_ORIGINAL_COMMAND", "lsnim -l master")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    assert login.main(["--state", str(big.state_dir), "--host", MN]) == 0
    assert "master:" in capsys.readouterr().out
    calls, seconds = big.sim_cpu()["(process start)"]
    assert calls == 1 and seconds > 0


def test_the_serve_login_process_imports_no_logging_or_terminal_library() -> None:
    """`python -X importtime` showed structlog (and through it rich) and the YAML parser as most
    of each login's start-up: the login process now imports none of them."""
    probe = ("import sys, xclone.sim.login; "
             "print(sorted({m.split('.')[0] for m in sys.modules} & "
             "{'structlog', 'rich', 'yaml', 'logging', 'pydantic', 'click', 'networkx'}))")
    shown = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                           check=True, cwd=ROOT).stdout
    assert shown == "[]\n"


def test_every_handler_loads_without_site_packages() -> None:
    """sshd runs each login with `python -S` (serve.login_argv: no site-packages on the path)
    and a handler's module is imported on its command's first run, so each one must import
    with the standard library and xclone alone, and the start-up must stay lazy: no handler
    module loaded by importing the login (measured: 263 M instructions to import it, 311 M
    with every handler, per command)."""
    probe = ("import sys, xclone.sim.login as login; from xclone.sim import commands; "
             "early = sorted(m for m in sys.modules if m.startswith(('xclone.sim.xcat.', "
             "'xclone.sim.nim.', 'xclone.sim.hmc', 'xclone.sim.install'))); "
             "[commands.load(w) for w in (*commands.MN.values(), *commands.HMC.values())]; "
             "print(early, [p for p in sys.path if 'site-packages' in p])")
    shown = subprocess.run([sys.executable, "-S", "-c", probe], capture_output=True, text=True,
                           check=False, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert shown.stdout == "[] []\n", shown.stderr  # an ImportError fails it too


def test_a_login_as_sshd_runs_it_answers_each_face(big: Lab) -> None:
    """The forced command itself (`python -S -m xclone.sim.login`), run as sshd would, for the
    management node's and an HMC's face."""
    for face, command, expected in ((MN, "lsnim -l master", "master:"),
                                    ("hmc001", "lshmc -V", "Version:")):
        argv = login_argv(big.state_dir, face)
        done = subprocess.run(argv, capture_output=True, text=True, check=False, cwd=ROOT,
                              stdin=subprocess.DEVNULL,
                              env={**os.environ, "SSH_ORIGINAL_COMMAND": command})
        assert done.returncode == 0 and expected in done.stdout, (done.stdout, done.stderr)
        assert "-S" in argv


@needs_sshd
def test_a_served_command_shell_is_nested_so_it_reads_no_bashrc(tmp_path: Path) -> None:
    """sshd runs each forced command through the user's login shell, and bash started by sshd at
    the top level (SHLVL unset) sources ~/.bashrc: on a developer's machine `pyenv init` there
    forked about a hundred processes per lab command, 0.15 s of each. The lab's sshd sets
    SHLVL=1 for its sessions, so bash counts itself nested (2) and reads no startup file (bash(1)
    INVOCATION, "invoked by the remote shell daemon"; shell.c reads ~/.bashrc only when
    shell_level < 2). bash lowers SHLVL by one as it execs the command: the command sees 1,
    where a top-level bash leaves it 0."""
    if Path(pwd.getpwuid(os.getuid()).pw_shell).name != "bash":
        pytest.skip("the login shell is not bash")
    with LoopbackSshd(["h1"], lambda face: ["/usr/bin/env"], run_dir=tmp_path / "run") as sshd:
        shown = subprocess.run(["ssh", "-F", str(sshd.ssh_config), "h1", "x"],
                               capture_output=True, text=True, stdin=subprocess.DEVNULL,
                               check=False, timeout=60)
    env = dict(line.split("=", 1) for line in shown.stdout.splitlines() if "=" in line)
    assert int(env["SHLVL"]) >= 1, shown
