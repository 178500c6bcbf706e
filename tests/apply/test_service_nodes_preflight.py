"""The preflight on each xCAT service node (issue 17) through the real CLI on the example pair
specs/examples/xcat-sn.yaml and xcat-sn-lab.yaml: the first nimnodeset of an image for sn1
copies the image's NIM resources to the same location on sn1, so sn1's own file system holding
/install must have room for it and root's file size limit there must allow a mksysb.

Facts (xCAT 2.9.2 aixinstall.pm): copyres and copyres2 run `xdsh SN /usr/bin/df -m DIR` on the
service node, and `chfs -a size=+NM FS` when the resource does not fit ("Could not run: ..."
and no copy when that fails); `lsuser -a fsize root` counts 512-byte blocks (IBM AIX "limits
File", AIX's default 2097151, about 1 GB)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.apply.helpers import Scenario, aix_default_limits
from xclone.sim import Fault

LAB, SPEC = "xcat-sn-lab.yaml", "xcat-sn.yaml"
SMALL_INSTALL = ("Filesystem    1024-blocks      Free %Used    Iused %Iused Mounted on\n"
                 "/dev/hd4          2097152   1048576   50%     9000     4% /\n"
                 "/dev/fslv00      20971520   1048576   95%     3000     1% /install\n")


def _scenario(where: Path) -> Scenario:
    return Scenario(where, lab_name=LAB, spec_name=SPEC)



def test_a_full_install_or_a_small_fsize_on_sn1_fails_the_plan_naming_it(
        tmp_path: Path) -> None:
    """sn1 receives the copy of 610sysb (2 GB, site.preflight.mksysb_gb) on /install with 1 GB
    free and root's fsize at AIX's default: both are plan errors about sn1, none about the
    management node, and apply changes nothing."""
    seed = _scenario(tmp_path)
    seed.lab.add_fault(Fault(host="sn1", command="df", stdout=SMALL_INSTALL, exit_status=0))
    aix_default_limits(seed, "sn1")
    result = seed.plan()
    assert result.exit_code == 1, result.output
    assert ("on service node sn1: preflight: /install (holding /install) on sn1 has 1.0 GB "
            "free; the plan's 1 mksysb image(s) need about 2.0 GB") in result.output
    assert "chfs -a size=+2G /install" in result.output
    assert ("on service node sn1: preflight: root's file size limit on sn1 is "
            "fsize=2097151") in result.output
    assert "on xcataixmn" not in result.output
    before = seed.lab.execute("sn1", "lsnim -l").stdout
    applied = seed.apply()
    assert applied.exit_code == 1 and "Traceback" not in applied.output
    assert seed.lab.execute("sn1", "lsnim -l").stdout == before


def test_fix_fsize_lifts_sn1s_limit_before_its_nimnodeset_and_converges(
        tmp_path: Path) -> None:
    seed = _scenario(tmp_path)
    aix_default_limits(seed, "sn1")
    seed.write_spec(site={**seed.spec_data.get("site", {}), "preflight": {"fix_fsize": True}})
    planned = seed.plan("--format", "json")
    assert planned.exit_code == 0, planned.output
    actions = json.loads(planned.stdout)["actions"]
    (chuser,) = [a for a in actions if a["kind"] == "chuser"]
    assert chuser["host"] == "sn1"
    (copy,) = [a for a in actions if a["kind"] == "nimnodeset" and "node[03-04]" in a["command"]]
    assert chuser["id"] in copy["depends_on"]
    applied = seed.apply()
    assert applied.exit_code == 0, applied.output
    counts = seed.lab.command_counts()
    assert counts["sn1 chuser fsize=-1 root"] == 1
    assert "xcataixmn chuser fsize=-1 root" not in counts
    assert seed.plan("--detailed-exitcode").exit_code == 0


def test_an_image_sn1_already_holds_is_not_counted_again(tmp_path: Path) -> None:
    """Once 610sysb is on sn1 (the apply copied it), a reinstall of sn1's nodes copies nothing:
    a full /install on sn1 no longer fails the plan."""
    seed = _scenario(tmp_path)
    assert seed.converge().exit_code == 0
    seed.lab.add_fault(Fault(host="sn1", command="df", stdout=SMALL_INSTALL, exit_status=0))
    result = seed.plan("--replace", "lpar.node03")
    assert result.exit_code == 0, result.output
    assert "nimnodeset" in result.output and "on service node sn1" not in result.output


def test_the_preflight_sends_two_commands_to_sn1_whatever_the_plan(tmp_path: Path) -> None:
    """Per service node a fixed few: its `lsnim -l` and /etc/hosts, and the preflight's
    `lsuser -a fsize root` and `df -k`."""
    seed = _scenario(tmp_path)
    assert seed.plan().exit_code == 0
    sent = {k: n for k, n in seed.lab.command_counts().items() if k.startswith("sn1 ")}
    assert sent == {"sn1 lsnim -l": 1, "sn1 cat /etc/hosts": 1, "sn1 lsuser -a fsize root": 1,
                    "sn1 df -k": 1}
