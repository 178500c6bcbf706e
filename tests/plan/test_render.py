"""Renderers: the text plan (risk first, masked secrets, no colour codes when piped) and the
action graph in dot and mermaid."""

from __future__ import annotations

import io

from rich.console import Console

from tests.plan.builders import converged_lab, empty_lab, running, seed_spec
from xclone.plan.planner import make_plan
from xclone.render.graph import render_dot, render_mermaid
from xclone.render.text import print_text, render_text


def test_text_plan_lists_destructive_first_and_masks_the_password() -> None:
    plan = make_plan(seed_spec(), running(empty_lab(), "node01"), "d")
    text = render_text(plan).plain
    assert text.index("lpar.node01 will be created") < text.index("hmc.hmc01 will be created")
    assert "[destructive]" in text and "getmacs -D powers off node01" in text
    assert "password=***" in text
    assert text.rstrip().endswith("Plan: 7 to add, 1 to change, 0 to reinstall, 0 to destroy.")


def test_piped_text_has_no_colour_codes() -> None:
    out = io.StringIO()
    print_text(make_plan(seed_spec(), empty_lab(), "d"), Console(file=out))
    assert "\x1b[" not in out.getvalue()
    assert "Plan: 7 to add" in out.getvalue()


def test_empty_plan_says_so() -> None:
    spec = seed_spec()
    assert "No changes." in render_text(make_plan(spec, converged_lab(spec), "d")).plain


def test_graphs_draw_every_action_and_dependency() -> None:
    plan = make_plan(seed_spec(), empty_lab(), "d")
    dot, mermaid = render_dot(plan), render_mermaid(plan)
    edges = sum(len(a.depends_on) for a in plan.actions)
    assert dot.count(" -> ") == edges and mermaid.count(" --> ") == edges
    assert all(f'"a{a.id}"' in dot and f"a{a.id}[" in mermaid for a in plan.actions)
    assert dot.startswith("digraph xclone {") and mermaid.startswith("flowchart TD")
