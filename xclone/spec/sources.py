"""Read a spec file, or a directory of spec files merged into one document with its marks.

A large cluster is easier to review split by concern (hmcs.yaml, lpars-cec1.yaml, ...): maps of
named objects merge, each name defined once across all files; `lpar_ranges` lists concatenate;
every other top-level key may appear in one file only.
"""

from __future__ import annotations

from pathlib import Path as FsPath
from typing import Any

from xclone.base.diagnostics import Diagnostic, Location
from xclone.base.errors import XcloneError
from xclone.base.yamlmarks import MAX_BYTES, Marks, Path, parse_yaml

NAMED_SECTIONS = ("hmcs", "networks", "osimages", "groups", "lpars")
LIST_SECTIONS = ("lpar_ranges",)
SUFFIXES = (".yaml", ".yml")


def _fail(message: str, file: str) -> XcloneError:
    """One located problem; the error's own message is the summary line, so the CLI does not
    print the problem a second time without its location."""
    return XcloneError(f"{file}: 1 error", [Diagnostic(message, Location(file, 1, 1))])


def spec_files(path: FsPath) -> list[FsPath]:
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix in SUFFIXES and p.is_file())
        if not files:
            raise XcloneError(f"{path}: directory holds no *.yaml spec files")
        return files
    if not path.exists():
        raise XcloneError(f"{path}: no such file or directory")
    return [path]


def read_text(path: FsPath) -> str:
    """The file as text; binary, non-UTF-8 or over-large content is refused before YAML sees
    it (the size from the file system, so a huge file is never read into memory)."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise _fail(f"file is {size:,} bytes; a spec file may be at most {MAX_BYTES:,}",
                        str(path))
        raw = path.read_bytes()
    except OSError as exc:
        raise XcloneError(f"{path}: cannot read ({exc.strerror or 'unreadable'})") from None
    if b"\x00" in raw:
        raise _fail("binary file, not a YAML spec", str(path))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _fail(f"not UTF-8 text (byte {exc.start}), not a YAML spec", str(path)) from None


def load_document(path: FsPath) -> tuple[dict[str, Any], Marks]:
    """One file's top-level mapping and marks; an empty or non-mapping document is an error."""
    file = str(path)
    data, marks = parse_yaml(read_text(path), file)
    if data is None:
        raise _fail("empty spec: expected a mapping with version, cluster, hmcs, lpars, ...", file)
    if not isinstance(data, dict):
        where = marks.at(()) or Location(file, 1, 1)
        message = "a spec must be a mapping of sections (version, cluster, hmcs, lpars, ...)"
        raise XcloneError(f"{file}: 1 error", [Diagnostic(message, where)])
    return data, marks


class _Merger:
    def __init__(self) -> None:
        self.data: dict[str, Any] = {}
        self.marks = Marks()
        self.errors: list[Diagnostic] = []

    def add(self, data: dict[str, Any], marks: Marks) -> None:
        skipped: list[Path] = []
        offset = len(self.data.get("lpar_ranges", []))
        for key, value in data.items():
            current = self.data.get(key)
            if key in NAMED_SECTIONS and isinstance(value, dict) and isinstance(current, dict):
                for name, entry in value.items():
                    if name in current:
                        skipped.append((key, name))
                        self._twice(f"{key} entry {name!r}", (key, name), marks)
                    else:
                        current[name] = entry
            elif key in LIST_SECTIONS and isinstance(value, list) and isinstance(current, list):
                current.extend(value)
            elif key in self.data:
                skipped.append((key,))
                self._twice(f"top-level key {key!r}", (key,), marks)
            else:
                self.data[key] = value
        self._take_marks(marks, skipped, offset)

    def _twice(self, what: str, path: Path, marks: Marks) -> None:
        first = self.marks.at(path, key=True)
        where = marks.at(path, key=True)
        self.errors.append(Diagnostic(f"{what} is defined twice (first at {first})", where))

    def _take_marks(self, marks: Marks, skipped: list[Path], offset: int) -> None:
        for table, target in ((marks.values, self.marks.values), (marks.keys, self.marks.keys)):
            for path, location in table.items():
                if not path or any(path[: len(s)] == s for s in skipped):
                    continue
                if path[0] in LIST_SECTIONS and len(path) > 1 and isinstance(path[1], int):
                    path = (path[0], path[1] + offset, *path[2:])
                target.setdefault(path, location)
        if () in marks.values:
            self.marks.values.setdefault((), marks.values[()])


def load_sources(path: FsPath) -> tuple[dict[str, Any], Marks]:
    """The merged document for a spec file or directory; XcloneError lists every problem."""
    files = spec_files(path)
    if len(files) == 1:
        return load_document(files[0])
    merger = _Merger()
    errors: list[Diagnostic] = []
    for file in files:
        try:
            data, marks = load_document(file)
        except XcloneError as exc:
            errors.extend(exc.diagnostics or [Diagnostic(exc.message)])
            continue
        merger.add(data, marks)
    errors.extend(merger.errors)
    if errors:
        raise XcloneError(f"{path}: invalid spec", errors)
    return merger.data, merger.marks
