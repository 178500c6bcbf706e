"""Issue 18: a node carrying xclone's mark without `hwtype=lpar` (nor cec, hmc) was listed by
`state list` as `lpar.NAME` but neither removed by destroy nor reported by drift. xCAT shows
`hwtype` only while `mgt` is a hardware method (xCAT 2.9.2 perl-xCAT/xCAT/Schema.pm, the
`hwtype` attributes `only_if => 'mgt=hmc'`, fsp, bpa, ivm, zvm, blade, ipmi), so a node made
without `mgt`, or an LPAR whose `mgt` was cleared by hand, shows none: xclone cannot tell what
it is. It is left alone, and said so: `state list` notes it, `drift` reports it as surprising
(exit 2) with what to do, and neither apply nor destroy plans to remove it."""

from __future__ import annotations

import json

from tests.apply.helpers import Scenario

MARK = "xclone:clustersite"


def _lab(seed: Scenario, *args: str) -> list[str]:
    return [*args[:2], str(seed.spec_file), *args[2:], "--lab", str(seed.lab_file)]


def _untyped(seed: Scenario) -> None:
    """node09: made by hand with the cluster's mark and no `mgt`, so lsdef shows no hwtype."""
    code, _, err = seed.mn(f"mkdef -t node -o node09 groups=lpar,all usercomment={MARK}")
    assert code == 0, err
    code, out, _ = seed.mn("lsdef -t node -o node09 -z")
    assert "usercomment=" in out and "hwtype=" not in out


def test_a_marked_node_without_hwtype_is_listed_as_left_alone(seed: Scenario) -> None:
    _untyped(seed)
    listed = seed.xclone(*_lab(seed, "state", "list"))
    assert listed.exit_code == 0, listed.output
    (line,) = [ln for ln in listed.stdout.splitlines() if ln.startswith("lpar.node09 ")]
    assert line.endswith("(not in the spec; xCAT shows it with no hwtype (its mgt is unset), "
                         "so apply and destroy leave it)")
    rows = json.loads(seed.xclone(*_lab(seed, "state", "list"), "-f", "json").stdout)
    (row,) = [r for r in rows["managed"] if r["address"] == "lpar.node09"]
    assert row["in_spec"] is False and "destroy leave it" in row["note"]


def test_drift_reports_it_as_surprising_and_says_what_to_do(seed: Scenario) -> None:
    assert seed.converge().exit_code == 0
    quiet = seed.xclone(*_lab(seed, "drift"))
    assert quiet.exit_code == 0, quiet.output
    _untyped(seed)
    drifted = seed.xclone(*_lab(seed, "drift"), "-f", "json")
    assert drifted.exit_code == 2, drifted.output
    (finding,) = json.loads(drifted.stdout)["findings"]
    assert finding["address"] == "lpar.node09" and finding["class"] == "surprising"
    assert (finding["spec"], finding["observed"]) == ("absent", "present")
    assert "no hwtype (its mgt is unset)" in finding["why"]
    assert "`chdef node09 mgt=hmc`" in finding["why"] and "`rmdef -t node node09`" in finding["why"]
    targeted = seed.xclone(*_lab(seed, "drift"), "--target", "lpar.node01")
    assert targeted.exit_code == 0 and "node09" not in targeted.output


def test_an_lpar_whose_mgt_was_cleared_is_reported_not_removed(seed: Scenario) -> None:
    """node02 applied, then `chdef node02 mgt=` by hand and dropped from the spec: the plan
    removes no node it cannot tell is an LPAR; drift names it with the evidence."""
    assert seed.converge().exit_code == 0
    code, _, err = seed.mn("chdef -t node -o node02 mgt=")
    assert code == 0, err
    lpars = seed.spec_data["lpars"]
    seed.write_spec(lpars={n: lp for n, lp in lpars.items() if n != "node02"})
    for extra in ((), ("--destroy",)):
        planned = seed.plan("--format", "json", *extra)
        assert planned.exit_code == 0, planned.output
        changes = {c["address"] for c in json.loads(planned.stdout)["resource_changes"]}
        assert "lpar.node02" not in changes
    drifted = seed.xclone(*_lab(seed, "drift"))
    assert drifted.exit_code == 2
    assert "lpar.node02" in drifted.stdout and "no hwtype" in drifted.stdout
