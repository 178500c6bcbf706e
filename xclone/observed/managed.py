"""What xclone manages on a cluster: the observed objects carrying its mark, by address.

xclone keeps no state file (CONTRACT §5); the mark in xCAT `usercomment` and NIM `comments` is
the state. `xclone state list` shows these objects and `state show` one of them, so an
administrator can see what xclone would ever touch, and where each piece lives.

Each xCAT object and each NIM object is one piece of a resource: an LPAR is its xCAT node and
its NIM machine; an osimage its xCAT osimage and the NIM resources xclone made for it (named
after it: the SPOT mknimimage builds, `<image>_...`); a network its xCAT and NIM networks; an
HMC or CEC its xCAT node or NIM management object. A marked NIM resource named after no
osimage (the NIM driver's postscript `script` resources) belongs to no one address: it is
listed under `OTHER`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from xclone.base.address import Address
from xclone.base.mark import NIM_ATTR, XCAT_ATTR, carries
from xclone.observed.model import NimObject, Observed, XcatObject

# xCAT node `hwtype` -> address type; any other node is an LPAR (CONTRACT §5 addresses).
_NODE_TYPES = {"cec": "cec", "hmc": "hmc", "lpar": "lpar"}
_NIM_CLASSES = {"machines": "lpar", "networks": "network"}
_NIM_MANAGEMENT = frozenset({"hmc", "cec"})
OTHER = "(other)"
MKSYSB = "_mksysb"


@dataclass(frozen=True)
class Piece:
    """One object of a resource: the host whose tables hold it, where (`xCAT node`, `NIM
    machines/standalone`), its name there and its attributes as observed."""

    host: str
    where: str
    name: str
    attrs: Mapping[str, str]

    @property
    def label(self) -> str:
        return f"{self.where} {self.name}"


def _xcat_address(obj: XcatObject) -> Address:
    if obj.type == "node":
        return Address(_NODE_TYPES.get(obj.get("hwtype"), "lpar"), obj.name)
    return Address(obj.type, obj.name)


def _nim_address(obj: NimObject, images: frozenset[str]) -> str:
    if obj.cls in _NIM_CLASSES:
        return Address(_NIM_CLASSES[obj.cls], obj.name)
    if obj.cls == "management" and obj.type in _NIM_MANAGEMENT:
        return Address(obj.type, obj.name)
    owner = next((i for i in sorted(images, key=len, reverse=True)
                  if obj.name == i or obj.name.startswith(f"{i}_")), None)
    return OTHER if owner is None else Address("osimage", owner)


def untyped(obj: XcatObject) -> bool:
    """An xCAT node of no type xclone manages: the planner removes marked `hwtype=lpar`, `cec`
    and `hmc` nodes only. xCAT shows `hwtype` only while `mgt` is a hardware method (Schema.pm
    `only_if => 'mgt=hmc'`, fsp, bpa, ivm...), so an LPAR whose `mgt` was cleared by hand shows
    none; xclone cannot tell what such a node is, and leaves it for `state list` and `drift` to
    name instead of removing it on a guess."""
    return obj.type == "node" and obj.get("hwtype") not in _NODE_TYPES


def shown_type(hwtype: str) -> str:
    """How an untyped node shows: `hwtype=blade`, or no hwtype at all (its `mgt` is unset)."""
    return f"hwtype={hwtype}" if hwtype else "no hwtype (its mgt is unset)"


def untyped_why(name: str, hwtype: str) -> str:
    """Why drift names an untyped node instead of a plan removing it, and how to settle it."""
    return (f"xCAT shows it with {shown_type(hwtype)}: xclone cannot tell what it is, so apply "
            f"and destroy leave it (`chdef {name} mgt=hmc` if it is an LPAR, or "
            f"`rmdef -t node {name}` by hand)")


def untyped_nodes(observed: Observed, mark: str, wanted: frozenset[str]) \
        -> tuple[tuple[Address, XcatObject], ...]:
    """The marked untyped nodes not in `wanted` (the names of the spec's LPARs, CECs and HMCs
    it keeps), by the address `managed` gives them: a node the spec keeps is planned as its
    resource."""
    nodes = observed.xcat.get("node", {})
    return tuple((_xcat_address(obj), obj) for name, obj in sorted(nodes.items())
                 if untyped(obj) and carries(obj.get(XCAT_ATTR), mark) and name not in wanted)


def managed(observed: Observed, mark: str, host: str) -> dict[str, tuple[Piece, ...]]:
    """Every marked object, grouped by the address of the resource it belongs to (`OTHER`
    for those of no one address), sorted with `OTHER` last."""
    found: dict[str, list[Piece]] = {}
    for type_, objects in sorted(observed.xcat.items()):
        for name, obj in sorted(objects.items()):
            if carries(obj.get(XCAT_ATTR), mark):
                found.setdefault(_xcat_address(obj), []).append(
                    Piece(host, f"xCAT {type_}", name, obj.attrs))
    # Osimages are xCAT objects with the xCAT driver; with the NIM driver, the marked mksysb
    # resources `<image>_mksysb` name them.
    images = frozenset(observed.xcat.get("osimage", {})) | frozenset(
        name.removesuffix(MKSYSB) for name, nim in observed.nim.items()
        if nim.type == "mksysb" and name.endswith(MKSYSB) and carries(nim.get(NIM_ATTR), mark))
    for name, nim in sorted(observed.nim.items()):
        if carries(nim.get(NIM_ATTR), mark):
            found.setdefault(_nim_address(nim, images), []).append(
                Piece(host, f"NIM {nim.cls}/{nim.type}", name, nim.attrs))
    return {key: tuple(found[key]) for key in sorted(found, key=lambda k: (k == OTHER, k))}
