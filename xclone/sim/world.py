"""Typed access to the world inside one transaction, and what a command handler returns.

Kinds of rows: `x:<type>` xCAT objects (flat attribute maps), `nim` NIM objects (ordered
attribute maps starting with class and type), `hmc`, `sys` (grp = HMC), `lpar` (grp =
`HMC/SYSTEM`), `file` (the management node's small filesystem), `install` (network
installations in progress), `fault` (injected faults with their remaining counts).
"""

from __future__ import annotations

import copy
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from xclone.sim.clock import Clock
from xclone.sim.costs import Costs
from xclone.sim.store import Body, Session

Attrs = dict[str, str]
MASTERS = "masters"  # meta: the lab's other NIM masters by face (labfile nim_masters)


@dataclass
class Out:
    """A command's answer being built: stdout and stderr text and the OR of exit codes."""

    stdout: list[str] = field(default_factory=list)
    stderr: list[str] = field(default_factory=list)
    status: int = 0

    def out(self, text: str) -> Out:
        self.stdout.append(text + "\n")
        return self

    def err(self, text: str) -> Out:
        self.stderr.append(text + "\n")
        return self

    def fail(self, code: int = 1) -> Out:
        self.status = code if self.status == 0 else self.status | code
        return self

    def extend(self, other: Out) -> Out:
        self.stdout += other.stdout
        self.stderr += other.stderr
        if other.status:
            self.fail(other.status)
        return self


@dataclass(frozen=True)
class Block:
    """The command keeps running for `seconds` of simulated time, then `then` finishes it in a
    new transaction; the world is unlocked meanwhile."""

    seconds: float
    then: Callable[[World], Out]
    partial: Out = field(default_factory=Out)


Reply = Out | Block


def lpar_key(hmc: str, system: str, name: str) -> str:
    return f"{hmc}/{system}/{name}"


class World:
    """The world as one command sees it: cached rows, the clock, the seeded random source."""

    def __init__(self, session: Session, face: str, stdin: str | None) -> None:
        self.s = session
        self.face = face
        self.stdin = stdin or ""
        self.clock = session.meta_parsed("clock", Clock.from_json)
        self.now = self.clock.now()
        self.mn: dict[str, Any] = session.meta("mn")
        self.costs = session.meta_parsed("costs", Costs.from_json)
        self.memo: dict[str, Any] = {}
        self._masters: dict[str, dict[str, Any]] = session.meta(MASTERS) or {}
        self.master = ""  # the NIM master whose database and files this view holds
        self.scope = ""  # "@MASTER" for another master: its rows' kinds end so
        self.nim_kind, self.file_kind = "nim", "file"
        if face in self._masters:
            self._serve(face)

    # --- several NIM masters (issue 17) ---
    def _serve(self, master: str) -> None:
        self.master = master
        self.mn = self._masters[master] if master else self.s.meta("mn")
        self.scope = f"@{master}" if master else ""
        self.nim_kind, self.file_kind = "nim" + self.scope, "file" + self.scope

    def serving(self, master: str) -> World:
        """This world seen from NIM master `master` ("" the primary, the lab's
        management_node): its own NIM database, files and network; clock and session shared."""
        if master == self.master:
            return self
        view = copy.copy(self)
        view._serve(master)
        return view

    def masters(self) -> dict[str, dict[str, Any]]:
        """Every NIM master by face ("" the primary): name, hostnames, ip."""
        return {"": self.s.meta("mn"), **self._masters}

    # --- time and chance ---
    def duration(self, seconds: float) -> float:
        return self.clock.duration(seconds)

    def advance(self, seconds: float) -> None:
        self.clock = self.clock.advanced(seconds)
        self.now = self.clock.now()
        self.s.set_meta("clock", self.clock.to_json())

    def chance(self) -> float:
        """A draw from the seeded random source; the counter makes draws differ across runs."""
        counter = int(self.s.meta("draws", 0))
        self.s.set_meta("draws", counter + 1)
        return random.Random(f"{self.s.meta('seed', 0)}:{counter}").random()

    # --- xCAT ---
    def xcat(self, type_: str, name: str) -> Attrs | None:
        return self.s.get("x:" + type_, name)

    def xcat_all(self, type_: str) -> dict[str, Attrs]:
        return self.s.all("x:" + type_)

    def put_xcat(self, type_: str, name: str, attrs: Attrs) -> None:
        self.s.put("x:" + type_, name, {k: v for k, v in attrs.items() if v != ""})

    def del_xcat(self, type_: str, name: str) -> None:
        self.s.delete("x:" + type_, name)

    def site(self) -> Attrs:
        sites = self.xcat_all("site")
        return next(iter(sites.values()), {})

    # --- NIM ---
    def nim(self, name: str) -> Body | None:
        return self.s.get(self.nim_kind, name)

    def nim_all(self) -> dict[str, Body]:
        return self.s.all(self.nim_kind)

    def put_nim(self, name: str, body: Body) -> None:
        self.s.put(self.nim_kind, name, body)

    def del_nim(self, name: str) -> None:
        self.s.delete(self.nim_kind, name)

    # --- HMCs ---
    def hmcs(self) -> dict[str, Body]:
        return self.s.all("hmc")

    def systems(self, hmc: str) -> dict[str, Body]:
        return {b["name"]: b for b in self.s.group("sys", hmc).values()}

    def lpars(self, hmc: str, system: str) -> dict[str, Body]:
        """The LPARs of one managed system by name, in lpar id order."""
        found = self.s.group("lpar", f"{hmc}/{system}").values()
        return {b["name"]: b for b in sorted(found, key=lambda b: int(b["id"]))}

    def put_lpar(self, lpar: Body) -> None:
        nxt = lpar.get("next") or []
        self.s.put("lpar", lpar_key(lpar["hmc"], lpar["sys"], lpar["name"]), lpar,
                   grp=f"{lpar['hmc']}/{lpar['sys']}", due=nxt[0][0] if nxt else None)

    def lpar(self, key: str) -> Body | None:
        return self.s.get("lpar", key)

    def find_lpar(self, name: str) -> Body | None:
        """An LPAR by partition name anywhere in the lab (names are unique in practice)."""
        where = self.s.get("lpar_at", name)
        return None if where is None else self.lpar(str(where["key"]))

    # --- files ---
    def file(self, path: str) -> Body | None:
        return self.s.get(self.file_kind, path)

    def read(self, path: str) -> str:
        body = self.file(path)
        return "" if body is None else str(body.get("content", ""))

    def write(self, path: str, content: str) -> None:
        self.s.put(self.file_kind, path, {"type": "file", "content": content},
                   grp=path.rsplit("/", 1)[0] or "/")

    def mkdir(self, path: str) -> None:
        self.s.put(self.file_kind, path, {"type": "dir"}, grp=path.rsplit("/", 1)[0] or "/")

    def remove(self, path: str) -> None:
        self.s.delete(self.file_kind, path)
