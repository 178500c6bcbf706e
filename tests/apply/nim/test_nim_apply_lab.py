"""The NIM driver's apply side through the real CLI on the NIM-only lab (issue 14, "Done when"):
a stalled reference code fails its LPAR with the code and its meaning while the other LPAR
installs; `lpar_netboot` never runs more than the HMC's `max_sessions` at once.

Sources: docs/formats.md "HMC" (IBM "(CAxx) Partition firmware progress codes": a partition
that hangs on a progress code such as CA00E175, firmware's BOOTP request, needs action;
`lsrefcode -r lpar -m SYS`), issue 14 (`max_sessions` per HMC, default 8 as xCAT's maxssh)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.apply.helpers import Scenario, invoke_in
from xclone.sim import Lab

LAB_CLOCK = {"scale": 600}  # the example lab's own clock: a 40-minute install takes 4 s


def _journal(where: Path) -> list[dict[str, object]]:
    (path,) = sorted((where / ".xclone" / "runs").glob("*.jsonl"))
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.slow
def test_a_stalled_reference_code_fails_its_lpar_and_the_other_installs(tmp_path: Path) -> None:
    seed = Scenario(tmp_path, LAB_CLOCK, [{"lpar": "node02", "refcode": "CA00E175"}],
                    lab_name="nim-lab.yaml", spec_name="nim-cluster.yaml")
    result = seed.xclone("apply", str(seed.spec_file), "--lab", str(seed.lab_file),
                         "--auto-approve")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert ("node02: stalled on reference code CA00E175 (partition firmware sent a BOOTP "
            "request and no boot server answers): no NIM master answers") in result.output
    assert "node01:" not in result.output.split("Apply finished", 1)[1]
    _, out, _ = seed.mn("lsnim -l node01")
    assert "Cstate_result = success" in " ".join(out.split())
    # The HMC was asked once per poll for the whole managed system, without a locale prefix.
    polls = [r for r in _journal(tmp_path) if r.get("event") == "command"
             and str(r.get("command", "")).startswith("lsrefcode -r lpar -m ")]
    assert polls and all(r["host"] == "hmc01.cluster.com" for r in polls)
    assert any("node02,CA00E175" in str(r["stdout_tail"]) for r in polls)
    # The codes each LPAR showed are in the journal's run.end record, in the failure.
    (end,) = [r for r in _journal(tmp_path) if r.get("event") == "run.end"]
    assert "reference codes: CA00E175" in json.dumps(end)


@pytest.mark.slow
def test_lpar_netboot_never_runs_more_than_max_sessions_at_once(tmp_path: Path) -> None:
    """Twelve LPARs on one HMC with max_sessions 2 (the lab written from the spec): the lab's
    counter of simultaneous lpar_netboot sessions per HMC peaks at 2, and all twelve install."""
    spec = yaml.safe_load((Path(__file__).resolve().parents[3] / "specs" / "examples" /
                           "nim-cluster.yaml").read_text(encoding="utf-8"))
    spec["hmcs"]["hmc01"]["max_sessions"] = 2
    spec["groups"]["aixnodes"]["postscripts"] = []
    spec["lpars"] = {}
    spec["lpar_ranges"] = [{"names": "node[01-12]", "first_id": 11,
                            "first_ip": "9.114.113.230", "profile": "compute"}]
    (tmp_path / "twelve.yaml").write_text(yaml.safe_dump(spec, sort_keys=False), "utf-8")
    env = {"HMC01_PASSWORD": "abc123", "XCLONE_LAB_STATE": str(tmp_path / "state"),
           "NO_COLOR": "1"}
    made = invoke_in(tmp_path, env, ("lab", "init", "--from-spec", "twelve.yaml",
                                     "-o", "twelve-lab.yaml"))
    assert made.exit_code == 0, made.output
    applied = invoke_in(tmp_path, env, ("apply", "twelve.yaml", "--lab", "twelve-lab.yaml",
                                        "--auto-approve", "--parallelism", "12"))
    assert applied.exit_code == 0, applied.output
    lab = Lab.for_file(tmp_path / "twelve-lab.yaml", tmp_path / "state")
    assert lab.netboot_peaks() == {"hmc01": 2}
    counts = lab.command_counts()
    assert sum(n for k, n in counts.items() if " lpar_netboot " in f" {k} ") == 12


@pytest.mark.slow
def test_lost_answers_are_read_back_not_sent_again(tmp_path: Path) -> None:
    """The connection drops after hostent, the bosinst.data tee, a machine define and an
    lpar_netboot ran (lab `drop` faults): each is re-observed on its own host (/etc/hosts, the
    file, lsnim, the partition's reference code and state), found done, never sent twice; the
    apply converges and the next plan is empty."""
    drops = [{"command": c, "args": a, "drop": True, "times": 1} for c, a in (
        ("hostent", "node01"), ("tee", "bosinst"), ("nim", "-t standalone"),
        ("lpar_netboot", "node01"))]
    seed = Scenario(tmp_path, LAB_CLOCK, drops, lab_name="nim-lab.yaml",
                    spec_name="nim-cluster.yaml")
    result = seed.xclone("apply", str(seed.spec_file), "--lab", str(seed.lab_file),
                         "--auto-approve")
    assert result.exit_code == 0, result.output
    records = _journal(tmp_path)
    reads = {str(r["action"]): r for r in records if r.get("event") == "reobserve"}
    assert len(reads) == 4 and all(r["not_done"] == [] for r in reads.values())
    (netboot,) = [r["action"] for r in records if r.get("event") == "command.unknown_outcome"
                  and str(r["command"]).startswith("lpar_netboot")]
    assert reads[str(netboot)]["done"] == ["node01"]  # the partition, read on the HMC
    counts = seed.lab.command_counts()
    assert sum(n for k, n in counts.items() if " lpar_netboot " in f" {k} "
               and "node01" in k) == 1
    again = seed.plan("--detailed-exitcode")
    assert again.exit_code == 0, again.output
