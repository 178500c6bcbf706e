"""SimTransport against the seed lab: the transport contract, in-process."""

from __future__ import annotations

from pathlib import Path

import pytest

from xclone.base.command import Command
from xclone.base.errors import SecretError, TransportError
from xclone.base.remote import Login, OutcomeUnknown
from xclone.base.secret import SecretRef
from xclone.sim import Fault, Lab
from xclone.transport.sim import SimTransport

CEC = "Server-9117-MMA-SN10F6F3D"


@pytest.fixture
def lab(instant_seed_lab: Path, tmp_path: Path) -> Lab:
    return Lab.init(instant_seed_lab, tmp_path / "state")


def _hmc_login(variable: str = "HMC01_PASSWORD") -> Login:
    return Login(host="hmc01.cluster.com", user="hscroot", password=SecretRef(env=variable))


def test_hmc_inventory_through_a_password_login(
    lab: Lab, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HMC01_PASSWORD", "abc123")
    transport = SimTransport(lab, {"hmc01": _hmc_login()})
    result = transport.run("hmc01", Command.of("lssyscfg", "-r", "sys", "-F", "name,state"))
    assert (result.host, result.exit_status, result.stderr) == ("hmc01", 0, "")
    assert result.stdout == f"{CEC},Operating\n"


def test_a_wrong_hmc_password_is_a_refused_login(
    lab: Lab, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HMC01_PASSWORD", "not-it")
    transport = SimTransport(lab, {"hmc01": _hmc_login()})
    with pytest.raises(TransportError, match="Permission denied") as caught:
        transport.run("hmc01", Command.of("lssyscfg", "-r", "sys"))
    assert str(caught.value) == "hmc01: Permission denied (publickey,password)."
    assert not caught.value.transient
    assert "not-it" not in str(caught.value)


def test_an_unset_password_variable_fails_before_any_command(lab: Lab) -> None:
    transport = SimTransport(lab, {"hmc01": _hmc_login("XCLONE_TEST_UNSET_VARIABLE")})
    with pytest.raises(SecretError, match="XCLONE_TEST_UNSET_VARIABLE"):
        transport.run("hmc01", Command.of("lssyscfg", "-r", "sys"))


def test_an_unknown_host_is_not_transient(lab: Lab) -> None:
    with pytest.raises(TransportError, match="no such host in the lab") as caught:
        SimTransport(lab).run("hmc99.cluster.com", Command.of("lssyscfg", "-r", "sys"))
    assert caught.value.host == "hmc99.cluster.com"
    assert not caught.value.transient


def test_stdin_reaches_the_command(lab: Lab) -> None:
    transport = SimTransport(lab)
    stanza = "node05:\n    objtype=node\n    groups=lpar,all\n"
    made = transport.run("xcataixmn", Command.of("mkdef", "-z", stdin=stanza))
    assert made.exit_status == 0, made.stderr
    shown = transport.run("xcataixmn", Command.of("lsdef", "-t", "node", "-i", "groups",
                                                  "-c", "node05"))
    assert shown.stdout == "node05: groups=lpar,all\n"


def test_failure_is_a_result_with_stderr_apart(lab: Lab) -> None:
    result = SimTransport(lab).run("xcataixmn", Command.of("lsdef", "node99"))
    assert result.exit_status == 1
    assert result.stdout == ""
    assert result.stderr == "Error: Could not find an object named 'node99' of type 'node'.\n"


def test_a_hostile_word_stays_one_word(lab: Lab) -> None:
    command = Command.of("lsdef", "node01;rmdef node27")
    result = SimTransport(lab).run("xcataixmn", command)
    assert "'node01;rmdef node27'" in result.stderr
    assert SimTransport(lab).run("xcataixmn", Command.of("lsdef", "node27")).exit_status == 0


def test_a_hung_command_times_out_with_an_unknown_outcome(lab: Lab) -> None:
    lab.add_fault(Fault(command="lssyscfg", hang=30.0))
    with pytest.raises(OutcomeUnknown, match="timed out after 0.2 s on hmc01 while running "
                       "lssyscfg: it may or may not have run") as caught:
        SimTransport(lab).run("hmc01", Command.of("lssyscfg", "-r", "sys"), timeout=0.2)
    assert not caught.value.transient


def test_a_dropped_answer_is_an_unknown_outcome_after_the_command_ran(lab: Lab) -> None:
    lab.add_fault(Fault(command="mkdef", drop=True, times=1))
    with pytest.raises(OutcomeUnknown, match="connection lost to xcataixmn while running mkdef"):
        SimTransport(lab).run("xcataixmn", Command.of("mkdef", "-t", "group", "-o", "g1"))
    listed = SimTransport(lab).run("xcataixmn", Command.of("lsdef", "-t", "group", "-o", "g1"))
    assert listed.exit_status == 0
    assert lab.command_counts()["xcataixmn mkdef -t group -o g1"] == 1


def test_a_command_within_its_timeout_answers(lab: Lab) -> None:
    result = SimTransport(lab).run("xcataixmn", Command.of("lsdef", "-t", "network"), timeout=30)
    assert result.exit_status == 0
