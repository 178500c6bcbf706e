"""Wires saved plans: `plan -o FILE` writes one, and `apply FILE` checks it (plan/planfile.py
holds the format) before the apply session runs exactly its actions.

Paths in a plan file (the spec, the lab file, the snapshot, the SSH config) are relative to the
working directory the plan was made in, so a checkout moved or renamed as a whole still applies
when run from its new place. `apply FILE` takes the spec from disk when it is there, and refuses
it when it no longer matches the copy in the plan (the spec was edited after review); when it is
not there at all it uses the copy, which is exactly what was reviewed.
"""

from __future__ import annotations

import json
import os
import shlex
import tempfile
from dataclasses import fields
from pathlib import Path

import click

from xclone import __version__
from xclone.base.errors import XcloneError
from xclone.base.remote import Transport
from xclone.cli.connect import ConnectionOptions
from xclone.cli.planning import Planned, observe_state
from xclone.plan import planfile
from xclone.plan.context import PlanOptions
from xclone.plan.document import action_to_json
from xclone.plan.planfile import LAB, SNAPSHOT, SSH, Connection, PlanFile, SpecCopy
from xclone.plan.planner import make_plan, spec_digest
from xclone.spec import Spec, load_spec
from xclone.spec.sources import read_text, spec_files


def relative(path: Path) -> str:
    """`path` relative to the working directory, as a POSIX string."""
    return Path(os.path.relpath(os.path.abspath(path))).as_posix()


def copy_of(spec_path: Path) -> SpecCopy:
    """The text of every file the spec at `spec_path` is loaded from, keyed by file name."""
    texts = tuple(sorted((f.name, read_text(f)) for f in spec_files(spec_path)))
    return SpecCopy(relative(spec_path), spec_path.is_dir(), texts)


def record(options: ConnectionOptions) -> Connection:
    if options.lab is not None:
        return Connection(LAB, lab=relative(options.lab))
    if options.snapshot is not None:
        return Connection(SNAPSHOT, snapshot=relative(options.snapshot))
    return Connection(SSH, ssh_config=_maybe(options.ssh_config),
                      known_hosts=_maybe(options.known_hosts),
                      verify_host_keys=options.verify_host_keys)


def _maybe(path: Path | None) -> str | None:
    return None if path is None else relative(path)


def write(out: Path, saved: PlanFile) -> str:
    """Write the file; return the command that applies it, exactly as the user can type it."""
    document = planfile.to_document(saved)
    try:
        out.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n",
                       encoding="utf-8")
    except OSError as exc:
        raise XcloneError(f"{out}: cannot write the plan file ({exc.strerror})") from None
    return f"xclone apply {shlex.quote(str(out))}"


def read(path: Path) -> PlanFile:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise XcloneError(f"{path}: cannot read plan file ({exc.strerror})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise XcloneError(f"{path}: not a valid plan file: {exc}") from None
    try:
        return planfile.from_document(document)
    except planfile.PlanFileError as exc:
        raise XcloneError(f"{path}: {exc}") from None


def is_planfile(path: Path) -> bool:
    if path.is_dir() or path.suffix in (".yaml", ".yml"):
        return False
    try:
        head = path.read_text(encoding="utf-8")[:200]
    except (OSError, UnicodeDecodeError):
        return False
    return planfile.KIND in head


def _describe(conn: Connection) -> str:
    if conn.kind == LAB:
        return f"against the lab {conn.lab}"
    if conn.kind == SNAPSHOT:
        return f"from the snapshot {conn.snapshot}"
    return "over SSH"


def _recorded(conn: Connection) -> ConnectionOptions:
    def path(text: str | None) -> Path | None:
        return None if text is None else Path(text)

    return ConnectionOptions(lab=path(conn.lab), ssh_config=path(conn.ssh_config),
                             known_hosts=path(conn.known_hosts),
                             verify_host_keys=conn.verify_host_keys)


def _same(a: object, b: object) -> bool:
    if isinstance(a, Path) and isinstance(b, Path):
        return a.resolve() == b.resolve()
    return a == b


def connection(saved: PlanFile, given: ConnectionOptions, file: Path) -> ConnectionOptions:
    """The connection the plan was made with. An option given again with the same value is
    fine; one that differs is an error. A plan made from a snapshot is applied to the live
    cluster it was taken of (SSH, or `--lab`): the observed digest must still match it."""
    if given.snapshot is not None:
        raise XcloneError("apply cannot run from a snapshot: it must reach the cluster")
    if saved.connection.kind == SNAPSHOT:
        click.echo(f"The plan was made {_describe(saved.connection)}; applying it "
                   f"{'to the lab ' + str(given.lab) if given.lab else 'over SSH'} if the "
                   "cluster still matches what the snapshot recorded.", err=True)
        return given
    recorded, default = _recorded(saved.connection), ConnectionOptions()
    for option in fields(ConnectionOptions):
        value = getattr(given, option.name)
        if value != getattr(default, option.name) and not _same(value,
                                                                getattr(recorded, option.name)):
            flag = "--no-verify-host-keys" if option.name == "verify_host_keys" else (
                "--" + option.name.replace("_", "-") + f" {value}")
            raise XcloneError(f"{file}: the plan was made {_describe(saved.connection)} and "
                              f"`apply FILE` uses that connection: {flag} conflicts with it "
                              "(drop the option, or make a new plan with it)")
    if recorded.lab is not None and not recorded.lab.is_file():
        raise XcloneError(f"{file}: the plan was made against the lab {recorded.lab}, which is "
                          f"not in {Path.cwd()}: run apply from the directory the plan was "
                          "made in (paths in a plan file are relative to it)")
    return recorded


def spec(saved: PlanFile, file: Path) -> Spec:
    """The spec the plan was made from: on disk if it is there and unchanged, else the copy."""
    if saved.xclone_version != __version__:
        raise XcloneError(f"{file}: made by xclone {saved.xclone_version}, this is xclone "
                          f"{__version__}: make the plan again with this version")
    path = Path(saved.spec.path)
    if path.exists():
        if copy_of(path).digest != saved.spec.digest:
            raise XcloneError(f"{file}: the saved plan is stale (the spec changed since the plan "
                              f"was saved: {path} differs from the copy in the plan): run "
                              "`xclone plan -o FILE` again and review it")
        loaded = load_spec(path)
    else:
        click.echo(f"{path} is not in {Path.cwd()}: using the copy of the spec stored in "
                   f"{file}.", err=True)
        loaded = _load_copy(saved.spec)
    if spec_digest(loaded) != saved.plan.spec_digest:
        raise XcloneError(f"{file}: the stored spec no longer resolves to the one planned: "
                          "make the plan again")
    return loaded


def _load_copy(copy: SpecCopy) -> Spec:
    """Load the stored files from a temporary directory; names are reduced to their last part,
    so a stored name can never write outside it."""
    with tempfile.TemporaryDirectory(prefix="xclone-spec-") as tmp:
        folder = Path(tmp) / "spec"
        folder.mkdir()
        for name, text in copy.files:
            (folder / Path(name).name).write_text(text, encoding="utf-8")
        return load_spec(folder if copy.directory else folder / Path(copy.files[0][0]).name)


def check(saved: PlanFile, loaded: Spec, transport: Transport, file: Path) -> Planned:
    """Under the lock: the cluster must be as observed when the plan was made, and the saved
    actions must be what this spec and that observation plan (a sha256 that anyone can recompute
    is no signature: an edited action with a fresh digest is caught here). The plan returned is
    the saved one, so apply runs exactly its actions."""
    observed, now = observe_state(loaded, transport, destroy=saved.destroy)
    if now != saved.plan.observed_digest:
        raise XcloneError(f"{file}: the saved plan is stale (the cluster changed since the plan "
                          "was saved): run `xclone plan -o FILE` again and review it")
    options = PlanOptions(replace=frozenset(saved.replace), targets=frozenset(saved.targets),
                          destroy=saved.destroy)
    rebuilt = make_plan(loaded, observed, now, options)
    if [action_to_json(a) for a in rebuilt.actions] != [
            action_to_json(a) for a in saved.plan.actions]:
        raise XcloneError(f"{file}: the saved actions are not the ones this spec plans for this "
                          "cluster state (the file was edited): make the plan again and review it")
    return Planned(loaded, Path(saved.spec.path), saved.plan, transport)
