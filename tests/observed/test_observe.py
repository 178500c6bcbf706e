"""The observe runner over replayed outputs: what it builds, what it runs, and how it fails."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from tests.observed.helpers import Counting
from xclone.base.errors import XcloneError
from xclone.observed.canonical import digest_of
from xclone.observed.observe import observe
from xclone.observed.parsers.errors import ParseError
from xclone.observed.probes import HmcTarget, ObservationTargets
from xclone.observed.snapshot import SnapshotEntry
from xclone.transport.snapshot import SnapshotTransport

MN = "xcataixmn"
HMC_HOST = "hmc01.cluster.com"
SYSTEM = "Server-9117-MMA-SN10F6F3D"
Outputs = Callable[[int], dict[tuple[str, str], tuple[int, str, str]]]
WithAnswer = Callable[..., SnapshotTransport]
TARGETS = ObservationTargets(MN, (HmcTarget("hmc01", HMC_HOST, (SYSTEM,)),))


def _entries(outputs: dict[tuple[str, str], tuple[int, str, str]]) -> list[SnapshotEntry]:
    return [SnapshotEntry(h, c, *answer) for (h, c), answer in outputs.items()]


def test_builds_the_observed_model(cluster_outputs: Outputs) -> None:
    observation = observe(SnapshotTransport(_entries(cluster_outputs(3))), TARGETS)
    seen = observation.observed
    assert sorted(seen.xcat["node"]) == ["node0001", "node0002", "node0003"]
    assert seen.xcat["node"]["node0002"].get("id") == "2"
    assert sorted(seen.xcat["group"]) == ["all", "lpar"] and seen.xcat["osimage"] == {}
    assert seen.xcat_object("network", "net1") is not None
    assert seen.xcat["site"]["clustersite"].get("ppctimeout") == "180"
    assert seen.nim["node0003"].cls == "machines" and seen.nim["master"].type == "master"
    assert set(seen.systems) == {("hmc01", SYSTEM), ("hmc01", "Server-other")}
    part = seen.partition("hmc01", SYSTEM, "node0002")
    assert part is not None and part.lpar_id == 2 and part.profile == "lpar2"
    assert ("hmc01", "Server-other") not in seen.partitions  # the spec does not name it


@pytest.mark.parametrize("lpars", [10, 1000])
def test_command_count_does_not_depend_on_lpars(lpars: int, cluster_outputs: Outputs) -> None:
    runner = Counting(SnapshotTransport(_entries(cluster_outputs(lpars))))
    observation = observe(runner, TARGETS)
    assert len(runner.commands) == 8  # 6 on the MN, 1 per HMC, 1 per managed system
    assert len(observation.entries) == 8
    assert len(observation.observed.partitions[("hmc01", SYSTEM)]) == lpars


def test_a_system_the_hmc_does_not_show_is_not_probed(cluster_outputs: Outputs) -> None:
    targets = ObservationTargets(MN, (HmcTarget("hmc01", HMC_HOST, ("Server-missing",)),))
    runner = Counting(SnapshotTransport(_entries(cluster_outputs(2))))
    observation = observe(runner, targets)
    assert len(runner.commands) == 7
    assert ("hmc01", "Server-missing") not in observation.observed.systems
    assert observation.observed.partitions == {}


@pytest.fixture(name="with_answer")
def with_answer_fixture(cluster_outputs: Outputs) -> Callable[..., SnapshotTransport]:
    """A two-LPAR cluster where one probe gets the given answer instead."""

    def build(host: str, command: str, answer: tuple[int, str, str]) -> SnapshotTransport:
        outputs = cluster_outputs(2)
        outputs[(host, command)] = answer
        return SnapshotTransport(_entries(outputs))

    return build


def test_hmc_error_names_host_command_and_code(with_answer: WithAnswer) -> None:
    command = "lssyscfg -r sys -F name,type_model,serial_num,state"
    runner = with_answer(HMC_HOST, command, (1, "", "HSCL350B The user does not have authority.\n"))
    with pytest.raises(XcloneError) as caught:
        observe(runner, TARGETS)
    message = caught.value.message
    assert HMC_HOST in message and command in message and "HSCL350B" in message


def test_xcat_error_with_exit_1_is_reported(with_answer: WithAnswer) -> None:
    command = "LC_ALL=C lsdef -t site -l"
    runner = with_answer(MN, command, (1, "", "Error: [xcataixmn]: Could not connect to xcatd.\n"))
    with pytest.raises(XcloneError, match="Could not connect to xcatd") as caught:
        observe(runner, TARGETS)
    assert caught.value.message.startswith(f"{MN}: `{command}` failed: exit status 1")


def test_error_line_with_exit_0_still_fails(with_answer: WithAnswer) -> None:
    command = "LC_ALL=C lsnim -l"
    failure = '0042-001 nim: processing error encountered on "master"'
    runner = with_answer(MN, command, (0, "", failure))
    with pytest.raises(XcloneError, match="0042-001"):
        observe(runner, TARGETS)


def test_nim_codes_inside_attribute_values_are_data(with_answer: WithAnswer) -> None:
    text = "master:\n   class = machines\n   type  = master\n" \
           "node03:\n   class    = machines\n   type     = standalone\n" \
           "   err_info = 0042-175 c_bos_inst: An unexpected result was returned\n"
    observation = observe(with_answer(MN, "LC_ALL=C lsnim -l", (0, text, "")), TARGETS)
    assert observation.observed.nim["node03"].get("err_info").startswith("0042-175")


def test_unparseable_output_names_host_command_and_line(with_answer: WithAnswer) -> None:
    command = "LC_ALL=C lsdef -t node -z"
    runner = with_answer(MN, command, (0, "node01:\n    id 9\n", ""))
    with pytest.raises(ParseError) as caught:
        observe(runner, TARGETS)
    assert caught.value.host == MN and caught.value.command == command
    assert caught.value.line_no == 2 and "id 9" in caught.value.message


def test_bad_lpar_id_is_a_parse_error(with_answer: WithAnswer) -> None:
    command = ("lssyscfg -r lpar -m Server-9117-MMA-SN10F6F3D -F "
               "name,lpar_id,state,curr_profile,default_profile,lpar_env,os_version")
    runner = with_answer(HMC_HOST, command, (0, "node01,nine,Running,,p,aixlinux,Unknown\n", ""))
    with pytest.raises(ParseError, match="lpar_id is not a number"):
        observe(runner, TARGETS)


def test_replaying_the_entries_gives_the_same_digest(cluster_outputs: Outputs) -> None:
    live = observe(SnapshotTransport(_entries(cluster_outputs(5))), TARGETS)
    replayed = observe(SnapshotTransport(live.entries), TARGETS)
    assert digest_of(replayed.observed) == digest_of(live.observed)
    assert replayed.entries == live.entries


def test_digest_changes_with_the_cluster(cluster_outputs: Outputs) -> None:
    base = observe(SnapshotTransport(_entries(cluster_outputs(5))), TARGETS)
    changed_entries = [
        replace(e, stdout=e.stdout.replace("ppctimeout=180", "ppctimeout=60"))
        for e in base.entries
    ]
    changed = observe(SnapshotTransport(changed_entries), TARGETS)
    assert digest_of(changed.observed) != digest_of(base.observed)
    assert digest_of(base.observed).startswith("sha256:")
