"""`scp [-B] [-p] [-q] USER@HOST:FILE TARGET` on a NIM master: a copy from another master.

What xclone runs to give an install server its copy of the primary's mksysb (issue 17). Only
copies between the lab's NIM masters are answered: the source host must be one, the file must
exist there and the target's directory here. The texts follow OpenSSH's scp ("scp: PATH: No
such file or directory", exit 1). With costs `nim`, a mksysb image takes its size in MB over
the source master's network: the copies out of one master share its bandwidth fairly (the
schedule of transfer.py, with no per-client cap), and the command returns when its copy has
moved all of it. The installs that master serves meanwhile are not slowed by its copies (a
simplification: the copies come before the other masters' installs, beside its own first ones).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from xclone.sim import install
from xclone.sim.args import UsageError, parse
from xclone.sim.transfer import Sharing, Transfer
from xclone.sim.world import Block, Out, Reply, World

USAGE = ("usage: scp [-346BCpqrTv] [-c cipher] [-F ssh_config] [-i identity_file]\n"
         "           [-l limit] [-o ssh_option] [-P port] [-S program] source ... target")
IMAGE = "mksysb image of"  # what the lab's mksysb files hold (nim/ops.py)
POOL = "scp_transfers"  # meta (+ the source master's scope): [key, start, MB, ended]


def _source(world: World, spec: str) -> tuple[World, str] | None:
    """The master the `[USER@]HOST:PATH` operand names (seen from it) and the path."""
    host, sep, path = spec.partition(":")
    if not sep or not path:
        return None
    hosts: dict[str, list[str]] = world.s.meta("hosts", {})
    kind, face = hosts.get(host.rpartition("@")[2], ["", ""])
    if kind != "mn":
        return None
    return world.serving(face if face in world.masters() else ""), path


def scp(world: World, args: list[str]) -> Reply:
    try:
        opts = parse(args, "346BCpqrTvc:F:i:l:o:P:S:")
    except UsageError:
        return Out().err(USAGE).fail()
    if len(opts.rest) != 2:
        return Out().err(USAGE).fail()
    found = _source(world, opts.rest[0])
    if found is None:
        return Out().err(f"ssh: Could not resolve hostname {opts.rest[0].split(':')[0]}: "
                         "Name or service not known").fail()
    source, path = found
    body = source.file(path)
    if body is None or body.get("type") != "file":
        return Out().err(f"scp: {path}: No such file or directory").fail()
    target = opts.rest[1].rstrip("/") or "/"
    if (world.file(target) or {}).get("type") == "dir":
        target = f"{target.rstrip('/')}/{path.rsplit('/', 1)[-1]}"
    parent = target.rsplit("/", 1)[0] or "/"
    if (world.file(parent) or {}).get("type") != "dir":
        return Out().err(f"scp: {target}: No such file or directory").fail()
    content = str(body.get("content", ""))
    nim = world.costs.nim
    if nim is None or not install.shared(world) or not content.startswith(IMAGE):
        world.write(target, content)
        return Out()
    key = f"{world.master}:{target}@{world.now!r}"
    _pool(source, [*_entries(source), [key, world.now, nim.mksysb_mb, False]])
    return _moving(source.master, key, target, content, _end(source, key) - world.now)


def _entries(source: World) -> list[list[Any]]:
    return list(source.s.meta(POOL + source.scope) or [])


def _pool(source: World, entries: list[list[Any]]) -> None:
    source.s.set_meta(POOL + source.scope, [] if all(e[3] for e in entries) else entries)


def _end(source: World, key: str) -> float:
    """When copy `key` has moved all of it: the copies out of one master share its network
    fairly, each as fast as the network allows (no client's restore pace bounds a copy)."""
    nim = source.costs.nim
    assert nim is not None
    transfers = [Transfer(str(k), float(t), float(mb)) for k, t, mb, _ in _entries(source)]
    return Sharing(transfers, nim.bandwidth, float("inf")).finish[key]


def _moving(master: str, key: str, target: str, content: str, seconds: float) -> Block:
    """Wait until the copy has moved all of it (a copy started later out of the same master
    only delays it: then wait again), then write the file."""
    def then(later: World) -> Reply:
        source = later.serving(master)
        end = _end(source, key)
        if end > later.now + 1e-6:
            return _moving(master, key, target, content, end - later.now)
        _pool(source, [[k, t, mb, done or k == key] for k, t, mb, done in _entries(source)])
        later.write(target, content)
        return Out()

    # Lab.execute runs a Block that `then` returns as it runs the first one.
    return Block(max(seconds, 0.0), cast("Callable[[World], Out]", then))
