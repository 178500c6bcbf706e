"""The preflight before anything changes (issue 15 item 2), for both drivers, through the real
CLI on the example labs. The runbook: NIM resources are 1 to 2 GB each, root's file size limit
may need `chuser fsize=-1 root`, the file system holding /install (NIM: the resource location)
needs the room, NIM must be configured with the master's primary hostname on the install
interface. Facts: `lsuser -a fsize root` (IBM AIX "lsuser Command"; fsize in 512-byte blocks,
2097151 by default, "limits File") and `df -k` (IBM AIX "df Command")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.apply.helpers import Scenario, aix_default_limits
from xclone.sim import Fault

DRIVERS = {"xcat": ("seed-lab.yaml", "seed-cluster.yaml", "/install"),
           "nim": ("nim-lab.yaml", "nim-cluster.yaml", "/export")}
CHUSER = "LC_ALL=C chuser fsize=-1 root"
IMAGE_KIND = {"xcat": "mknimimage", "nim": "nim-define-mksysb"}


@pytest.fixture(params=sorted(DRIVERS))
def seed(request: pytest.FixtureRequest, tmp_path: Path) -> Scenario:
    lab, spec, _ = DRIVERS[request.param]
    scenario = Scenario(tmp_path, lab_name=lab, spec_name=spec)
    scenario.driver = request.param  # type: ignore[attr-defined]
    return scenario


def _fsize(seed: Scenario) -> str:
    status, out, _ = seed.mn("lsuser -a fsize root")
    assert status == 0
    return out.split("fsize=", 1)[1].strip()


def _nothing_changed(seed: Scenario, before: str) -> None:
    status, after, _ = seed.mn("lsnim -l")
    assert status == 0 and after == before


def test_a_small_fsize_fails_the_plan_and_apply_with_the_fix(seed: Scenario) -> None:
    aix_default_limits(seed, seed.master)
    before = seed.mn("lsnim -l")[1]
    result = seed.plan()
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "fsize=2097151" in result.output and "chuser fsize=-1 root" in result.output
    assert "site.preflight.fix_fsize" in result.output
    applied = seed.apply()
    assert applied.exit_code == 1 and "fsize=2097151" in applied.output
    _nothing_changed(seed, before)
    assert _fsize(seed) == "2097151"


def test_fix_fsize_plans_chuser_before_the_mksysb_and_converges(seed: Scenario) -> None:
    aix_default_limits(seed, seed.master)
    seed.write_spec(site={**seed.spec_data.get("site", {}), "preflight": {"fix_fsize": True}})
    result = seed.plan("--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    by_id = {a["id"]: a for a in doc["actions"]}
    fix = next(a for a in doc["actions"] if a["command"] == CHUSER)
    image = next(a for a in doc["actions"] if a["kind"] == IMAGE_KIND[seed.driver])  # type: ignore[attr-defined]
    assert fix["id"] in image["depends_on"] and fix["host"] == seed.master
    assert by_id[fix["id"]]["kind"] == "chuser"
    applied = seed.apply()
    assert applied.exit_code == 0, applied.output
    assert _fsize(seed) == "-1"
    again = seed.plan("--detailed-exitcode")
    assert again.exit_code == 0, again.output


def test_too_little_free_space_under_the_resource_location_is_a_plan_error(
        seed: Scenario) -> None:
    """Two GB per mksysb the plan makes (site.preflight.mksysb_gb); 1 GB free where the
    driver writes them."""
    _, _, mount = DRIVERS[seed.driver]  # type: ignore[attr-defined]
    table = ("Filesystem    1024-blocks      Free %Used    Iused %Iused Mounted on\n"
             "/dev/hd4          2097152   1048576   50%     9000     4% /\n"
             f"/dev/fslv00      20971520   1048576   95%     3000     1% {mount}\n")
    seed.lab.add_fault(Fault(command="df", stdout=table, exit_status=0))
    before = seed.mn("lsnim -l")[1]
    result = seed.plan()
    assert result.exit_code == 1, result.output
    assert f"{mount} (holding" in result.output and "1.0 GB free" in result.output
    assert "chfs -a size=+2G" in result.output
    _nothing_changed(seed, before)


def test_skip_preflight_plans_anyway_and_apply_journals_it(seed: Scenario) -> None:
    aix_default_limits(seed, seed.master)
    planned = seed.plan("--skip-preflight")
    assert planned.exit_code == 0, planned.output
    assert "chuser" not in planned.output
    applied = seed.apply("--skip-preflight")
    assert applied.exit_code == 0, applied.output
    records = [json.loads(line) for line in seed.journals()[-1].read_text().splitlines()]
    plan = next(r for r in records if r.get("event") == "plan")
    assert plan["preflight"] == "skipped"
    sent = [r["command"] for r in records if r.get("event") == "command"]
    assert not any("lsuser" in c or "df -k" in c for c in sent)


def test_the_preflight_reads_root_limits_and_df_once_each(seed: Scenario) -> None:
    applied = seed.apply()
    assert applied.exit_code == 0, applied.output
    records = [json.loads(line) for line in seed.journals()[-1].read_text().splitlines()]
    assert "preflight" not in next(r for r in records if r.get("event") == "plan")
    sent = [r["command"] for r in records if r.get("event") == "command"]
    assert sent.count("LC_ALL=C lsuser -a fsize root") == 1
    assert sent.count("LC_ALL=C df -k") == 1


def test_a_master_known_by_another_primary_hostname_is_a_plan_error(seed: Scenario) -> None:
    seed.write_spec(management_node={**seed.spec_data["management_node"], "name": "othername"})
    result = seed.plan()
    assert result.exit_code == 1, result.output
    assert "primary hostname othername" in result.output and "if1" in result.output


def test_a_master_without_nim_configured_is_a_plan_error_naming_nim_master_setup(
        seed: Scenario) -> None:
    """NIM must be configured first (the runbook: nim_master_setup, else mknimimage does it):
    a master whose `lsnim -l` lists nothing stops the plan with that fix, for both drivers."""
    seed.lab.add_fault(Fault(command="lsnim", args="^-l$", stdout="", exit_status=0))
    result = seed.plan()
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "nim_master_setup" in result.output and "no plan was made" in result.output
    applied = seed.apply()
    assert applied.exit_code == 1 and "nim_master_setup" in applied.output
