"""The drift report as text (a terminal, a CI log) and as JSON (`-f json`, for scripts; its
published shape is schemas/drift.schema.json)."""

from __future__ import annotations

import json

from xclone.plan.drift import EXPECTED, IGNORED, SURPRISING, DriftReport, Finding

_HEADINGS = (
    (SURPRISING, "Surprising drift (changed outside xclone; `xclone apply` would put it back):"),
    (EXPECTED, "Expected drift (what the platform's tools change by themselves):"),
)


def _value(text: str | None) -> str:
    return "(none)" if text is None else json.dumps(text)


def _line(finding: Finding) -> str:
    if finding.attribute is None:
        if finding.spec is None:
            return f"  {finding.address}: {finding.why}"
        return (f"  {finding.address}: spec {finding.spec}, observed {finding.observed}: "
                f"{finding.why}")
    return (f"  {finding.address} {finding.attribute}: spec {_value(finding.spec)}, "
            f"observed {_value(finding.observed)}"
            + (f" ({finding.why})" if finding.kind == EXPECTED else ""))


def render_text(report: DriftReport) -> str:
    surprising, expected, ignored = (len(report.of(k)) for k in (SURPRISING, EXPECTED, IGNORED))
    if not report.findings:
        return (f"No drift: every object xclone manages on cluster {report.cluster} matches "
                "the spec.\n")
    lines: list[str] = []
    for kind, heading in _HEADINGS:
        found = report.of(kind)
        if found:
            lines += [heading, *(_line(f) for f in found), ""]
    if ignored:
        names = sorted({f"{f.address} {f.attribute}" for f in report.of(IGNORED)})
        lines += [f"Ignored (ignore_changes): {', '.join(names)}", ""]
    if not report.has_table:
        lines += [f"The {report.driver} driver has no table of expected drift: every "
                  "difference is shown as surprising.", ""]
    lines.append(f"Drift: {surprising} surprising, {expected} expected, {ignored} ignored.")
    if surprising:
        lines.append("Review with `xclone plan SPEC`; accept a hand change by writing it into "
                     "the spec, or silence an attribute with `ignore_changes: [NAME]`.")
    return "\n".join(lines) + "\n"


def render_json(report: DriftReport) -> str:
    return json.dumps(report.to_json(), indent=2) + "\n"
