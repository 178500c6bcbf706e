"""`xclone destroy` after the seed apply leaves the lab as `xclone lab reset` made it, except
what the spec does not own, and says what it left (issue 10 §6).

`makehosts -d` and `makeconservercf -d` (xCAT 2.9.2 makehosts.8.pod, makeconservercf.8.pod) take
the node's /etc/hosts line and console; both read the node definition (hosts.pm
`add_hosts_content`, conserver.pm `donodeent` only deletes nodes whose `cons` it reads), so they
run before `rmdef`.
"""

from __future__ import annotations

from pathlib import Path

from tests.apply.helpers import Scenario

LISTINGS = ("lsdef -t node -l", "lsdef -t group -l", "lsdef -t network -l",
            "lsdef -t osimage -l", "lsnim -l", "cat /etc/hosts", "lsdef -t site -l")
SCRIPT = ("xcataixscript:\n   class       = resources\n   type        = script\n")


def listings(lab: Scenario) -> dict[str, str]:
    return {command: lab.mn(command)[1] for command in LISTINGS}


def test_destroy_after_apply_leaves_the_reset_lab_but_what_the_spec_does_not_own(
        tmp_path: Path) -> None:
    lab = Scenario(tmp_path)
    reset = lab.xclone("lab", "reset", str(lab.lab_file))
    assert reset.exit_code == 0, reset.output
    before = listings(lab)
    assert lab.apply().exit_code == 0
    assert "console node01 {" in lab.mn("cat /etc/conserver.cf")[1]
    result = lab.xclone("destroy", str(lab.spec_file), "--lab", str(lab.lab_file),
                        "--auto-approve")
    assert result.exit_code == 0, result.output
    assert "makehosts -d 'node[01-02]'  (after 001)" in result.output
    assert "makeconservercf -d 'node[01-02]'  (after 001)" in result.output
    assert "(7 resources)" in result.output
    assert "! removes its /etc/hosts line and its console" in result.output
    assert "! its partition stays on the HMC as it is" in result.output
    assert "! keeps site attributes ppctimeout=180: cluster-wide settings" in result.output
    assert "! keeps NIM script xcataixscript: xCAT's nimnodeset" in result.output
    after = listings(lab)
    site = after.pop("lsdef -t site -l")
    assert site == before.pop("lsdef -t site -l").replace("ppctimeout=0", "ppctimeout=180")
    nim = after.pop("lsnim -l")
    assert SCRIPT in nim
    assert nim[:nim.index("xcataixscript:")] == before.pop("lsnim -l")
    assert after == before
    conserver = lab.mn("cat /etc/conserver.cf")[1]
    assert "CONS" not in conserver and "access * {" in conserver  # xCAT's headers only
