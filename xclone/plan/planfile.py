"""The saved plan file of `xclone plan -o FILE`: everything `apply FILE` needs, under one digest.

A plan file is self-contained (CONTRACT §10): the spec's text (every file of a spec directory,
keyed by name) with its digest and its path relative to the working directory, how the plan
reached the cluster (lab file, snapshot or SSH and its options), the xclone version, the options
(targets, replace) and the plan itself (observed digest and the exact actions). One sha256 over
the canonical JSON of all of it except the digest field makes any edit, of an action, an option
or the spec text, a refused file rather than a silently different apply.

Pure data: the CLI reads and writes the bytes and decides what to do with a mismatch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from xclone.base.digest import digest
from xclone.plan.document import Plan, PlanFormatError, from_json, to_json

KIND = "xclone-plan"
VERSION = 2
LAB, SNAPSHOT, SSH = "lab", "snapshot", "ssh"


class PlanFileError(ValueError):
    """The document is not a plan file this xclone can apply; the CLI names the file."""


@dataclass(frozen=True)
class SpecCopy:
    """The spec as it was planned: `path` as given relative to the working directory, and the
    text of each file (one for a spec file, all `*.yaml` of a spec directory)."""

    path: str
    directory: bool
    files: tuple[tuple[str, str], ...]

    @property
    def digest(self) -> str:
        return digest(dict(self.files))


@dataclass(frozen=True)
class Connection:
    """How the plan observed the cluster; paths are relative to the working directory."""

    kind: str
    lab: str | None = None
    snapshot: str | None = None
    ssh_config: str | None = None
    known_hosts: str | None = None
    verify_host_keys: bool = True

    def to_json(self) -> dict[str, Any]:
        if self.kind == LAB:
            return {"kind": LAB, "lab": self.lab}
        if self.kind == SNAPSHOT:
            return {"kind": SNAPSHOT, "snapshot": self.snapshot}
        return {"kind": SSH, "ssh_config": self.ssh_config, "known_hosts": self.known_hosts,
                "verify_host_keys": self.verify_host_keys}


@dataclass(frozen=True)
class PlanFile:
    xclone_version: str
    spec: SpecCopy
    connection: Connection
    plan: Plan
    targets: tuple[str, ...] = ()
    replace: tuple[str, ...] = ()
    destroy: bool = False


def to_document(saved: PlanFile) -> dict[str, Any]:
    body = {
        "kind": KIND,
        "planfile_version": VERSION,
        "xclone_version": saved.xclone_version,
        "spec": {
            "path": saved.spec.path,
            "directory": saved.spec.directory,
            "files": dict(saved.spec.files),
            "content_digest": saved.spec.digest,
        },
        "connection": saved.connection.to_json(),
        "options": {"targets": list(saved.targets), "replace": list(saved.replace),
                    "destroy": saved.destroy},
        "plan": to_json(saved.plan),
    }
    return {**body, "digest": digest(body)}


def from_document(document: Any) -> PlanFile:
    """Check kind, version and the document digest, then read it back. Raises PlanFileError."""
    if not isinstance(document, dict) or document.get("kind") != KIND:
        raise PlanFileError("not an xclone plan file (made with `xclone plan -o FILE`)")
    if document.get("planfile_version") != VERSION:
        raise PlanFileError(f"plan file version {document.get('planfile_version')!r} is not "
                            f"{VERSION}: make the plan again with this xclone")
    body = {k: v for k, v in document.items() if k != "digest"}
    if document.get("digest") != digest(body):
        raise PlanFileError("the file was changed after `xclone plan -o` wrote it (its digest "
                            "does not match its content): make the plan again and review it")
    try:
        spec, options = document["spec"], document["options"]
        files = tuple(sorted((str(k), str(v)) for k, v in spec["files"].items()))
        copy = SpecCopy(str(spec["path"]), bool(spec["directory"]), files)
        if not files:
            raise PlanFileError("the plan file holds no spec file")
        if copy.digest != spec["content_digest"]:
            raise PlanFileError("the stored spec does not match its content digest")
        conn = dict(document["connection"])
        return PlanFile(
            xclone_version=str(document["xclone_version"]),
            spec=copy,
            connection=Connection(**conn),
            plan=from_json(document["plan"]),
            targets=tuple(options["targets"]),
            replace=tuple(options["replace"]),
            destroy=bool(options["destroy"]),
        )
    except PlanFileError:
        raise
    except PlanFormatError as exc:
        raise PlanFileError(str(exc)) from None
    except (KeyError, TypeError, AttributeError, ValueError, IndexError) as exc:
        raise PlanFileError(f"malformed plan file ({type(exc).__name__}: {exc})") from None
