"""What an `rscan -z` (or hand-edited `lsdef -z`) stanza file says about HMCs, CECs and LPARs.

rscan's stanza form changed over the years (xCAT's PPCscan.pm; docs/formats.md "rscan"): current
releases print `hwtype` and `mtm`, 2009-10 releases printed `nodetype=lpar,osi`, `model=` and no
`hwtype` or `parent`. This module reads all of them into one inventory; whatever it does not
understand is kept verbatim so the generated spec can show it to the user as a comment instead of
dropping it silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from xclone.base.mac import install_mac
from xclone.base.stanza import Stanza, StanzaObject, is_trace, read_stanzas, typed_objects

# Attributes whose meaning the spec carries (or that rscan prints with a fixed value).
_LPAR_KNOWN = frozenset({
    "objtype", "nodetype", "hwtype", "id", "mtm", "model", "serial", "side", "hcp", "pprofile",
    "parent", "mgt", "cons", "groups", "ip", "mac", "postscripts", "prescripts-begin",
    "prescripts-end",
})
_CEC_KNOWN = frozenset({
    "objtype", "nodetype", "hwtype", "id", "mtm", "model", "serial", "side", "hcp", "pprofile",
    "parent", "mgt", "cons", "groups",
})
_HMC_KNOWN = frozenset({"objtype", "nodetype", "hwtype", "mgt", "groups", "username", "ip"})
_NETWORK_KNOWN = frozenset({"objtype", "net", "mask", "gateway", "domain"})
# Groups rscan puts every LPAR in itself (PPCscan.pm writes `groups=lpar,all`).
AUTO_GROUPS = frozenset({"lpar", "all"})
# Known attributes with the only values xclone writes itself; any other value is shown.
_LPAR_EXPECTED = {"mgt": ("hmc", ""), "cons": ("hmc", ""), "mtm": ("",), "serial": ("",),
                  "side": ("",), "hwtype": ("lpar",),
                  "nodetype": ("ppc,osi", "lpar,osi", "osi", "")}
_CEC_EXPECTED = {"mgt": ("hmc", ""), "cons": ("",), "hwtype": ("cec",), "nodetype": ("ppc", "")}


def is_secret(key: str) -> bool:
    """A secret is never copied into a spec, not even as a comment."""
    return "password" in key.lower()


@dataclass(frozen=True)
class Source:
    """Where an object came from: its stanza's line and the comments around it, and the
    attributes the spec has no field for, to show as comments."""

    line_no: int
    comments: tuple[str, ...]
    extra: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class ImportedLpar:
    name: str
    id: int | None
    hmc: str | None
    cec: str | None
    profile: str | None
    groups: tuple[str, ...]
    ip: str | None
    mac: str | None
    postscripts: tuple[str, ...]
    prescripts_begin: tuple[tuple[str, tuple[str, ...]], ...]
    prescripts_end: tuple[tuple[str, tuple[str, ...]], ...]
    source: Source


@dataclass(frozen=True)
class ImportedCec:
    name: str
    hmc: str | None
    mtm: str
    serial: str
    source: Source


@dataclass(frozen=True)
class ImportedHmc:
    name: str
    host: str | None
    username: str | None
    had_password: bool
    source: Source


@dataclass(frozen=True)
class ImportedNetwork:
    name: str
    net: str
    mask: str
    gateway: str | None
    domain: str | None
    source: Source


@dataclass(frozen=True)
class Inventory:
    hmcs: tuple[ImportedHmc, ...]
    cecs: tuple[ImportedCec, ...]
    lpars: tuple[ImportedLpar, ...]
    networks: tuple[ImportedNetwork, ...]
    others: tuple[tuple[str, str, Source], ...]  # (type, name, source) not understood
    comments: tuple[str, ...]
    stanza_count: int


def _kind(obj: StanzaObject) -> str:
    """hmc, cec, lpar, frame... from `hwtype`, or for old rscan output from nodetype/groups."""
    attrs = obj.attrs
    if obj.type != "node":
        return obj.type
    if attrs.get("hwtype"):
        return attrs["hwtype"]
    nodetype = set(attrs.get("nodetype", "").split(","))
    if "lpar" in nodetype or "osi" in nodetype:
        return "lpar"
    groups = set(attrs.get("groups", "").split(","))
    for kind in ("hmc", "cec", "frame", "fsp", "bpa"):
        if kind in groups or kind in nodetype:
            return kind
    return "node"


def _source(
    obj: StanzaObject, known: frozenset[str], expected: Mapping[str, tuple[str, ...]] | None = None
) -> Source:
    expected = expected or {}
    extra = [
        (key, value)
        for key, value in obj.attrs.items()
        if not is_secret(key) and (key not in known or value not in expected.get(key, (value,)))
    ]
    return Source(obj.stanza.line_no, obj.stanza.comments, tuple(extra))


def _list(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(",") if v.strip())


def _prescripts(value: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """`standalone:foo,bar|diskless:baz` -> ((standalone, (foo, bar)), (diskless, (baz,)))."""
    found = []
    for part in value.split("|"):
        kind, sep, scripts = part.partition(":")
        if sep and kind.strip():
            found.append((kind.strip(), _list(scripts)))
    return tuple(found)


def _int(value: str) -> int | None:
    return int(value) if value.strip().isdigit() and int(value) > 0 else None


def _lpar(obj: StanzaObject) -> ImportedLpar:
    a = obj.attrs
    return ImportedLpar(
        name=obj.name,
        id=_int(a.get("id", "")),
        hmc=a.get("hcp") or None,
        cec=a.get("parent") or None,
        profile=a.get("pprofile") or None,
        groups=tuple(g for g in _list(a.get("groups", "")) if g not in AUTO_GROUPS),
        ip=a.get("ip") or None,
        mac=install_mac(a.get("mac", "")) or a.get("mac") or None,  # bad: validation says
        postscripts=_list(a.get("postscripts", "")),
        prescripts_begin=_prescripts(a.get("prescripts-begin", "")),
        prescripts_end=_prescripts(a.get("prescripts-end", "")),
        source=_source(obj, _LPAR_KNOWN, _LPAR_EXPECTED),
    )


def _with_cec(lpar: ImportedLpar, cecs: tuple[ImportedCec, ...], model: str) -> ImportedLpar:
    """Old rscan output names no `parent`: the CEC is known when exactly one CEC of the same HMC
    (and, when the LPAR carries the CEC's `model`, of that model) is in the file."""
    if lpar.cec is not None:
        return lpar
    fits = [c for c in cecs if c.hmc == lpar.hmc and (not model or c.mtm == model)]
    if len(fits) != 1:
        return lpar
    return replace(lpar, cec=fits[0].name)


def _stanza_objects(text: str) -> tuple[tuple[StanzaObject, ...], tuple[str, ...], int]:
    parsed = read_stanzas(text, skip=is_trace)  # `rscan -V -z` output as saved
    stanzas: tuple[Stanza, ...] = parsed.stanzas
    return typed_objects(stanzas, default_type="node"), parsed.comments, len(stanzas)


def read_inventory(text: str) -> Inventory:
    """The inventory of a stanza file. Raises `StanzaError` (an XcloneError naming the line) on
    text that is not stanza text."""
    objects, comments, count = _stanza_objects(text)
    hmcs, cecs, lpars, networks, others = [], [], [], [], []
    models: dict[str, str] = {}
    for obj in objects:
        kind, a = _kind(obj), obj.attrs
        if kind == "lpar":
            lpars.append(_lpar(obj))
            models[obj.name] = a.get("model", "") or a.get("mtm", "")
        elif kind == "cec":
            cecs.append(ImportedCec(obj.name, a.get("hcp") or None,
                                    a.get("mtm", "") or a.get("model", ""), a.get("serial", ""),
                                    _source(obj, _CEC_KNOWN, _CEC_EXPECTED)))
        elif kind == "hmc":
            hmcs.append(ImportedHmc(obj.name, a.get("ip") or None, a.get("username") or None,
                                    any(is_secret(k) for k in a), _source(obj, _HMC_KNOWN)))
        elif kind == "network" and a.get("net") and a.get("mask"):
            networks.append(ImportedNetwork(obj.name, a["net"], a["mask"], a.get("gateway"),
                                            a.get("domain"), _source(obj, _NETWORK_KNOWN)))
        else:
            others.append((kind, obj.name, _source(obj, frozenset({"objtype"}))))
    found_cecs = tuple(cecs)
    return Inventory(
        hmcs=tuple(hmcs),
        cecs=found_cecs,
        lpars=tuple(_with_cec(lp, found_cecs, models[lp.name]) for lp in lpars),
        networks=tuple(networks),
        others=tuple(others),
        comments=comments,
        stanza_count=count,
    )


def hmc_names(inventory: Inventory) -> list[str]:
    """Every HMC the file names: its own stanzas and the LPARs' and CECs' `hcp`."""
    names: dict[str, None] = {h.name: None for h in inventory.hmcs}
    for hmc in (*(c.hmc for c in inventory.cecs), *(lp.hmc for lp in inventory.lpars)):
        if hmc:
            names.setdefault(hmc, None)
    return list(names)


def attrs_line(pairs: tuple[tuple[str, str], ...]) -> str:
    return ", ".join(f"{k}={v}" for k, v in pairs)
