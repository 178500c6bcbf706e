"""Issue 18: the lab's state folder is named in every command's output that uses it. Each
command family run with `--lab LAB` (and `lab run`) says once, on stderr, which folder the world
lives in, and whether it seeded the world just now (first use, or the lab file changed: the old
world is thrown away, docs/lab.md); stdout stays the plan, the JSON, the command's own output.
`lab show` names it on stdout, first. `--snapshot` and SSH name no lab."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from tests.apply.helpers import Scenario

LINE = "Lab state: "


def _state(seed: Scenario) -> Path:
    return seed.state_root / seed.lab_file.stem


def _named_once(result: Result, seed: Scenario, seeded: str = "") -> None:
    """The line is on stderr exactly once, names the absolute folder, and is not on stdout."""
    lines = [line for line in result.stderr.splitlines() if line.startswith(LINE)]
    assert lines == [f"{LINE}{_state(seed)}{seeded}"], result.stderr
    assert LINE not in result.stdout


def _lab(seed: Scenario) -> tuple[str, str]:
    return ("--lab", str(seed.lab_file))


# Each family: the command's arguments, and what its stdout must still be.
FAMILIES: dict[str, tuple[Callable[[Scenario], tuple[str, ...]], str]] = {
    "plan json": (lambda s: ("plan", str(s.spec_file), *_lab(s), "--format", "json"), "json"),
    "plan text": (lambda s: ("plan", str(s.spec_file), *_lab(s)), "plan"),
    "graph": (lambda s: ("graph", str(s.spec_file), *_lab(s)), "digraph"),
    "drift json": (lambda s: ("drift", str(s.spec_file), *_lab(s), "-f", "json"), "json"),
    "state list json": (lambda s: ("state", "list", str(s.spec_file), *_lab(s), "-f", "json"),
                        "json"),
    "state show": (lambda s: ("state", "show", str(s.spec_file), "hmc.hmc01", *_lab(s)), "error"),
    "observe": (lambda s: ("observe", str(s.spec_file), *_lab(s)), "Observed"),
    "import": (lambda s: ("import", str(s.spec_file), "lpar.node01", *_lab(s),
                          "--auto-approve"), "Nothing to adopt"),
    "force-unlock": (lambda s: ("force-unlock", str(s.spec_file), "0123456789ab", *_lab(s)),
                     "error"),
    "lab run": (lambda s: ("lab", "run", str(s.lab_file), "--host", s.master, "--", "lsdef",
                           "-t", "site", "-l"), "Object name: clustersite"),
}


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_every_lab_command_names_the_state_folder_on_stderr(seed: Scenario,
                                                            family: str) -> None:
    args, stdout = FAMILIES[family]
    result = seed.xclone(*args(seed))
    _named_once(result, seed)
    if stdout == "json":
        assert result.exit_code in (0, 2), result.output
        assert isinstance(json.loads(result.stdout), dict)
    elif stdout == "plan":
        assert result.stdout.startswith("xclone will perform the following actions")
    elif stdout == "error":
        assert result.exit_code == 1 and "Error: " in result.stderr
    else:
        assert stdout in result.stdout, result.output


def test_the_line_says_when_the_command_seeded_the_world(seed: Scenario, tmp_path: Path) -> None:
    """First use seeds the world, an edited lab file reseeds it (the world starts over): both
    said in the parenthesis; a world already seeded from the same text is used silently."""
    seed.state_root = tmp_path / "fresh"
    seed.env["XCLONE_LAB_STATE"] = str(seed.state_root)
    _named_once(seed.plan(), seed, " (seeded now: first use)")
    _named_once(seed.plan(), seed)
    seed.lab_file.write_text(seed.lab_file.read_text(encoding="utf-8") + "# edited\n",
                             encoding="utf-8")
    changed = seed.plan("--format", "json")
    _named_once(changed, seed, " (seeded now: the lab file changed)")
    assert json.loads(changed.stdout)["cluster"] == "clustersite"


def test_apply_and_destroy_name_it_once_though_they_open_the_lab_twice(seed: Scenario) -> None:
    """apply reads the lab's clock before it connects: the folder is still named once."""
    applied = seed.apply()
    assert applied.exit_code == 0, applied.output
    _named_once(applied, seed)
    destroyed = seed.xclone("destroy", str(seed.spec_file), *_lab(seed), "--auto-approve")
    assert destroyed.exit_code == 0, destroyed.output
    _named_once(destroyed, seed)


def test_a_saved_lab_plan_names_the_folder_when_applied(seed: Scenario) -> None:
    planfile = seed.dir / "reviewed.plan"
    planned = seed.plan("-o", str(planfile))
    assert planned.exit_code == 0, planned.output
    applied = seed.xclone("apply", str(planfile))
    assert applied.exit_code == 0, applied.output
    _named_once(applied, seed)


def test_lab_show_names_it_first_on_stdout(seed: Scenario) -> None:
    shown = seed.xclone("lab", "show", str(seed.lab_file))
    assert shown.exit_code == 0, shown.output
    assert shown.stdout.startswith(f"State: {_state(seed)}\n")
    assert LINE not in shown.output


def test_a_snapshot_names_no_lab(seed: Scenario) -> None:
    saved = seed.xclone("observe", str(seed.spec_file), *_lab(seed), "--save",
                        str(seed.dir / "snap"))
    assert saved.exit_code == 0, saved.output
    replayed = seed.xclone("plan", str(seed.spec_file), "--snapshot", str(seed.dir / "snap"))
    assert replayed.exit_code == 0, replayed.output
    assert LINE not in replayed.output
