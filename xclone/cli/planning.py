"""Shared by plan, graph, apply and destroy: load the spec, observe, plan; plan files."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from xclone.base.errors import XcloneError
from xclone.base.remote import Transport
from xclone.cli.connect import ConnectionOptions, open_transport, targets_for
from xclone.observed.canonical import digest_of
from xclone.observed.observe import observe
from xclone.plan.context import PlanOptions
from xclone.plan.document import Plan, from_json, to_json
from xclone.plan.planner import make_plan
from xclone.spec import Spec, load_spec

PLANFILE_KIND = "xclone-plan"


def plan_flags(command: Any) -> Any:
    """--target and --replace, as in Terraform."""
    replace = click.option("--replace", "replace", multiple=True, metavar="ADDR",
                           help="Reinstall this LPAR even if it is up to date (repeatable).")
    target = click.option("--target", "targets", multiple=True, metavar="ADDR",
                          help="Plan only this resource and what it depends on (repeatable).")
    return target(replace(command))


@dataclass
class Planned:
    spec: Spec
    spec_path: Path
    plan: Plan
    transport: Transport


def build_plan(spec_path: Path, connection: ConnectionOptions, targets: tuple[str, ...] = (),
               replace: tuple[str, ...] = (), *, destroy: bool = False,
               transport: Transport | None = None) -> Planned:
    spec = load_spec(spec_path)
    transport = transport or open_transport(spec, connection)
    observation = observe(transport, targets_for(spec))
    source = f"snapshot {connection.snapshot}" if connection.snapshot else "live"
    if connection.lab is not None:
        source = "live"
    options = PlanOptions(replace=frozenset(replace), targets=frozenset(targets), destroy=destroy)
    plan = make_plan(spec, observation.observed, digest_of(observation.observed), options,
                     source=source)
    return Planned(spec, spec_path, plan, transport)


def write_planfile(path: Path, planned: Planned, options: dict[str, Any]) -> None:
    document = {"kind": PLANFILE_KIND, "spec_path": str(planned.spec_path.resolve()),
                "options": options, "plan": to_json(planned.plan)}
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


def read_planfile(path: Path) -> tuple[Plan, Path, dict[str, Any]]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(document, dict) or document.get("kind") != PLANFILE_KIND:
            raise ValueError("not an xclone plan file (made with `xclone plan -o FILE`)")
        return from_json(document["plan"]), Path(document["spec_path"]), document["options"]
    except OSError as exc:
        raise XcloneError(f"{path}: cannot read plan file ({exc.strerror})") from None
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        raise XcloneError(f"{path}: not a valid plan file: {exc}") from None


def is_planfile(path: Path) -> bool:
    if path.is_dir() or path.suffix in (".yaml", ".yml"):
        return False
    try:
        head = path.read_text(encoding="utf-8")[:200]
    except (OSError, UnicodeDecodeError):
        return False
    return PLANFILE_KIND in head
