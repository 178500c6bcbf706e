"""`xdsh NODERANGE COMMAND...` on the management node: run a command on nodes over ssh.

Sources (xCAT 2.9.2): xCAT-client/pods/man1/xdsh.1.pod ("COMMAND OUTPUT": each line of a
node's standard output and standard error is prefixed with its host name followed by `:`;
"Exit Status": 0 when every remote command ended with 0, else greater than 0, one more per
target that failed). perl-xCAT/xCAT/DSHCLI.pm: the label is `"$user_target: "` (lines 1415,
1544), the node's command is followed by `DSH_TARGET_RC=$?; echo ":DSH_TARGET_RC=...:"`
(line 2534) so a command that fails on the node fails its target (lines 655-671), the
buffered output goes to stdout and stderr without `Error:` (lines 600-614, NoErrorPrefix), and
execute_dsh returns the failed targets plus the unresolved ones (line 409), which
xCAT-server/lib/xcat/plugins/xdsh.pm makes the `errorcode` (lines 1216-1249).

The lab's node is an xCAT node whose LPAR (same partition name) is Running; one that is not
gets OpenSSH's time-out (as xdcp.py). On the
node the lab runs AIX's `lsuser` and `chuser` (aix/users.py) on that LPAR's own files (its
`files` in the lab's LPAR row: the golden node's /etc/security/limits); leading `NAME=VALUE`
words are the remote shell's environment. Any other command is ksh's "not found" (exit 127);
that text and the usage text are ours.
"""

from __future__ import annotations

from collections.abc import Callable

from xclone.sim.aix.users import Files, chuser_on, lsuser_on
from xclone.sim.store import Body
from xclone.sim.world import Out, World
from xclone.sim.xcat import objects as ob

USAGE = "Usage: xdsh <noderange> command_list"
ON_NODE: dict[str, Callable[[Files, list[str]], Out]] = {"lsuser": lsuser_on,
                                                         "chuser": chuser_on}


class NodeFiles:
    """An LPAR's own small file system (its row's `files`), what aix/users.py reads and
    writes there."""

    def __init__(self, world: World, lpar: Body) -> None:
        self.world, self.lpar = world, lpar

    def file(self, path: str) -> Body | None:
        files: dict[str, str] = self.lpar.get("files") or {}
        return {"type": "file", "content": files[path]} if path in files else None

    def read(self, path: str) -> str:
        return str((self.lpar.get("files") or {}).get(path, ""))

    def write(self, path: str, content: str) -> None:
        self.lpar = {**self.lpar, "files": {**(self.lpar.get("files") or {}), path: content}}
        self.world.put_lpar(self.lpar)


def _reachable(world: World, node: str) -> Body | None:
    """The node's LPAR when ssh to it answers: Running."""
    lpar = world.find_lpar(node)
    return lpar if lpar is not None and lpar.get("state") == "Running" else None


def _run(world: World, lpar: Body, words: list[str]) -> Out:
    while words and "=" in words[0] and not words[0].startswith("="):
        words = words[1:]
    if not words:
        return Out()
    handler = ON_NODE.get(words[0].rsplit("/", 1)[-1])
    if handler is None:
        return Out().err(f"ksh: {words[0]}:  not found.").fail(127)
    return handler(NodeFiles(world, lpar), words[1:])


def xdsh(world: World, args: list[str]) -> Out:
    if len(args) < 2 or args[0].startswith("-") or args[1].startswith("-"):
        return Out().err(USAGE).fail()
    nodes, unknown = ob.resolve_nodes(world, args[0])
    if unknown:
        return Out().err(ob.invalid_noderange(unknown)).fail()
    out, failed = Out(), 0
    for node in nodes:
        lpar = _reachable(world, node)
        if lpar is None:
            out.err(f"{node}: ssh: connect to host {node} port 22: Connection timed out")
            failed += 1
            continue
        answer = _run(world, lpar, " ".join(args[1:]).split())  # one remote shell line
        out.stdout += [f"{node}: {line}" for line in answer.stdout]
        out.stderr += [f"{node}: {line}" for line in answer.stderr]
        failed += answer.status != 0
    return out.fail(failed) if failed else out
