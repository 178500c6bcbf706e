"""Preflight and observation on every NIM master (issue 17) through the real CLI on the
two-master lab (specs/examples/nim-multi.yaml with nim-multi-lab.yaml): each master is checked
on its own `lsuser -a fsize root`, `df -k` and `lsnim -l`, and a failure names the master; the
copy of the image nim2 pulls with scp counts as a mksysb written there; observation is a fixed
number of commands per master whatever the number of LPARs.

Facts: `lsuser -a fsize root` (IBM AIX "lsuser Command"; fsize in 512-byte blocks, AIX's
default 2097151, about 1 GB) and `chuser fsize=-1 root`; `df -k` (1024-byte blocks);
docs/formats.md "Preflight"."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from tests.apply.helpers import Scenario, aix_default_limits
from tests.apply.nim.test_install_servers import PAIR
from xclone.sim import Fault

SMALL_EXPORT = ("Filesystem    1024-blocks      Free %Used    Iused %Iused Mounted on\n"
                "/dev/hd4          2097152   1048576   50%     9000     4% /\n"
                "/dev/fslv01      20971520   1048576   95%     3000     1% /export\n")



def test_too_little_space_or_a_small_fsize_on_nim2_fails_the_plan_naming_it(
        tmp_path: Path) -> None:
    """nim2 receives the image copy (2 GB, site.preflight.mksysb_gb) on /export with 1 GB free
    and root's fsize at AIX's default: both are plan errors about nim2, none about the primary,
    and nothing is changed anywhere."""
    seed = Scenario(tmp_path, **PAIR)
    seed.lab.add_fault(Fault(host="nim2", command="df", stdout=SMALL_EXPORT, exit_status=0))
    aix_default_limits(seed, "nim2")
    before = {h: seed.lab.execute(h, "lsnim -l").stdout for h in ("nimmaster", "nim2")}
    result = seed.plan()
    assert result.exit_code == 1, result.output
    assert ("on install server nim2: preflight: /export (holding /export/nim) on nim2 has "
            "1.0 GB free; the plan's 1 mksysb image(s) need about 2.0 GB") in result.output
    assert "chfs -a size=+2G /export" in result.output
    assert ("on install server nim2: preflight: root's file size limit on nim2 is "
            "fsize=2097151") in result.output
    assert "on nimmaster" not in result.output
    applied = seed.apply()
    assert applied.exit_code == 1 and "Traceback" not in applied.output
    assert {h: seed.lab.execute(h, "lsnim -l").stdout for h in before} == before


def test_fix_fsize_lifts_nim2s_limit_before_its_copy_and_converges(tmp_path: Path) -> None:
    seed = Scenario(tmp_path, **PAIR)
    aix_default_limits(seed, "nim2")
    seed.write_spec(site={**seed.spec_data.get("site", {}), "preflight": {"fix_fsize": True}})
    planned = seed.plan("--format", "json")
    assert planned.exit_code == 0, planned.output
    actions = json.loads(planned.stdout)["actions"]
    (chuser,) = [a for a in actions if a["kind"] == "chuser"]
    assert chuser["host"] == "nim2"
    (copy,) = [a for a in actions if a["host"] == "nim2" and a["kind"] == "copy-mksysb"
               and "scp" in a["command"]]
    assert chuser["id"] in copy["depends_on"]
    applied = seed.apply()
    assert applied.exit_code == 0, applied.output
    counts = seed.lab.command_counts()
    assert counts["nim2 chuser fsize=-1 root"] == 1
    assert "nimmaster chuser fsize=-1 root" not in counts
    assert "fsize=-1" in seed.lab.execute("nim2", "lsuser -a fsize root").stdout
    assert seed.plan("--detailed-exitcode").exit_code == 0


def test_nim2s_master_on_another_hostname_is_a_plan_error_naming_it(tmp_path: Path) -> None:
    """nim2's NIM master interface (`if1` of its `master` object) names a host other than the
    one the spec reaches it by: its clients could not reach it by that name."""
    seed = Scenario(tmp_path, **PAIR)
    listing = seed.lab.execute("nim2", "lsnim -l").stdout
    assert "if1                 = master_net nim2 0" in listing
    seed.lab.add_fault(Fault(host="nim2", command="lsnim", exit_status=0, stdout=listing.replace(
        "master_net nim2 0", "master_net nim2old 0")))
    result = seed.plan()
    assert result.exit_code == 1, result.output
    assert ("on install server nim2: preflight: NIM's master interface if1 (master_net nim2old "
            "0) is not on the management node's primary hostname nim2") in result.output
    assert "(master_net nimmaster" not in result.output


def _spread(seed: Scenario, count: int) -> None:
    """`count` LPARs, half on each master's network, each a partition of the lab's one
    managed system (the lab file rewritten before its world is made)."""
    lab: dict[str, Any] = yaml.safe_load(seed.lab_file.read_text())
    system = lab["hmcs"]["hmc01"]["systems"]["Server-9117-MMA-SN10F6F3D"]
    lpars = {}
    for index in range(count):
        name, lpar_id = f"lp{index:03d}", 20 + index
        system["lpars"][name] = {"id": lpar_id, "profiles": [f"p{lpar_id}"], "adapters": [
            {"slot": 2, "mac": f"fef9df{lpar_id:06x}"}]}
        net = "9.114.113" if index % 2 else "9.114.114"
        lpars[name] = {"id": lpar_id, "profile": f"p{lpar_id}",
                       "ip": f"{net}.{(226 if index % 2 else 6) + index // 2}"}
    seed.lab_file.write_text(json.dumps(lab), encoding="utf-8")
    seed.write_spec(lpars=lpars)


def _observation(tmp_path: Path, count: int) -> dict[str, int]:
    (tmp_path / str(count)).mkdir()
    seed = Scenario(tmp_path / str(count), **PAIR)
    _spread(seed, count)
    result = seed.plan()
    assert result.exit_code == 0, result.output
    assert f"Plan: {count + 2} to add" in result.output  # and the image, on each master
    per_host: dict[str, int] = {}
    for key, n in seed.lab.command_counts().items():
        per_host[key.split(" ", 1)[0]] = per_host.get(key.split(" ", 1)[0], 0) + n
    return per_host


def test_observation_is_the_same_number_of_commands_at_4_and_40_lpars(tmp_path: Path) -> None:
    """Per master `lsnim -l`, `cat /etc/hosts`, `lsuser -a fsize root` and `df -k`; per HMC
    and managed system a fixed few: the plan of 40 LPARs sends what the plan of 4 sends."""
    small, large = _observation(tmp_path, 4), _observation(tmp_path, 40)
    assert small == large
    assert small["nim2"] == 4 and small["nimmaster"] == 4
