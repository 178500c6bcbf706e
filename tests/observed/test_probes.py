"""Probes are values (issue 13 item 4, pyinfra's facts): a command, the host and role it runs
on, a pure parse function, where the fact goes in the observed model, and a timeout. Reading an
answer needs nothing but the probe: no kind switch in the observe runner."""

from __future__ import annotations

import pytest

from xclone.base.command import C_LOCALE, Command
from xclone.base.errors import XcloneError
from xclone.base.remote import Result
from xclone.drivers.xcat import probes
from xclone.observed.model import Facts, ManagedSystem
from xclone.observed.parsers.errors import ParseError
from xclone.observed.probes import AnyProbe, HmcTarget, ObservationTargets, Probe

CEC = "Server-9117-MMA-SN10F6F3D"
HMC = HmcTarget("hmc01", "hmc01.cluster.com", (CEC,))


def _answer(probe: AnyProbe, stdout: str) -> Result:
    return Result(probe.host, probe.command.display(), 0, stdout, "")


def test_the_first_round_is_the_documented_tables_with_the_spec_timeout() -> None:
    """CONTRACT §3: five lsdef and one lsnim -l on the MN in the C locale (their messages are
    the English ones the checks match), one lssyscfg -r sys per HMC, with no environment
    prefix (the HMC's restricted shell takes none)."""
    first = probes.first_round(ObservationTargets("xcataixmn", (HMC,), timeout=7))
    assert [(p.host, p.role, p.command.display()) for p in first] == [
        ("xcataixmn", "mn", "LC_ALL=C lsdef -t node -z"),
        ("xcataixmn", "mn", "LC_ALL=C lsdef -t group -z"),
        ("xcataixmn", "mn", "LC_ALL=C lsdef -t network -l"),
        ("xcataixmn", "mn", "LC_ALL=C lsdef -t osimage -l"),
        ("xcataixmn", "mn", "LC_ALL=C lsdef -t site -l"),
        ("xcataixmn", "mn", "LC_ALL=C lsnim -l"),
        ("hmc01.cluster.com", "hmc", "lssyscfg -r sys -F name,type_model,serial_num,state"),
    ]
    assert {p.timeout for p in first} == {7}
    assert [p.listing for p in first] == ["node", "group", "network", "osimage", "site", "nim", ""]


def test_an_hmc_probe_with_an_environment_prefix_is_refused() -> None:
    with pytest.raises(ValueError, match="restricted shell"):
        Probe("hmc01.cluster.com", "hmc", Command.of("lssyscfg", "-r", "sys", env=C_LOCALE),
              str, lambda facts, text: None)


def test_the_systems_probe_maps_rows_to_managed_systems_of_the_hmc_the_spec_names() -> None:
    probe = probes.systems_probe(HMC)
    facts = Facts()
    rows = f"{CEC},9117-MMA,10F6F3D,Operating\nOther,8233-E8B,1,No Connection\n"
    probe.read(_answer(probe, rows), facts)
    assert facts.systems[("hmc01", CEC)] == ManagedSystem("hmc01", CEC, "9117-MMA", "10F6F3D",
                                                          "Operating")
    assert facts.reachable_systems("hmc01") == frozenset({CEC})
    assert probes.second_round(HMC, facts.reachable_systems("hmc01"))[0].command.display() == (
        f"lssyscfg -r lpar -m {CEC} -F "
        "name,lpar_id,state,curr_profile,default_profile,lpar_env,os_version")


def test_a_partition_id_that_is_not_a_number_names_host_command_and_line() -> None:
    probe = probes.partitions_probe(HMC, CEC)
    with pytest.raises(ParseError) as caught:
        probe.read(_answer(probe, "node01,nine,Running,lpar9,lpar9,aixlinux,AIX 7.1\n"), Facts())
    assert caught.value.message.startswith(
        f"hmc01.cluster.com: {probe.command.display()}: cannot read output line 1")
    assert "lpar_id is not a number" in caught.value.message


def test_a_partition_listed_twice_fails_the_cross_check_after_parsing() -> None:
    probe = probes.partitions_probe(HMC, CEC)
    row = "node01,9,Running,lpar9,lpar9,aixlinux,AIX 7.1\n"
    facts = Facts()
    probe.read(_answer(probe, row), facts)
    assert [p.name for p in facts.observed().partitions[("hmc01", CEC)]] == ["node01"]
    with pytest.raises(XcloneError, match="partition name node01 appears twice"):
        probe.read(_answer(probe, row + row), Facts())
