"""Fixture-driven planner cases, pyinfra style: one YAML file per case under
tests/plan/fixtures/<resource>/<case>.yaml holds a spec fragment, the name of an observed world
(a snapshot as `xclone observe --save` writes it, under fixtures/worlds/<name>/) and the
expected resource changes and actions. test_fixtures.py plans each case through the real CLI.

    python -m tests.plan.fixture_cases            # rewrite every case's expected side
    python -m tests.plan.fixture_cases lpar/update
    python -m tests.plan.fixture_cases --worlds   # re-record the worlds from the lab first

Regenerating rewrites only `changes` and `actions`; review the diff against the runbook before
committing it."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner

from xclone.cli.main import _register, cli

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
WORLDS = FIXTURES / "worlds"
SEED_SPEC = ROOT / "specs" / "examples" / "seed-cluster.yaml"
SEED_LAB = ROOT / "specs" / "examples" / "seed-lab.yaml"
ENV = {"HMC01_PASSWORD": "abc123", "NO_COLOR": "1"}
EXPECTED = ("changes", "actions")


def case_files() -> list[Path]:
    return sorted(p for p in FIXTURES.glob("*/*.yaml") if p.parent.name != "worlds")


def case_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


def load_case(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def spec_for(case: dict[str, Any]) -> dict[str, Any]:
    """The seed spec with each top-level key the case gives replaced by the case's value."""
    spec: dict[str, Any] = yaml.safe_load(SEED_SPEC.read_text(encoding="utf-8"))
    return {**spec, **case.get("spec", {})}


def _invoke(args: list[str], where: Path, env: dict[str, str]) -> str:
    _register()
    old = os.getcwd()
    os.chdir(where)
    try:
        result = CliRunner().invoke(cli, args, env=env, catch_exceptions=False)
    finally:
        os.chdir(old)
    assert result.exit_code == 0, f"xclone {' '.join(args)} in {where}:\n{result.output}"
    return result.output


def planned(case: dict[str, Any], where: Path) -> dict[str, list[str]]:
    """What the planner makes of the case: each change as `ADDRESS ACTIONS`, each action as
    `HOST: COMMAND` (its stdin below it), `(destructive)` where it is."""
    spec = where / "spec.yaml"
    spec.write_text(yaml.safe_dump(spec_for(case), sort_keys=False), encoding="utf-8")
    args = ["plan", str(spec), "--snapshot", str(WORLDS / case["world"]), "--format", "json"]
    for address in case.get("targets", []):
        args += ["--target", address]
    for address in case.get("replace", []):
        args += ["--replace", address]
    plan = json.loads(_invoke(args, where, ENV))
    changes = [f"{c['address']} {json.dumps(c['change']['actions'])}"
               for c in plan["resource_changes"]]
    actions = []
    for action in plan["actions"]:
        line = f"{action['host']}: {action['command']}"
        if action["destructive"]:
            line += "  (destructive)"
        if action["stdin"]:
            line += "\n" + action["stdin"].strip("\n")
        actions.append(line)
    return {"changes": changes, "actions": actions}


class _Literal(str):
    """A string dumped as a YAML block, so a multi-line action reads as it is."""


class _Dumper(yaml.SafeDumper):
    """SafeDumper writing `_Literal` strings as blocks (a subclass: SafeDumper stays as it is)."""


_Dumper.add_representer(_Literal, lambda d, s: d.represent_scalar(
    "tag:yaml.org,2002:str", s, style="|" if "\n" in s else None))


def _dump(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, width=1_000_000, allow_unicode=True,
                     default_flow_style=None)


def regenerate(path: Path) -> None:
    """Rewrite the expected side of one case from the current planner; the rest is kept."""
    text = path.read_text(encoding="utf-8")
    head = "".join(line for line in text.splitlines(keepends=True) if line.startswith("#"))
    case = {k: v for k, v in load_case(path).items() if k not in EXPECTED}
    with tempfile.TemporaryDirectory() as where:
        got = planned(case, Path(where))
    case.update({k: [_Literal(s) for s in v] for k, v in got.items()})
    path.write_text(head + _dump(case), encoding="utf-8")


# world name -> (the spec applied to the seed lab first, or None for the fresh lab;
#                commands then typed on the management node)
WORLD_RECIPES: dict[str, tuple[dict[str, Any] | None, tuple[str, ...]]] = {
    "fresh": (None, ()),
    "converged": ({}, ()),
    "converged-extras": ({
        "networks": {"net1": {"net": "9.114.113.224", "mask": "255.255.255.224",
                              "gateway": "9.114.113.254"},
                     "net2": {"net": "10.2.0.0", "mask": "255.255.0.0",
                              "gateway": "10.2.255.254"}},
        "groups": {"aixnodes": {"postscripts": ["setupntp", "confignimsh"]},
                   "spare": {"postscripts": ["setupntp"]}},
    }, ()),
    "edited-by-hand": ({}, (
        "chdef node01 postscripts=foo",
        "chdef -t group -o aixnodes postscripts=setupntp",
        "chdef -t network -o net1 gateway=9.114.113.253",
        "chdef -t site -o clustersite ppctimeout=60",
        "chdef -t node -o hmc01 username=someone",
        "chdef -t node -o Server-9117-MMA-SN10F6F3D mtm=9118-575",
    )),
}


def record_world(name: str) -> None:
    """Build one world in the seed lab and save its snapshot with `xclone observe --save`."""
    from xclone.sim import Lab

    base, typed = WORLD_RECIPES[name]
    with tempfile.TemporaryDirectory() as tmp:
        where = Path(tmp)
        lab_data = yaml.safe_load(SEED_LAB.read_text(encoding="utf-8"))
        lab_data["clock"] = {"instant": True}
        lab_file = where / "lab.yaml"
        lab_file.write_text(yaml.safe_dump(lab_data, sort_keys=False), encoding="utf-8")
        env = {**ENV, "XCLONE_LAB_STATE": str(where / "state")}
        spec = where / "spec.yaml"
        spec.write_text(yaml.safe_dump(spec_for({"spec": base or {}}), sort_keys=False), "utf-8")
        if base is not None:
            _invoke(["apply", str(spec), "--lab", str(lab_file), "--auto-approve"], where, env)
        lab = Lab.for_file(lab_file, where / "state")
        for command in typed:
            assert lab.execute("xcataixmn", command).exit_status == 0, command
        out = WORLDS / name
        _invoke(["observe", str(spec), "--lab", str(lab_file), "--save", str(out)], where, env)


def main(args: list[str]) -> int:
    if args[:1] == ["--worlds"]:
        for name in WORLD_RECIPES:
            record_world(name)
        args = args[1:]
    chosen = [p for p in case_files() if not args or case_id(p) in args]
    for path in chosen:
        regenerate(path)
        print(f"{case_id(path)}: regenerated")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
