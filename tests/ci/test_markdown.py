"""The markdown plan renders in a real Markdown library: a table with the destructive change
first and flagged, the commands in a <details> block, digests, and the snapshot warning."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import markdown

from tests.plan.builders import converged_lab, empty_lab, running, seed_spec
from xclone.base.address import Address
from xclone.observed.model import Observed
from xclone.plan.changes import ChangeKind, ResourceChange
from xclone.plan.context import PlanOptions
from xclone.plan.document import Plan
from xclone.plan.planner import make_plan
from xclone.render.markdown import MAX_ROWS, render_markdown


class _Tables(HTMLParser):
    """The rows of every table, as lists of cell texts, and the <details> summary."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.summary = ""
        self.pre = ""
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in.append(tag)
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.rows[-1].append("")

    def handle_endtag(self, tag: str) -> None:
        while self._in and self._in.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        if "td" in self._in or "th" in self._in:
            self.rows[-1][-1] += data
        elif "summary" in self._in:
            self.summary += data
        elif "pre" in self._in:
            self.pre += data


def _parse(text: str) -> tuple[str, _Tables]:
    page = markdown.markdown(text, extensions=["tables"])
    parser = _Tables()
    parser.feed(page)
    return page, parser


def test_first_install_with_a_reinstall_renders_table_and_details() -> None:
    spec = seed_spec()
    lab = _without_node02(running(converged_lab(spec), "node01"))
    plan = make_plan(spec, lab, "sha256:feed", PlanOptions(replace=frozenset({"lpar.node01"})))
    page, parsed = _parse(render_markdown(plan))
    assert "<table>" in page
    header, *rows = parsed.rows
    assert header == ["", "Resource", "Change", "Details"]
    assert rows[0][1] == "lpar.node01"
    assert rows[0][0] == "⚠️" and "destructive" in rows[0][2]
    assert all(row[0] == "" for row in rows[1:])
    assert rows[-1][:3] == ["", "lpar.node02", "➕ create"]
    assert re.search(r"<details><summary>Commands \(\d+, 1 destructive marked !\)", page)
    assert "</details>" in page
    assert re.search(r"^!\[\d+\] xcataixmn: LC_ALL=C rnetboot ", parsed.pre, re.MULTILINE)
    assert f"spec digest <code>{plan.spec_digest}</code>" in page
    assert "observed digest <code>sha256:feed</code>" in page
    assert "Planned from" not in page


def test_snapshot_plan_says_so_and_escapes_html() -> None:
    spec = seed_spec()
    plan = make_plan(spec, empty_lab(), "sha256:0", source="snapshot ci/<snap>")
    page, parsed = _parse(render_markdown(plan))
    assert "Planned from snapshot ci/&lt;snap&gt;" in page or "ci/<snap>" in page
    assert "not the live cluster" in page
    assert parsed.summary.startswith("Commands (")
    assert "mkdef" in parsed.pre


def test_converged_plan_has_no_table_and_no_details() -> None:
    spec = seed_spec()
    page, parsed = _parse(render_markdown(make_plan(spec, converged_lab(spec), "sha256:1")))
    assert "No changes. The cluster matches the spec." in page
    assert parsed.rows == [] and "<details>" not in page


def test_huge_plans_stay_under_a_comment_size() -> None:
    changes = tuple(ResourceChange(Address("lpar", f"n{i:04d}"), ChangeKind.CREATE,
                                   reason="not defined") for i in range(2000))
    plan = Plan("big", "sha256:s", "sha256:o", changes, ())
    text = render_markdown(plan)
    assert len(text) < 65_536
    assert f"… and {2000 - MAX_ROWS} more resources" in text


def _without_node02(obs: Observed) -> Observed:
    xcat = {**obs.xcat, "node": {k: v for k, v in obs.xcat["node"].items() if k != "node02"}}
    return Observed(xcat, {k: v for k, v in obs.nim.items() if k != "node02"}, obs.systems,
                    obs.partitions)
