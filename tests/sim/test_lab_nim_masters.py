"""A lab world with several NIM masters (issue 17, specs/examples/nim-multi-lab.yaml): each
answers as its own NIM master (database, files), `scp` copies a file between them in the
OpenSSH client's words, and the lab file refuses a master sharing another's host name.

Sources: OpenSSH scp(1) ("-B batch mode", "-p preserves times"; errors "scp: PATH: No such file
or directory", exit 1); IBM AIX `lsnim` (0042-053 for an object the master does not have;
docs/formats.md "NIM")."""

from __future__ import annotations

from pathlib import Path

import pytest

from xclone.sim import Lab
from xclone.sim.errors import LabError

EXAMPLES = Path(__file__).resolve().parents[2] / "specs" / "examples"
MKSYSB = "/export/nim/mksysb/img_mksysb"


@pytest.fixture
def lab(tmp_path: Path) -> Lab:
    return Lab.init(EXAMPLES / "nim-multi-lab.yaml", tmp_path / "state")


def test_each_master_has_its_own_nim_database_and_files(lab: Lab) -> None:
    primary = lab.execute("nimmaster", "lsnim -l master").stdout
    other = lab.execute("nim2.cluster.com", "lsnim -l master").stdout
    assert "master_net nimmaster 0" in " ".join(primary.split())
    assert "master_net nim2 0" in " ".join(other.split())
    network = lab.execute("nim2", "lsnim -l master_net").stdout
    assert "net_addr = 9.114.114.0" in " ".join(network.split())
    assert lab.execute("nim2", "lsnim -l node27").exit_status != 0
    assert "9.114.114.5 nim2" in lab.execute("nim2", "cat /etc/hosts").stdout
    assert lab.execute("nim2", "lsdef -t node").exit_status == 127  # no xCAT there


def test_scp_copies_a_file_from_another_master(lab: Lab) -> None:
    lab.execute("nimmaster", "mkdir -p /export/nim/mksysb")
    lab.execute("nimmaster", f"tee {MKSYSB}", "mksysb image of node27\n")
    missing = lab.execute("nim2", f"scp -B -p root@nimmaster:{MKSYSB} {MKSYSB}")
    assert (missing.exit_status, missing.stderr) == (
        1, f"scp: {MKSYSB}: No such file or directory\n")  # no directory there yet
    lab.execute("nim2", "mkdir -p /export/nim/mksysb")
    copied = lab.execute("nim2", f"LC_ALL=C scp -B -p root@nimmaster:{MKSYSB} {MKSYSB}")
    assert copied.exit_status == 0, copied.stderr
    assert lab.execute("nim2", f"cat {MKSYSB}").stdout == "mksysb image of node27\n"
    nothing = lab.execute("nim2", "scp -B root@nimmaster:/export/none /tmp/x")
    assert (nothing.exit_status, nothing.stderr) == (
        1, "scp: /export/none: No such file or directory\n")
    assert lab.execute("nim2", "scp -B root@hmc01:/x /tmp/x").exit_status == 1


def test_a_master_sharing_a_host_name_is_refused(tmp_path: Path) -> None:
    text = (EXAMPLES / "nim-multi-lab.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "lab.yaml"
    bad.write_text(text.replace("hostnames: [nim2, nim2.cluster.com]",
                                "hostnames: [nim2, nimmaster]"), encoding="utf-8")
    with pytest.raises(LabError) as caught:
        Lab.init(bad, tmp_path / "state")
    messages = [d.message for d in caught.value.diagnostics]
    assert "NIM master 'nim2' shares a host name with another master" in messages


def test_a_copied_image_takes_its_size_over_the_source_masters_network(tmp_path: Path) -> None:
    """Costs `nim` at 8 Mbit/s (1 MB/s) and a frozen clock: a 2048 MB mksysb copies in 2048 s
    of lab time; a small file copies at once."""
    import yaml

    data = yaml.safe_load((EXAMPLES / "nim-multi-lab.yaml").read_text(encoding="utf-8"))
    data["clock"] = {"scale": 0, "start": "2026-11-25 10:00:00"}
    data["costs"] = {"nim": {"bandwidth_mbit": 8, "mksysb_mb": 2048}}
    lab = Lab.from_dict(data, tmp_path / "state")
    for host in ("nimmaster", "nim2"):
        lab.execute(host, "mkdir -p /export/nim/mksysb")
    lab.execute("nimmaster", f"tee {MKSYSB}", "mksysb image of node27\n")
    lab.execute("nimmaster", "tee /export/nim/mksysb/notes", "a note\n")
    start = lab.now()
    assert lab.execute("nim2", f"scp -B nimmaster:{MKSYSB} {MKSYSB}").exit_status == 0
    assert lab.now() - start == pytest.approx(2048.0, abs=1.0)
    start = lab.now()
    assert lab.execute("nim2", "scp -B nimmaster:/export/nim/mksysb/notes "
                               "/export/nim/mksysb/").exit_status == 0
    assert lab.now() - start < 5
    assert lab.execute("nim2", "cat /export/nim/mksysb/notes").stdout == "a note\n"
