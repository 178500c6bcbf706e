"""xCAT's site `maxssh` in the benchmark (issue 16): the xclone spec raises it to 16, the runbook
typed from the document keeps xCAT's default of 8, and the model fans `rnetboot` out by the
spec's value. Source: xCAT 2.9.2 perl-xCAT/xCAT/Schema.pm (site `maxssh`: the most SSH
connections at once to one hardware control point, default 8; it governs getmacs and rnetboot,
not rpower) and xCAT-server/lib/perl/xCAT/PPC.pm line 304 (halved for getmacs -D and rnetboot).
Counts and lab-clock model figures only, never this machine's seconds."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import scenario, suite
from benchmarks.model import command_seconds
from benchmarks.worker import cluster_of, observe_and_plan, open_lab
from xclone.sim import choices
from xclone.sim.costs import REALISTIC

N = 10  # one HMC


def _rnetboot_rounds(tmp_path: Path, maxssh: int | None) -> tuple[float, str]:
    built, spec, transport, _ = open_lab({"n": N, "latency": 0, "scale": 0,
                                          "workdir": str(tmp_path), "maxssh": maxssh})
    plan = observe_and_plan(spec, transport)
    rnetboot = next(a for a in plan.actions if a.kind.value == "rnetboot")
    seconds = command_seconds(rnetboot, cluster_of(spec, REALISTIC)) \
        - choices.COST_LATENCY["rnetboot"]
    site = next(a for a in plan.actions if a.kind.value == "chdef-site")
    return seconds / choices.RNETBOOT_SECONDS, " ".join(site.command().argv)


def test_the_spec_maxssh_fans_rnetboot_out_wider(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Ten LPARs on one HMC: three rounds of four rnetboot processes at xCAT's default, two
    rounds of eight with maxssh 16; the plan sets it on the site before any LPAR is booted."""
    for name in scenario.build(N, tmp_path / "env", latency=0, scale=0).env:
        monkeypatch.setenv(name, scenario.PASSWORD)
    default, site_default = _rnetboot_rounds(tmp_path / "default", None)
    raised, site_raised = _rnetboot_rounds(tmp_path / "raised", 16)
    assert round(default) == 3 and round(raised) == 2  # plus the 0.1 s forks
    assert "maxssh=16" in site_raised and "maxssh" not in site_default


def test_only_the_runbooks_keep_xcats_default() -> None:
    """The runbooks are typed from the seed document, which never sets maxssh."""
    assert suite.Settings().maxssh == suite.XCAT_MAXSSH == 16
    assert set(suite.RUNBOOKS) == {"runbook-noderanges", "runbook-node"}
    assert set(suite.RUNBOOKS) < set(suite.MODES)
