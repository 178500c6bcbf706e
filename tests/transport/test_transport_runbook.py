"""The seed runbook (CONTRACT §1) typed by an administrator, through each transport.

In-process and over real SSH the same commands must leave the same world: node01 and node02
installed from 610sysb. Over SSH every step crosses sshd, the forced login and the lab's shell
split, so this is the end-to-end proof that the SSH transport carries xclone's commands intact.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from xclone.base.command import Command
from xclone.base.remote import Result, Transport
from xclone.sim import Lab
from xclone.sim.serve import LabServer
from xclone.transport.sim import SimTransport
from xclone.transport.ssh import SshTransport

MN = "xcataixmn"
CEC = "Server-9117-MMA-SN10F6F3D"

# (argv, expected exit status) in runbook order; the rscan stanza is piped into `mkdef -z`
# separately. Each word goes through Command, as xclone's own commands do.
BEFORE_RSCAN: list[tuple[tuple[str, ...], int]] = [
    (("mkdef", "-t", "node", "-o", "hmc01", "groups=hmc,all", "nodetype=ppc", "hwtype=hmc",
      "mgt=hmc", "username=hscroot", "password=abc123"), 0),
]
AFTER_RSCAN: list[tuple[tuple[str, ...], int]] = [
    (("mkdef", "-t", "network", "-o", "net1", "net=9.114.113.224", "mask=255.255.255.224",
      "gateway=9.114.113.254"), 0),
    (("chdef", "-t", "node", "-o", "node01", "ip=9.114.113.230", "groups=lpar,all,aixnodes"), 0),
    (("chdef", "-t", "node", "-o", "node02", "ip=9.114.113.231", "groups=lpar,all,aixnodes"), 0),
    (("mknimimage", "-m", "mksysb", "-n", "node27", "610sysb", "spot=610spot",
      "resolv_conf=my_resolv_conf"), 0),
    (("makehosts", "node01,node02"), 0),
    (("makeconservercf",), 0),
    (("getmacs", "node01,node02", "-D"), 0),
    (("chdef", "-t", "group", "-o", "aixnodes", "-p", "postscripts=setupntp,confignimsh"), 0),
    (("xcat2nim", "-t", "network", "-o", "net1"), 0),
    (("xcat2nim", "-t", "node", "node01,node02"), 0),
    (("nimnodeset", "-i", "610sysb", "node01,node02"), 0),
    (("rnetboot", "node01,node02"), 0),
]


@pytest.fixture(params=["sim", pytest.param("ssh", marks=pytest.mark.slow)])
def cluster(
    request: pytest.FixtureRequest, instant_seed_lab: Path, tmp_path: Path
) -> Iterator[tuple[Transport, Lab]]:
    """A transport onto a freshly seeded world, and the world itself (to move its clock)."""
    if request.param == "sim":
        lab = Lab.init(instant_seed_lab, tmp_path / "state")
        yield SimTransport(lab), lab
        return
    server: LabServer = request.getfixturevalue("served_lab")
    with SshTransport({}, ssh_config=server.ssh_config) as transport:
        yield transport, Lab.open(server.state_dir)


def _run(transport: Transport, argv: tuple[str, ...], stdin: str | None = None) -> Result:
    return transport.run(MN, Command.of(*argv, stdin=stdin), timeout=120)


def test_seed_runbook_installs_node01_and_node02(cluster: tuple[Transport, Lab]) -> None:
    transport, lab = cluster
    for argv, status in BEFORE_RSCAN:
        result = _run(transport, argv)
        assert result.exit_status == status, (argv, result.stdout, result.stderr)
    stanzas = _run(transport, ("rscan", "-z", "hmc01"))
    assert stanzas.exit_status == 0
    assert stanzas.stdout.startswith(f"{CEC}:\n\tobjtype=node\n")
    defined = _run(transport, ("mkdef", "-z"), stdin=stanzas.stdout)
    # node27 was defined long ago: xCAT refuses that one stanza and still writes the others.
    assert defined.exit_status == 1
    assert "A definition for 'node27' already exists." in defined.stderr
    for argv, status in AFTER_RSCAN:
        result = _run(transport, argv)
        assert result.exit_status == status, (argv, result.stdout, result.stderr)

    lab.advance(2 * 3600)

    for node in ("node01", "node02"):
        nim = _run(transport, ("lsnim", "-l", node)).stdout
        assert "Cstate         = ready for a NIM operation" in nim
        assert "Cstate_result  = success" in nim
        xcat = _run(transport, ("lsdef", node)).stdout
        assert "    profile=610sysb\n" in xcat
        assert "    status=booted\n" in xcat
    lpars = transport.run("hmc01", Command.of("lssyscfg", "-r", "lpar", "-m", CEC,
                                              "-F", "name,state"))
    assert {"node01,Running", "node02,Running"} <= set(lpars.stdout.split("\n"))


def test_repeating_a_step_gives_the_real_error(cluster: tuple[Transport, Lab]) -> None:
    transport, _ = cluster
    network = AFTER_RSCAN[0][0]
    assert _run(transport, network).exit_status == 0
    again = _run(transport, network)
    assert again.exit_status == 1
    assert "already exists" in again.stderr
