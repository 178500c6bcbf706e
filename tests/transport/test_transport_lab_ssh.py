"""The lab behind `LabServer`'s real sshd, driven by SshTransport with host keys verified."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.transport.helpers import foreign_known_hosts
from xclone.base.command import C_LOCALE, Command
from xclone.base.errors import TransportError
from xclone.base.remote import Login
from xclone.base.secret import SecretRef
from xclone.sim.serve import LabServer
from xclone.transport import ssh
from xclone.transport.ssh import SshTransport

CEC = "Server-9117-MMA-SN10F6F3D"


def test_every_face_answers_under_its_own_names(served_lab: LabServer) -> None:
    assert served_lab.faces == {"hmc01": "hmc", "hmc01.cluster.com": "hmc",
                                "xcataixmn": "mn", "xcataixmn.cluster.com": "mn"}
    with SshTransport({}, ssh_config=served_lab.ssh_config) as transport:
        for hmc in ("hmc01", "hmc01.cluster.com"):
            result = transport.run(hmc, Command.of("lssyscfg", "-r", "sys", "-F", "name,state"))
            assert (result.exit_status, result.stdout) == (0, f"{CEC},Operating\n")
        nodes = transport.run("xcataixmn.cluster.com", Command.of("lsdef", "-t", "node",
                                                                       env=C_LOCALE))
        assert nodes.stdout == "node27  (node)\n"


def test_spec_logins_map_onto_the_lab_through_ssh_config(
    served_lab: LabServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HMC01_PASSWORD", "abc123")
    logins = {
        "hmc01": Login(host="hmc01.cluster.com", user="hscroot",
                       password=SecretRef(env="HMC01_PASSWORD")),
        "mn": Login(host="xcataixmn", user="root"),
    }
    with SshTransport(logins, ssh_config=served_lab.ssh_config) as transport:
        lpars = transport.run("hmc01", Command.of("lssyscfg", "-r", "lpar", "-m", CEC,
                                                  "-F", "name,lpar_id"))
        assert sorted(lpars.stdout.split()) == ["node01,9", "node02,7", "node27,3"]
        assert transport.run("mn", Command.of("lsdef", "node27")).exit_status == 0


def test_stdin_stanzas_and_failures_pass_through(served_lab: LabServer) -> None:
    stanza = "node05:\n    objtype=node\n    groups=lpar,all\n"
    with SshTransport({}, ssh_config=served_lab.ssh_config) as transport:
        made = transport.run("xcataixmn", Command.of("mkdef", "-z", stdin=stanza))
        assert (made.exit_status, made.stderr) == (0, "")
        again = transport.run("xcataixmn", Command.of("mkdef", "-z", stdin=stanza))
        shown = transport.run("xcataixmn", Command.of("lsdef", "-t", "node", "-i", "groups",
                                                      "-c", "node05"))
    assert again.exit_status == 1
    assert again.stdout == ""
    assert "A definition for 'node05' already exists." in again.stderr
    assert shown.stdout == "node05: groups=lpar,all\n"


def test_a_long_stdin_goes_out_in_one_piece(served_lab: LabServer,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """invoke reads a stream that is not a terminal one character per read and sleeps 10 ms
    after each: the seed's `mkdef -z` stanzas took seconds to send. The transport's stdin hands
    invoke the whole text in one read (counted, never timed), and all of it arrives."""
    stanza = "".join(f"node{n:03}:\n    objtype=node\n    groups=lpar,all\n"
                     for n in range(100, 140))
    pieces: list[str] = []
    read = ssh._WholeStdin.read

    def counted(self: ssh._WholeStdin, size: int | None = -1) -> str:
        piece = read(self, size)
        if piece:
            pieces.append(piece)
        return piece

    monkeypatch.setattr(ssh._WholeStdin, "read", counted)
    with SshTransport({}, ssh_config=served_lab.ssh_config) as transport:
        made = transport.run("xcataixmn", Command.of("mkdef", "-z", stdin=stanza))
        shown = transport.run("xcataixmn", Command.of("nodels", "node[100-139]"))
    assert (made.exit_status, made.stderr) == (0, ""), made
    assert pieces == [stanza]
    assert shown.stdout.split() == [f"node{n:03}" for n in range(100, 140)]


def test_a_hostile_word_reaches_the_lab_as_one_word(
    served_lab: LabServer, tmp_path: Path
) -> None:
    marker = tmp_path / "pwned"
    hostile = f"node01;touch {marker}"
    with SshTransport({}, ssh_config=served_lab.ssh_config) as transport:
        result = transport.run("xcataixmn", Command.of("lsdef", hostile))
    assert result.exit_status == 1
    assert result.stderr == f"Error: Could not find an object named '{hostile}' of type 'node'.\n"
    assert not marker.exists()


def test_a_foreign_host_key_is_refused(served_lab: LabServer, tmp_path: Path) -> None:
    known = foreign_known_hosts(tmp_path, served_lab.port)
    transport = SshTransport({}, ssh_config=served_lab.ssh_config, known_hosts=known)
    with transport, pytest.raises(TransportError, match="does not match known_hosts"):
        transport.run("hmc01", Command.of("lssyscfg", "-r", "sys"))


def test_the_generated_files_work_for_the_openssh_client(served_lab: LabServer) -> None:
    done = subprocess.run(
        ["ssh", "-F", str(served_lab.ssh_config), "hmc01.cluster.com", "lssyscfg", "-r", "sys",
         "-F", "name,state"],
        capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, f"{CEC},Operating\n", "")
