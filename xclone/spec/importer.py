"""`xclone import --stanza`: write a first spec from an `rscan -z` stanza file.

The output is meant to be read and finished by a person, so it is written as text rather than
dumped: the schema comment editors use comes first, LPARs whose names and ids count up together
become `lpar_ranges`, the stanza file's comments and the attributes the spec has no field for
stay visible as comments, and every value the file cannot tell (cluster name, management node,
networks, osimage, IP addresses) is the placeholder `<TODO>`. No name, address or host accepts
`<` or `>`, so `xclone validate` rejects each placeholder left, with its line and column.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from ipaddress import IPv4Address
from typing import Any

import yaml

from xclone.base.errors import XcloneError
from xclone.base.noderange import compact
from xclone.spec.fields import TODO as TODO  # re-exported: the importers quote it as importer.TODO
from xclone.spec.raw import SCHEMA_ID
from xclone.spec.stanza_import import (
    ImportedLpar,
    Inventory,
    Source,
    attrs_line,
    hmc_names,
    read_inventory,
)

SCHEMA_COMMENT = f"# yaml-language-server: $schema={SCHEMA_ID}"
REPLACE_TODOS = (f"# Replace every {TODO} (`xclone validate` lists each one left, with its "
                 "line), then")
_TRAILING_DIGITS = re.compile(r"^(?P<pre>.*?)(?P<num>\d+)$")
_FLOW_INDICATORS = frozenset("[]{},#")


@dataclass(frozen=True)
class ImportOptions:
    source: str = "stanza file"
    cluster: str | None = None
    management_node: str | None = None
    min_range: int = 3  # shorter runs read better as separate entries


def scalar(value: Any) -> str:
    """One YAML scalar, quoted only when YAML would read it as something else; safe inside a
    flow mapping (`{a: b}`) too."""
    if value is None or value == TODO:
        return TODO
    if isinstance(value, bool | int):
        return json.dumps(value)
    text = str(value)
    dumped = yaml.safe_dump(text, default_flow_style=True, width=10_000).strip()
    dumped = dumped.removesuffix("...").strip()
    if dumped == text and not (set(text) & _FLOW_INDICATORS) and text.strip() == text:
        return text
    return json.dumps(text)


def flow(fields: Iterable[tuple[str, Any]]) -> str:
    parts = []
    for key, value in fields:
        if isinstance(value, tuple | list):
            parts.append(f"{key}: [{', '.join(scalar(v) for v in value)}]")
        elif isinstance(value, dict):
            parts.append(f"{key}: {flow(value.items())}")
        else:
            parts.append(f"{key}: {scalar(value)}")
    return "{" + ", ".join(parts) + "}"


def env_name(hmc: str) -> str:
    base = re.sub(r"[^A-Za-z0-9]", "_", hmc).upper()
    return f"{base}_PASSWORD" if base[:1].isalpha() else f"HMC_{base}_PASSWORD"


def _name_key(name: str) -> tuple[str, int, int]:
    m = _TRAILING_DIGITS.match(name)
    if m is None or not m["pre"]:
        return (name, -1, -1)
    return (m["pre"], len(m["num"]), int(m["num"]))


def _shared(lpar: ImportedLpar) -> tuple[Any, ...]:
    return (lpar.hmc, lpar.cec, lpar.profile, lpar.groups, lpar.postscripts,
            lpar.prescripts_begin, lpar.prescripts_end)


def _follows(a: ImportedLpar, b: ImportedLpar) -> bool:
    """b can share a range with a: the next name, the next id, the next IP, the same rest."""
    ka, kb = _name_key(a.name), _name_key(b.name)
    if ka[1] < 0 or (ka[0], ka[1]) != (kb[0], kb[1]) or kb[2] != ka[2] + 1:
        return False
    if a.id is None or b.id != a.id + 1 or a.mac or b.mac or _shared(a) != _shared(b):
        return False
    if a.ip is None or b.ip is None:
        return a.ip is None and b.ip is None
    try:
        return int(IPv4Address(b.ip)) == int(IPv4Address(a.ip)) + 1
    except ValueError:
        return False


def runs(lpars: Sequence[ImportedLpar]) -> list[list[ImportedLpar]]:
    """LPARs in name order, cut into runs that one `lpar_ranges` entry can describe."""
    found: list[list[ImportedLpar]] = []
    for lpar in sorted(lpars, key=lambda lp: _name_key(lp.name)):
        if found and _follows(found[-1][-1], lpar):
            found[-1].append(lpar)
        else:
            found.append([lpar])
    return found


def _most_common(values: Iterable[Any]) -> Any:
    counted = Counter(v for v in values if v is not None)
    return counted.most_common(1)[0][0] if counted else None


def _defaults(lpars: Sequence[ImportedLpar]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key in ("hmc", "cec", "profile"):
        value = _most_common(getattr(lp, key) for lp in lpars)
        if value is not None and sum(getattr(lp, key) == value for lp in lpars) * 2 > len(lpars):
            found[key] = value
    groups = _most_common(lp.groups for lp in lpars)
    if groups:
        found["groups"] = groups
    found["osimage"] = TODO
    return found


def _shared_fields(lpar: ImportedLpar, defaults: dict[str, Any]) -> list[tuple[str, Any]]:
    fields: list[tuple[str, Any]] = []
    for key in ("hmc", "cec", "profile"):
        value = getattr(lpar, key)
        if key not in defaults or value != defaults[key]:
            fields.append((key, value))
    if lpar.groups != defaults.get("groups", ()):
        fields.append(("groups", lpar.groups))
    if lpar.postscripts:
        fields.append(("postscripts", lpar.postscripts))
    for key, value in (("prescripts_begin", lpar.prescripts_begin),
                       ("prescripts_end", lpar.prescripts_end)):
        if value:
            fields.append((key, dict(value)))
    return fields


def _source_comments(source: Source, indent: str, label: str = "") -> list[str]:
    lines = [f"{indent}{label}{c}" if label else f"{indent}{c}" for c in source.comments]
    if source.extra:
        what = f"{label}stanza line {source.line_no} also sets "
        lines.append(f"{indent}# {what}{attrs_line(source.extra)} (not in the spec)")
    return lines


def _lpar_lines(groups: list[list[ImportedLpar]], defaults: dict[str, Any]) -> list[str]:
    lines = ["lpars:" if groups else "lpars: {}"]
    for (lpar,) in groups:
        lines += _source_comments(lpar.source, "  ")
        fields: list[tuple[str, Any]] = [("id", lpar.id), ("ip", lpar.ip)]
        if lpar.mac:
            fields.append(("mac", lpar.mac))
        lines += _entry(lpar.name, [*fields, *_shared_fields(lpar, defaults)])
    return lines


def _entry(name: str, fields: list[tuple[str, Any]], width: int = 100) -> list[str]:
    """`  name: {a: 1, b: 2}` when it fits the width, else one field per line."""
    line = f"  {name}: {flow(fields)}"
    if len(line) <= width:
        return [line]
    return [f"  {name}:", *(f"    {key}: {_value(value)}" for key, value in fields)]


def _range_lines(ranges: list[list[ImportedLpar]], defaults: dict[str, Any]) -> list[str]:
    if not ranges:
        return []
    lines = ["lpar_ranges:"]
    for members in ranges:
        first = members[0]
        for lpar in members:
            lines += _source_comments(lpar.source, "  ", f"{lpar.name}: " if lpar.source.extra
                                      or lpar.source.comments else "")
        lines.append(f"  - names: {scalar(compact(lp.name for lp in members))}")
        lines.append(f"    first_id: {scalar(first.id)}")
        lines.append(f"    first_ip: {scalar(first.ip)}")
        lines += [f"    {k}: {_value(v)}" for k, v in _shared_fields(first, defaults)]
    return lines


def _value(value: Any) -> str:
    if isinstance(value, tuple | list):
        return "[" + ", ".join(scalar(v) for v in value) + "]"
    if isinstance(value, dict):
        return flow(value.items())
    return scalar(value)


def _hmc_lines(inventory: Inventory) -> list[str]:
    own = {h.name: h for h in inventory.hmcs}
    names = hmc_names(inventory)
    lines = ["hmcs:" if names else "hmcs: {}"]
    if names:
        lines.append("  # host: the name xCAT knows; use an address if it does not resolve here")
    for name in names:
        hmc = own.get(name)
        if hmc is not None:
            lines += _source_comments(hmc.source, "  ")
            if hmc.had_password:
                lines.append(f"  # the stanza's password was not copied: export {env_name(name)}")
        host = hmc.host if hmc is not None and hmc.host else name
        user = hmc.username if hmc is not None and hmc.username else "hscroot"
        fields = [("host", host), ("username", user), ("password", {"env": env_name(name)})]
        lines.append(f"  {name}: {flow(fields)}")
    return lines


def _network_lines(inventory: Inventory) -> list[str]:
    lines = ["networks:"]
    if not inventory.networks:
        lines.append("  # TODO: the install network(s) holding the LPARs' IPs (xCAT and NIM)")
        lines.append(f"  {TODO}: {{net: {TODO}, mask: {TODO}, gateway: {TODO}}}")
    for net in inventory.networks:
        lines += _source_comments(net.source, "  ")
        fields: list[tuple[str, Any]] = [("net", net.net), ("mask", net.mask)]
        fields += [(k, v) for k, v in (("gateway", net.gateway), ("domain", net.domain)) if v]
        lines.append(f"  {net.name}: {flow(fields)}")
    return lines


def _hardware_comments(inventory: Inventory) -> list[str]:
    lines: list[str] = []
    if inventory.cecs:
        lines.append("# CECs in the stanza file; xclone reads type-model and serial from the HMC")
        lines.append("# and never defines hardware the HMC does not show:")
        for cec in inventory.cecs:
            lines += _source_comments(cec.source, "#   ")
            lines.append(f"#   {cec.name}: hmc {cec.hmc or '?'}, mtm {cec.mtm or '?'}, "
                         f"serial {cec.serial or '?'}")
    for kind, name, source in inventory.others:
        lines.append(f"# not imported ({kind}, stanza line {source.line_no}): {name}"
                     + (f": {attrs_line(source.extra)}" if source.extra else ""))
    return lines


# What the header says to do before the first plan, beside replacing the placeholders.
_ADVICE = (
    "# adopt what already exists with `xclone import THIS_FILE --all` before the first plan.",
    "# The golden node an osimage is made from must not be installed from that osimage:",
    "# give it `state: defined` (or drop it) if it is one of the LPARs below.",
)


def _header(inventory: Inventory, options: ImportOptions) -> list[str]:
    cecs = {lp.cec for lp in inventory.lpars if lp.cec} | {c.name for c in inventory.cecs}
    counts = (count(len(inventory.lpars), "LPAR"), count(len(cecs), "CEC"),
              count(len(hmc_names(inventory)), "HMC"))
    return header(
        f"# Imported with `xclone import --stanza` from {options.source}: "
        f"{counts[0]} on {counts[1]} of {counts[2]}.",
        _ADVICE, "Comments of the stanza file", [c.lstrip("#").strip() for c in inventory.comments])


def header(imported: str, advice: Sequence[str], title: str, notes: Sequence[str]) -> list[str]:
    """An imported spec's first comment lines: the schema, where it was imported from, what to
    do before the first plan, and `title` over `notes` (what the source said, or what was left
    out) when there are any."""
    lines = [SCHEMA_COMMENT, imported, REPLACE_TODOS, *advice]
    if notes:
        lines.append(f"# {title}:")
        lines += [f"#   {note}" for note in notes]
    return lines


def count(n: int, what: str) -> str:
    """`1 LPAR`, `2 LPARs`: a count in an imported spec's header."""
    return f"{n} {what}{'' if n == 1 else 's'}"


def render_spec(inventory: Inventory, options: ImportOptions) -> str:
    """The spec text for `inventory`; valid once every `<TODO>` is replaced."""
    defaults = _defaults(inventory.lpars)
    groups = sorted({g for lp in inventory.lpars for g in lp.groups})
    cut = runs(inventory.lpars)
    ranges = [r for r in cut if len(r) >= options.min_range]
    singles = [[lp] for r in cut if len(r) < options.min_range for lp in r]
    mn = options.management_node or TODO
    lines = [
        *_header(inventory, options),
        "version: 1",
        f"cluster: {scalar(options.cluster or TODO)}",
        f"management_node: {flow([('host', mn), ('user', 'root')])}",
        *_hmc_lines(inventory),
        *_network_lines(inventory),
        "osimages:",
        "  # TODO: the osimage to install, made by mknimimage from a mksysb of a NIM client;",
        "  # an LPAR already installed from an osimage of this name is never reinstalled.",
        f"  {TODO}: {{source_node: {TODO}, spot: {TODO}}}",
        f"groups: {{{', '.join(f'{scalar(g)}: {{}}' for g in groups)}}}",
        *_hardware_comments(inventory),
        f"lpar_defaults: {flow(defaults.items())}",
        *_lpar_lines(singles, defaults),
        *_range_lines(ranges, defaults),
    ]
    return "\n".join(lines) + "\n"


def import_stanzas(text: str, options: ImportOptions | None = None) -> str:
    """The spec text for an `rscan -z` stanza file's text. Raises StanzaError (an XcloneError
    naming the line) when the text is not stanza text."""
    inventory = read_inventory(text)
    if not inventory.stanza_count:
        raise XcloneError("no object stanzas found: expected the output of `rscan -z HMC` "
                          "(or `lsdef -z`)")
    return render_spec(inventory, options or ImportOptions())
