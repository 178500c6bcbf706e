"""The docs stay true: generated pages match the CLI and the schema, the runbook mapping names
every action kind the planner emits, and every command the guide shows parses."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest

from tests.plan.builders import converged_lab, empty_lab, seed_spec
from xclone.cli.commands import ALL
from xclone.cli.docs import main as generate
from xclone.cli.docs import pages
from xclone.cli.main import cli
from xclone.drivers.xcat.kinds import ActionKind
from xclone.plan.context import PlanOptions
from xclone.plan.planner import make_plan

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
RUNBOOK_COMMANDS = ("mkdef", "rscan", "mknimimage", "makeconservercf", "makehosts", "rpower",
                    "getmacs", "chdef", "xcat2nim", "nimnodeset", "rnetboot", "xcat2nim -t node -r",
                    "rmnimimage", "rmdef")


@pytest.fixture(scope="module")
def xclone_cli() -> click.Group:
    for command in ALL:
        cli.add_command(command)
    return cli


@pytest.mark.parametrize("page", sorted(str(p) for p in pages()))
def test_generated_page_is_up_to_date(page: str) -> None:
    committed = (ROOT / page).read_text(encoding="utf-8")
    assert committed == pages()[Path(page)], (
        f"{page} is out of date: run `python -m xclone.cli.docs` and commit the result")


def test_generator_check_mode_reports_drift(tmp_path: Path) -> None:
    assert generate(["--root", str(tmp_path)]) == 0
    assert (tmp_path / "docs" / "commands.md").exists()
    assert generate(["--check", "--root", str(tmp_path)]) == 0
    (tmp_path / "docs" / "spec-reference.md").write_text("stale\n", encoding="utf-8")
    assert generate(["--check", "--root", str(tmp_path)]) == 1


def test_command_reference_covers_every_command(xclone_cli: click.Group) -> None:
    text = (DOCS / "commands.md").read_text(encoding="utf-8")
    for name in xclone_cli.commands:
        assert f"\n## xclone {name}\n" in text


def _emitted_kinds() -> set[str]:
    """Every action kind of the closed set, plus those a real create and a real destroy of the
    seed scenario produce (they must be members of it)."""
    kinds = {kind.value for kind in ActionKind}
    spec = seed_spec()
    for plan in (make_plan(spec, empty_lab(), "x"),
                 make_plan(spec, converged_lab(spec), "x", PlanOptions(destroy=True))):
        kinds |= {a.kind.value for a in plan.actions}
    return kinds


def test_runbook_mapping_names_every_action_kind_and_runbook_command() -> None:
    text = (DOCS / "runbook-mapping.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"\| `([a-z0-9-]+)`(?: then `([a-z0-9-]+)`)? \|", text))
    named = {k for pair in listed for k in pair if k}
    missing = _emitted_kinds() - named
    assert not missing, f"add these action kinds to docs/runbook-mapping.md: {sorted(missing)}"
    for command in RUNBOOK_COMMANDS:
        assert f"`{command}" in text, command


def _guide_commands() -> list[list[str]]:
    text = (DOCS / "guide.md").read_text(encoding="utf-8")
    calls = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.DOTALL):
        for line in block.splitlines():
            if line.startswith("xclone "):
                command = re.split(r"\s(?:>|#|\|)\s?", line)[0]
                calls.append(shlex.split(command)[1:])
    return calls


def test_every_guide_command_parses(xclone_cli: click.Group, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    calls = _guide_commands()
    assert len(calls) >= 15
    used = {words[0] for words in calls}
    assert {"lab", "validate", "plan", "apply", "diff", "destroy", "import",
            "completion"} <= used
    for words in calls:
        local = [w.lstrip("/") for w in words]
        for word in local:
            if not word.startswith("-") and ("/" in word or word.endswith((".yaml", ".plan"))):
                (tmp_path / word).parent.mkdir(parents=True, exist_ok=True)
                (tmp_path / word).touch()
        command: click.Command | None = xclone_cli
        args = local
        while isinstance(command, click.Group) and args and not args[0].startswith("-"):
            command, args = command.get_command(click.Context(command), args[0]), args[1:]
            assert command is not None, words
        assert command is not None
        command.make_context(command.name or "", list(args))
