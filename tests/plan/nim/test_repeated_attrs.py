"""A machine holding several resources of one kind: `lsnim -l` prints `script = NAME` once per
allocated script (IBM AIX "Using a script resource": several script resources can be allocated
to one client; "lsnim Command": allocated resources are listed as TYPE = NAME), and the parser
keeps every line (NimObject.values), so the planner sees each one, not only the last printed."""

from __future__ import annotations

from pathlib import Path

from tests.apply.helpers import Scenario
from tests.plan.nim.helpers import apply, ok


def test_every_script_allocated_by_hand_is_drift(nim: Scenario) -> None:
    """Two scripts allocated by hand to the installed node01: drift names both (before, only the
    last `script` line was read and `foo` was lost)."""
    apply(nim)
    ok(nim, "nim -o allocate -a script=foo node01")
    ok(nim, "nim -o allocate -a script=bar node01")
    listing = ok(nim, "lsnim -l node01")
    assert [line.split("=")[1].strip() for line in listing.splitlines()
            if line.split("=")[0].strip() == "script"] == ["foo", "bar"]
    result = nim.xclone("drift", str(nim.spec_file), "--lab", str(nim.lab_file))
    assert result.exit_code == 2, result.output
    assert 'lpar.node01 script: spec (none), observed "foo"' in result.output
    assert 'lpar.node01 script: spec (none), observed "bar"' in result.output


def test_under_xcat_drift_names_every_script_left_on_an_installed_node(tmp_path: Path) -> None:
    """The xCAT driver's guard (lpar_guard.leftover) on the seed lab: NIM deallocates an
    install's resources when it completes, so two scripts on the ready node01 were allocated by
    hand, and drift shows both (before: only `foo`, the last line printed)."""
    seed = Scenario(tmp_path)
    assert seed.converge().exit_code == 0
    for command in ("nim -o define -t script -a server=master -a location=/etc/hosts foo",
                    "nim -o allocate -a script=xcataixscript node01",
                    "nim -o allocate -a script=foo node01"):
        assert seed.mn(command)[0] == 0, command
    result = seed.xclone("drift", str(seed.spec_file), "--lab", str(seed.lab_file))
    assert result.exit_code == 2, result.output
    assert 'lpar.node01 script: spec (none), observed "xcataixscript, foo"' in result.output
