"""The management node's small filesystem: enough for the apply lock (an atomic `mkdir`) and for
checking side effects (`cat /etc/hosts`). AIX wording, exit status 2 on errors."""

from __future__ import annotations

import posixpath

from xclone.sim import choices
from xclone.sim.world import Out, World

ERR = choices.FS_ERRORS


def _norm(path: str) -> str:
    return posixpath.normpath("/" + path.lstrip("/")) if path else ""


def _parent(path: str) -> str:
    return posixpath.dirname(path) or "/"


def _fail(key: str, **values: str) -> Out:
    return Out().err(ERR[key].format(**values)).fail(choices.FS_STATUS)


def _children(world: World, path: str) -> list[str]:
    return sorted(p for p in world.s.group(world.file_kind, path) if p != path)


def _flags(args: list[str], allowed: str) -> tuple[set[str], list[str]] | None:
    flags: set[str] = set()
    rest: list[str] = []
    for arg in args:
        if arg.startswith("-") and len(arg) > 1 and not rest:
            if any(c not in allowed for c in arg[1:]):
                return None
            flags |= set(arg[1:])
        else:
            rest.append(arg)
    return flags, rest


def mkdir(world: World, args: list[str]) -> Out:
    parsed = _flags(args, "pm")
    if parsed is None or not parsed[1]:
        return _fail("usage", cmd="mkdir", usage="[-p] [-m mode] Directory ...")
    flags, paths = parsed
    out = Out()
    for raw in paths:
        path = _norm(raw)
        body = world.file(path)
        if body is not None:
            if "p" not in flags or body["type"] != "dir":
                out.extend(_fail("mkdir_exists", path=raw))
            continue
        missing = []
        parent = _parent(path)
        while world.file(parent) is None:
            missing.append(parent)
            parent = _parent(parent)
        if missing and "p" not in flags:
            out.extend(_fail("mkdir_noparent", parent=_parent(raw.rstrip("/")) or "/"))
            continue
        for directory in [*reversed(missing), path]:
            world.mkdir(directory)
    return out


def rmdir(world: World, args: list[str]) -> Out:
    out = Out()
    for raw in args:
        path = _norm(raw)
        body = world.file(path)
        if body is None:
            out.extend(_fail("rmdir_missing", path=raw))
        elif body["type"] != "dir":
            out.extend(_fail("rmdir_notdir", path=raw))
        elif _children(world, path):
            out.extend(_fail("rmdir_notempty", path=raw))
        else:
            world.s.delete(world.file_kind, path)
    return out


def _remove_tree(world: World, path: str) -> None:
    for child in _children(world, path):
        _remove_tree(world, child)
    world.s.delete(world.file_kind, path)


def rm(world: World, args: list[str]) -> Out:
    parsed = _flags(args, "rRfi")
    if parsed is None or not parsed[1]:
        return _fail("usage", cmd="rm", usage="[-firRe] [--] File...")
    flags, paths = parsed
    out = Out()
    for raw in paths:
        path = _norm(raw)
        body = world.file(path)
        if body is None:
            if "f" not in flags:
                out.extend(_fail("rm_missing", path=raw))
        elif body["type"] == "dir" and not flags & {"r", "R"}:
            out.extend(_fail("rm_dir", path=raw))
        else:
            _remove_tree(world, path)
    return out


def cat(world: World, args: list[str]) -> Out:
    if not args:
        return Out(stdout=[world.stdin])
    out = Out()
    for raw in args:
        body = world.file(_norm(raw))
        if body is None or body["type"] != "file":
            out.extend(_fail("cat_missing", path=raw))
        else:
            out.stdout.append(str(body["content"]))
    return out


def tee(world: World, args: list[str]) -> Out:
    parsed = _flags(args, "ai")
    if parsed is None:
        return _fail("usage", cmd="tee", usage="[-ai] [File...]")
    flags, paths = parsed
    out = Out(stdout=[world.stdin])
    for raw in paths:
        path = _norm(raw)
        parent = world.file(_parent(path))
        if parent is None or parent["type"] != "dir":
            out.extend(_fail("tee_noparent", path=raw))
            continue
        old = world.read(path) if "a" in flags else ""
        world.write(path, old + world.stdin)
    return out


def _move(world: World, src: str, dst: str) -> None:
    body = world.file(src) or {"type": "dir"}
    for child in _children(world, src):
        _move(world, child, dst + child[len(src):])
    world.s.delete(world.file_kind, src)
    world.s.put(world.file_kind, dst, body, grp=_parent(dst))


def mv(world: World, args: list[str]) -> Out:
    """`mv SRC... DIR` moves into an existing directory; `mv SRC DST` renames (one rename(2),
    atomic: the apply lock relies on it), replacing a file but never a directory."""
    parsed = _flags(args, "fi")
    if parsed is None or len(parsed[1]) < 2:
        return _fail("usage", cmd="mv", usage="[-f|-i] SourceFile TargetFile")
    *sources, target = parsed[1]
    into = world.file(_norm(target))
    if len(sources) > 1 and (into is None or into["type"] != "dir"):
        return _fail("usage", cmd="mv", usage="[-f|-i] SourceFile ... TargetDirectory")
    out = Out()
    for raw in sources:
        src = _norm(raw)
        dst = _norm(target)
        if into is not None and into["type"] == "dir":
            dst = posixpath.join(dst, posixpath.basename(src))
        body, existing, parent = world.file(src), world.file(dst), world.file(_parent(dst))
        key = None
        if body is None or parent is None or parent["type"] != "dir":
            key = "mv_missing"
        elif dst == src or dst.startswith(src + "/"):
            key = "mv_inside"
        elif existing is not None and existing["type"] == "dir":
            key = "mv_exists"
        elif existing is not None and body["type"] == "dir":
            key = "mv_notdir"
        if key is not None:
            out.extend(_fail(key, src=raw, dst=dst))
            continue
        _move(world, src, dst)
    return out


def ls(world: World, args: list[str]) -> Out:
    parsed = _flags(args, "ladF1")
    if parsed is None:
        return _fail("usage", cmd="ls", usage="[-1ACFHLNRabcdefgilmnopqrstuxEUX] [File...]")
    _, paths = parsed
    out = Out()
    for raw in paths or ["/"]:
        path = _norm(raw)
        body = world.file(path)
        if body is None:
            out.extend(_fail("ls_missing", path=raw))
        elif body["type"] == "dir":
            out.stdout += [posixpath.basename(c) + "\n" for c in _children(world, path)]
        else:
            out.out(raw)
    return out
