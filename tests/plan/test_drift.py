"""Drift sorting (plan/drift.py) on planner inputs made in code: the xCAT driver's table makes
an install in progress expected drift; a driver without a table (no `expected_drift`) falls
back to calling every difference surprising, and the report says so. The NIM `Cstate` text of
a running install is docs/formats.md "NIM" (Progress during `bos_inst`)."""

from __future__ import annotations

from tests.plan.builders import MARK, converged_lab, seed_spec, with_objects
from xclone.drivers import registry
from xclone.observed.model import NimObject, Observed, XcatObject
from xclone.plan.drift import EXPECTED, SURPRISING, classifier, drift
from xclone.plan.planner import make_plan
from xclone.render.drift import render_text
from xclone.spec.model import Spec

INSTALLING = "Base Operating System installation is being performed"


def _installing(spec: Spec) -> Observed:
    """node01 as nimnodeset and rnetboot leave it while NIM installs it."""
    observed = converged_lab(spec)
    node = observed.xcat["node"]["node01"]
    attrs = {**node.attrs, "status": "installing"}
    return with_objects(observed, [XcatObject("node", "node01", attrs)], [
        NimObject("node01", "machines", "standalone", {"Cstate": INSTALLING, "comments": MARK})])


def test_an_install_in_progress_is_expected_with_the_xcat_table() -> None:
    spec = seed_spec()
    plan = make_plan(spec, _installing(spec), "sha256:obs")
    report = drift(plan, spec, classifier(registry.driver("xcat")))
    (finding,) = report.findings
    assert (finding.address, finding.kind, finding.attribute, finding.observed) == \
        ("lpar.node01", EXPECTED, "state", "installing")
    assert report.exit_code == 0


def test_a_driver_without_a_table_calls_every_difference_surprising() -> None:
    spec = seed_spec()
    plan = make_plan(spec, _installing(spec), "sha256:obs")
    assert classifier(object()) is None
    report = drift(plan, spec, classifier(object()))
    assert [f.kind for f in report.findings] == [SURPRISING]
    assert report.exit_code == 2
    assert "The xcat driver has no table of expected drift" in render_text(report)


def test_no_drift_on_a_converged_cluster() -> None:
    spec = seed_spec()
    report = drift(make_plan(spec, converged_lab(spec), "sha256:obs"), spec,
                   classifier(registry.driver("xcat")))
    assert report.findings == () and report.exit_code == 0
