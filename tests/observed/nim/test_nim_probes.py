"""The NIM driver's observation against the lab's NIM-only world (specs/examples/nim-lab.yaml):
the documented commands (docs/nim-driver.md step 1, a constant count: 2 on the master, 1 per
HMC, 2 per managed system), their facts in the observed model, and the cross-checks that stop
a plan on an observation that cannot be whole.

Sources: `lsnim -l` and a configured master (`master`, `boot`, `nim_script`, the master's
network, as `nim_master_setup` leaves them: docs/formats.md "NIM", A configured master);
`lshwres -r virtualio --rsubtype eth --level lpar` (HMC man page LSHWRES, docs/formats.md
"HMC"); /etc/hosts (AIX Files Reference, "hosts File Format for TCP/IP")."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from tests.observed.helpers import Counting, hmc_login
from xclone.base.errors import XcloneError
from xclone.observed.observe import Observation, observe
from xclone.observed.probes import HmcTarget, ObservationTargets
from xclone.sim import Lab
from xclone.transport.sim import SimTransport
from xclone.transport.snapshot import SnapshotTransport

ROOT = Path(__file__).resolve().parents[3]
NIM_LAB = ROOT / "specs" / "examples" / "nim-lab.yaml"
CEC = "Server-9117-MMA-SN10F6F3D"
HMC_HOST = "hmc01.cluster.com"
TARGETS = ObservationTargets("nimmaster", (HmcTarget("hmc01", HMC_HOST, (CEC,)),),
                             mark="xclone:clustersite", driver="nim")
Observe = Callable[[ObservationTargets], Observation]


def _transport(lab_file: Path, state: Path) -> SimTransport:
    return SimTransport(Lab.for_file(lab_file, state_root=state), {HMC_HOST: hmc_login(HMC_HOST)})


@pytest.fixture(name="lab")
def lab_fixture(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Counting:
    monkeypatch.setenv("XCLONE_TEST_HMC_PASSWORD", "abc123")
    return Counting(_transport(NIM_LAB, tmp_path / "state"))


def test_the_documented_commands_in_the_c_locale_on_the_master_and_none_on_the_hmc(
        lab: Counting) -> None:
    observe(lab, TARGETS)
    assert lab.commands == [
        "LC_ALL=C lsnim -l",
        "LC_ALL=C cat /etc/hosts",
        "lssyscfg -r sys -F name,type_model,serial_num,state",
        f"lssyscfg -r lpar -m {CEC} -F "
        "name,lpar_id,state,curr_profile,default_profile,lpar_env,os_version",
        f"lshwres -r virtualio --rsubtype eth --level lpar -m {CEC} -F lpar_name,slot_num,mac_addr",
        f"lsrefcode -r lpar -m {CEC} -F lpar_name,refcode",
    ]


def test_the_facts_land_in_the_observed_model(lab: Counting) -> None:
    seen = observe(lab, TARGETS).observed
    assert {"master", "boot", "nim_script", "master_net", "node27"} <= set(seen.nim)
    assert seen.hosts["9.114.113.227"] == ("node27", "node27.cluster.com")
    assert seen.macs("hmc01", CEC, "node01") == ("fef9dfa81e02",)
    assert seen.macs("hmc01", CEC, "node02") == ("fef9dfb7c602",)
    assert {p.name for p in seen.partitions[("hmc01", CEC)]} == {"node27", "node02", "node01"}
    assert all(not objects for objects in seen.xcat.values())


@pytest.mark.parametrize("lpars", [10, 1000])
def test_the_command_count_does_not_grow_with_the_lpars(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lpars: int) -> None:
    monkeypatch.setenv("XCLONE_TEST_HMC_PASSWORD", "abc123")
    rows = "\n".join(f"          node{i:04d}: {{id: {i}, adapters: [{{slot: 2, mac: "
                     f"fef9df{i:06x}}}]}}" for i in range(1, lpars + 1))
    lab_file = tmp_path / "lab.yaml"
    lab_file.write_text(
        "version: 1\n"
        "management_node: {name: nimmaster, hostnames: [nimmaster], ip: 9.114.113.225, "
        "xcat: false}\n"
        "hmcs:\n  hmc01:\n    hostnames: [hmc01, hmc01.cluster.com]\n    password: abc123\n"
        f"    systems:\n      {CEC}:\n        type_model: 9117-MMA\n        serial: 10F6F3D\n"
        "        lpars:\n" + rows + "\n", encoding="utf-8")
    runner = Counting(_transport(lab_file, tmp_path / "state"))
    seen = observe(runner, TARGETS).observed
    assert len(runner.commands) == 6
    assert len(seen.adapters[("hmc01", CEC)]) == lpars


def _replayed(lab: Counting, command: str, stdout: str) -> SnapshotTransport:
    """The lab's own answers, with the one of `command` replaced by `stdout`."""
    entries = observe(lab, TARGETS).entries
    return SnapshotTransport(replace(e, stdout=stdout) if e.command == command else e
                             for e in entries)


def test_a_master_without_any_nim_object_is_not_configured(lab: Counting) -> None:
    with pytest.raises(XcloneError) as caught:
        observe(_replayed(lab, "LC_ALL=C lsnim -l", ""), TARGETS)
    assert caught.value.message.startswith("NIM is not configured on nimmaster:")
    assert "run nim_master_setup" in caught.value.message


def test_a_listing_without_master_is_cut_short(lab: Counting) -> None:
    """Objects but no `master`: the listing lost objects, whatever else it shows."""
    text = "node27:\n   class = machines\n   type  = standalone\n"
    with pytest.raises(XcloneError, match="NIM always defines master"):
        observe(_replayed(lab, "LC_ALL=C lsnim -l", text), TARGETS)


def test_an_empty_etc_hosts_stops_the_plan(lab: Counting) -> None:
    with pytest.raises(XcloneError, match="cat /etc/hosts` lists no address at all"):
        observe(_replayed(lab, "LC_ALL=C cat /etc/hosts", "# all gone\n"), TARGETS)


def test_an_adapter_of_a_partition_lssyscfg_does_not_list_stops_the_plan(lab: Counting) -> None:
    command = (f"lshwres -r virtualio --rsubtype eth --level lpar -m {CEC} "
               "-F lpar_name,slot_num,mac_addr")
    rows = "node27,2,FEF9DF8D4A02\nnode99,2,FEF9DF000099\n"
    with pytest.raises(XcloneError) as caught:
        observe(_replayed(lab, command, rows), TARGETS)
    assert caught.value.message.startswith(f"{HMC_HOST}: `{command}` lists virtual Ethernet "
                                           "adapters of partition(s) node99")


def test_an_adapter_slot_listed_twice_is_garbled(lab: Counting) -> None:
    command = (f"lshwres -r virtualio --rsubtype eth --level lpar -m {CEC} "
               "-F lpar_name,slot_num,mac_addr")
    rows = "node27,2,FEF9DF8D4A02\nnode27,2,FEF9DF8D4A02\n"
    with pytest.raises(XcloneError, match="partition node27 slot 2 appears twice"):
        observe(_replayed(lab, command, rows), TARGETS)


def test_no_virtual_ethernet_at_all_is_an_answer(lab: Counting) -> None:
    command = (f"lshwres -r virtualio --rsubtype eth --level lpar -m {CEC} "
               "-F lpar_name,slot_num,mac_addr")
    seen = observe(_replayed(lab, command, "No results were found.\n"), TARGETS).observed
    assert seen.adapters[("hmc01", CEC)] == ()
    assert seen.macs("hmc01", CEC, "node01") == ()
