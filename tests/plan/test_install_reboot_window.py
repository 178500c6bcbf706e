"""An xCAT LPAR observed after NIM's BOS install ended and before its first boot reported back.

NIM says the install ended well (`Cstate = ready for a NIM operation`, `Cstate_result =
success`) when the restore and customization are done; the LPAR then reboots from its new disk
and xcataixpost sets `installstatus booted` only at the end of that boot's postscripts (xCAT
2.9.2 xCAT/postscripts/xcataixpost). Until then xCAT still shows the `installing` rnetboot set.
A plan made in that window (an apply killed during the installs and resumed: the flaky
tests/apply/test_service_nodes.py killed-then-resumed case under load) waits for the install;
it used to refuse the LPAR as a disagreement between xCAT and NIM."""

from __future__ import annotations

import json
from pathlib import Path

from tests.apply.helpers import Scenario


def _installed_then_back_in_the_window(tmp_path: Path, status: str,
                                       provmethod: str = "610sysb") -> Scenario:
    seed = Scenario(tmp_path)
    assert seed.apply().exit_code == 0
    changed = seed.mn(f"chdef -t node -o node01 status={status} provmethod={provmethod}")
    assert changed[0] == 0, changed
    return seed


def test_an_install_nim_finished_and_xcat_still_installing_is_waited_for(tmp_path: Path) -> None:
    seed = _installed_then_back_in_the_window(tmp_path, "installing")
    planned = seed.plan("--format", "json", "--detailed-exitcode")
    assert planned.exit_code == 2, planned.output
    actions = json.loads(planned.stdout)["actions"]
    assert [(a["kind"], a["nodes"]) for a in actions] == [("wait-install", ["node01"])], actions


def test_the_same_views_for_another_osimage_are_still_refused(tmp_path: Path) -> None:
    """xCAT installing another image than the one NIM finished is a real disagreement."""
    seed = _installed_then_back_in_the_window(tmp_path, "installing", provmethod="other")
    planned = seed.plan()
    assert planned.exit_code == 1
    assert "xclone does not reinstall an installed LPAR on such a disagreement" in planned.output


def test_a_lost_booted_status_is_still_refused(tmp_path: Path) -> None:
    """xCAT's status gone back to `defined` is not an install under way: refused as before."""
    seed = _installed_then_back_in_the_window(tmp_path, "defined")
    planned = seed.plan()
    assert planned.exit_code == 1
    assert "NIM (`lsnim -l`) shows node01 installed" in planned.output
