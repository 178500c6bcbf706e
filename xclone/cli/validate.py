"""`xclone validate`: check spec files offline, as CI does on every pull request.

Nothing is contacted: the spec is loaded, resolved and checked, and every problem is listed with
its file, line and column, so one run shows a reviewer everything to fix.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import click

from xclone.base.diagnostics import Diagnostic
from xclone.base.errors import XcloneError
from xclone.base.yamlmarks import top_level_keys
from xclone.sim.labfile import parse as parse_lab
from xclone.spec import Spec, load_spec
from xclone.spec.load import SpecError
from xclone.spec.sources import read_text


@dataclass(frozen=True)
class Outcome:
    path: str
    spec: Spec | None
    diagnostics: tuple[Diagnostic, ...]
    lab_summary: str = ""
    errors: int = 0

    @property
    def valid(self) -> bool:
        return self.spec is not None or bool(self.lab_summary)


def counts(spec: Spec) -> dict[str, int]:
    """How many of each resource type the spec declares, in address-type names."""
    return {
        "hmc": len(spec.hmcs),
        "cec": len(spec.cecs()),
        "network": len(spec.networks),
        "osimage": len(spec.osimages),
        "group": len(spec.groups),
        "lpar": len(spec.lpars),
    }


def summary(spec: Spec) -> str:
    return ", ".join(f"{n} {kind}{'' if n == 1 else 's'}" for kind, n in counts(spec).items())


def _lab_text(path: Path) -> str | None:
    """The text of a lab file (the simulator's world, `clock:` and no `cluster:`), else None:
    lab files sit beside specs in specs/examples, and `validate specs/examples/*.yaml` checks
    each as what it is. Only the top-level keys are read, so a hostile file (nested 100,000
    deep, an alias bomb) gets its one clear error from the loader that checks it."""
    if not path.is_file() or path.suffix not in (".yaml", ".yml"):
        return None
    try:
        text = read_text(path)
    except XcloneError:
        return None
    keys = top_level_keys(text)
    return text if "clock" in keys and "cluster" not in keys else None


def _check(path: Path) -> Outcome:
    lab_text = _lab_text(path)
    try:
        if lab_text is not None:
            lab = parse_lab(lab_text, str(path))
            lpars = sum(len(s.lpars) for h in lab.hmcs for s in h.systems)
            return Outcome(str(path), None, (),
                           f"lab file: {len(lab.hmcs)} hmc(s), {lpars} lpar(s)")
        return Outcome(str(path), load_spec(path), ())
    except XcloneError as exc:
        found = exc.diagnostics or (Diagnostic(exc.message),)
        if isinstance(exc, SpecError):
            return Outcome(str(path), None, found, errors=exc.count)
        return Outcome(str(path), None, tuple(sorted(found, key=Diagnostic.sort_key)),
                       errors=len(found))


def _json(outcomes: list[Outcome]) -> str:
    document = {
        "valid": all(o.valid for o in outcomes),
        "diagnostics": [d.to_json() for o in outcomes for d in o.diagnostics],
        "specs": [
            {"path": o.path, "valid": o.valid, "kind": "lab" if o.lab_summary else "spec",
             "counts": counts(o.spec) if o.spec is not None else None, "errors": o.errors}
            for o in outcomes
        ],
    }
    return json.dumps(document, indent=2)


@click.command("validate")
@click.argument("specs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text for people, json for tools (a diagnostics list).")
def validate(specs: tuple[Path, ...], output_format: str) -> None:
    """Check SPEC files or directories offline; exit 1 listing every error.

    Each SPEC is a YAML file or a directory of *.yaml files merged into one spec.
    """
    outcomes = [_check(path) for path in specs]
    if output_format == "json":
        click.echo(_json(outcomes))
    else:
        for outcome in outcomes:
            if outcome.spec is not None:
                click.echo(f"{outcome.path}: valid: {summary(outcome.spec)}")
                continue
            if outcome.lab_summary:
                click.echo(f"{outcome.path}: valid {outcome.lab_summary}")
                continue
            # The loader sorts by place and caps each rule's repeats with a "... and N more".
            for diagnostic in outcome.diagnostics:
                click.echo(diagnostic.format(), err=True)
            count = outcome.errors
            click.echo(f"{outcome.path}: invalid: {count:,} error{'' if count == 1 else 's'}",
                       err=True)
    if not all(o.valid for o in outcomes):
        raise SystemExit(1)
