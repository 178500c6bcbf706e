"""Every `xclone ...` command the README and the guides show names a real command and real options.

A reader copies commands from prose as much as from shell blocks, so this reads both: each
inline code span and each line starting with `xclone ` of an sh, bash or text block, in
README.md and every page of docs/ (the generated commands.md holds the help texts' own
examples). The words are resolved through the real command group (subcommands, then options);
placeholders such as SPEC or ADDR are arguments and are not checked, an option the command does
not have is. The shell blocks of the README and the guides also run for real
(tests/docs/test_shell_blocks.py); this test covers the rest, fast.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from xclone.cli.commands import ALL
from xclone.cli.main import cli, hoist_global_options

ROOT = Path(__file__).resolve().parents[2]
PAGES = ("README.md", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "docs").glob("*.md")))
_SPAN = re.compile(r"`(xclone [^`]+)`")
_FENCE = re.compile(r"^\s*```(?P<lang>[\w-]*)\s*$")
_END = re.compile(r"\s(?:>|<|#|\||&&|;)\s?")


def _commands(text: str) -> list[str]:
    """The `xclone ...` commands of one page: inline spans (joined across line breaks) and
    shell-block lines, each cut at a redirection, pipe or comment."""
    flat = re.sub(r"\s*\n\s*", " ", text)
    found = list(_SPAN.findall(flat))
    lang: str | None = None  # inside a fenced block: its language
    for line in text.splitlines():
        fence = _FENCE.match(line)
        if fence is not None:
            lang = fence["lang"] if lang is None else None
        elif lang in ("sh", "bash", "text") and line.strip().startswith("xclone "):
            found.append(line.strip())
    return [_END.split(c)[0] for c in found]


def _options(command: click.Command) -> dict[str, click.Parameter]:
    return {name: param for param in command.params if isinstance(param, click.Option)
            for name in (*param.opts, *param.secondary_opts)}


def _problems(group: click.Group, words: list[str]) -> list[str]:
    """What is wrong with one command line: an unknown subcommand or an unknown option."""
    command: click.Command = group
    options = _options(group)
    args = iter(hoist_global_options(words))
    problems: list[str] = []
    for word in args:
        if word == "--":
            break
        if word.startswith("-") and word != "-":
            name = word.split("=", 1)[0]
            param = options.get(name) or (options.get("-v") if re.fullmatch(r"-v+", name) else None)
            if param is None and name != "--help":
                problems.append(f"no option {name} on `{command.name}`")
            elif isinstance(param, click.Option) and not param.is_flag and "=" not in word:
                next(args, None)
            continue
        if isinstance(command, click.Group) and re.fullmatch(r"[a-z][a-z-]*", word):
            sub = command.get_command(click.Context(command), word)
            if sub is None:
                problems.append(f"no command `{word}` under `{command.name}`")
                break
            command = sub
            options |= _options(command)
            if command.name == "run" and not isinstance(command, click.Group):
                break
    return problems


@pytest.fixture(scope="module")
def xclone_cli() -> click.Group:
    for command in ALL:
        cli.add_command(command)
    return cli


def test_a_wrong_option_and_a_wrong_command_are_found(xclone_cli: click.Group) -> None:
    assert _problems(xclone_cli, ["plan", "S", "--lab", "L", "-o", "F"]) == []
    assert _problems(xclone_cli, ["plan", "S", "--labs", "L"]) == ["no option --labs on `plan`"]
    assert _problems(xclone_cli, ["runs", "lisst"]) == ["no command `lisst` under `runs`"]
    assert _problems(xclone_cli, ["lab", "run", "L", "--host", "h", "--", "lsdef", "-z"]) == []
    assert _commands("Run `xclone plan\n  SPEC --lab X` or\n```sh\nxclone show p > f\n```\n") \
        == ["xclone plan SPEC --lab X", "xclone show p"]


@pytest.mark.parametrize("page", PAGES)
def test_every_command_a_page_shows_exists(xclone_cli: click.Group, page: str) -> None:
    problems = []
    for line in _commands((ROOT / page).read_text(encoding="utf-8")):
        try:
            words = shlex.split(line)[1:]
        except ValueError:
            continue
        problems += [f"{page}: `{line}`: {p}" for p in _problems(xclone_cli, words)]
    assert not problems, "\n".join(problems)


def test_the_guides_plan_sample_lines_are_the_real_plans(xclone_cli: click.Group,
                                                          tmp_path: Path) -> None:
    """docs/guide.md section 3 quotes the seed plan's commands; each quoted `[NNN]` line must be
    a line of the plan xclone prints for the seed spec against a fresh seed lab."""
    guide = (ROOT / "docs" / "guide.md").read_text(encoding="utf-8")
    quoted = [ln for block in re.findall(r"```text\n(.*?)```", guide, re.DOTALL)
              for ln in block.splitlines() if re.match(r"\s*\[\d{3}\] ", ln)]
    assert len(quoted) >= 5
    env = {"HMC01_PASSWORD": "abc123", "NO_COLOR": "1", "XCLONE_LAB_STATE": str(tmp_path)}
    examples = ROOT / "specs" / "examples"
    result = CliRunner().invoke(xclone_cli, ["plan", str(examples / "seed-cluster.yaml"),
                                             "--lab", str(examples / "seed-lab.yaml")], env=env)
    assert result.exit_code == 0, result.output
    missing = [ln for ln in quoted if ln not in result.output.splitlines()]
    assert not missing, "docs/guide.md quotes plan lines xclone does not print:\n" + \
        "\n".join(missing)
