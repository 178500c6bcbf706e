"""Load a spec file or directory into a resolved, checked `Spec`, or fail with every problem.

Four stages, each reporting all it finds: the limits (characters, lengths, counts; see
`limits`), the shape (pydantic on the user's YAML shape), the resolution of defaults and ranges,
then the semantic checks (`checks`, and `per_driver` for the rules of the spec's driver). A
later stage runs only when the earlier ones passed, because its messages would otherwise
describe a spec the user did not write.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from xclone.base.address import Address
from xclone.base.diagnostics import Diagnostic, Location
from xclone.base.errors import XcloneError
from xclone.base.yamlmarks import Marks
from xclone.spec.checks import check
from xclone.spec.fields import TODO
from xclone.spec.limits import PER_RULE, cap, check_document
from xclone.spec.locate import known_keys, validation_diagnostics
from xclone.spec.model import Sections, Spec
from xclone.spec.per_driver import check_driver
from xclone.spec.raw import RawSpec
from xclone.spec.resolve import LparOrigin, resolve
from xclone.spec.servers import check_servers
from xclone.spec.sources import load_sources

_KEYS = known_keys([RawSpec])


class SpecError(XcloneError):
    """An invalid spec: `count` problems found, of which `diagnostics` shows at most
    `limits.PER_RULE` per rule, in file order."""

    def __init__(self, path: Path, diagnostics: list[Diagnostic]) -> None:
        self.count = len(diagnostics)
        ordered = sorted(diagnostics, key=Diagnostic.sort_key)
        super().__init__(f"{path}: {self.count:,} error{'s' if self.count != 1 else ''}",
                         cap(ordered))


def _locations(spec: Spec, origins: dict[str, LparOrigin], marks: Marks) -> dict[str, Location]:
    found: dict[str, Location] = {}

    def put(address: str, location: Location | None) -> None:
        if location is not None:
            found.setdefault(address, location)

    put(str(Address("site", spec.cluster)),
        marks.at(("site",), key=True) or marks.at(("cluster",), key=True))
    for section, kind in (("hmcs", "hmc"), ("networks", "network"), ("osimages", "osimage"),
                          ("groups", "group")):
        for name in getattr(spec, section):
            put(str(Address(kind, name)), marks.at((section, name), key=True))
    for name, origin in origins.items():
        put(str(Address("lpar", name)), marks.at(origin.entry, key=True))
        put(str(Address("cec", spec.lpars[name].cec)), marks.at(origin.path("cec")))
    return found


LAB_KEYS = frozenset({"seed", "clock", "latency", "faults"})  # top-level keys only a lab has


def _not_a_lab_file(path: Path, data: object) -> None:
    """`xclone plan LAB --lab SPEC` (files swapped) would list a dozen schema errors about keys
    a spec never has: name the mistake instead."""
    if isinstance(data, dict) and "cluster" not in data and LAB_KEYS & set(data):
        raise XcloneError(f"{path} is a lab file, not a spec (it has "
                          f"{', '.join(sorted(LAB_KEYS & set(data)))}): give the spec first "
                          "and the lab with --lab, e.g. `xclone plan SPEC --lab LAB`")


def _placeholders(data: object, marks: Marks, at: tuple[str | int, ...] = ()) \
        -> list[Diagnostic]:
    """Every `<TODO>` that `xclone import` (--stanza or --from-nim) wrote and nobody filled,
    keys included: reported as what it is, not as a bad name or IP that would send the user to
    the rules."""
    found: list[Diagnostic] = []
    items = data.items() if isinstance(data, dict) else enumerate(data) \
        if isinstance(data, list) else ()
    for key, value in items:
        here = (*at, key)
        where = ".".join(map(str, here if key != TODO else at))
        if key == TODO:
            found.append(Diagnostic(f"{where}: a name is still the placeholder {TODO} from "
                                    "`xclone import`: fill it in",
                                    marks.at(here, key=True)))
        if value == TODO:
            found.append(Diagnostic(f"{where}: still the placeholder {TODO} from "
                                    "`xclone import`: fill it in", marks.at(here)))
        found.extend(_placeholders(value, marks, here))
    return found


def load_spec(path: str | Path) -> Spec:
    """The resolved spec at `path` (a YAML file or a directory of them).

    Raises XcloneError whose diagnostics name file, line and column for every problem found.
    """
    path = Path(path)
    try:
        data, marks = load_sources(path)
    except XcloneError as exc:
        if len(exc.diagnostics) <= PER_RULE:
            raise
        raise SpecError(path, list(exc.diagnostics)) from None
    _not_a_lab_file(path, data)
    problems = _placeholders(data, marks) or check_document(data, marks)
    if problems:
        raise SpecError(path, problems)
    cluster = data.get("cluster")
    try:
        raw = RawSpec.model_validate(data)
    except ValidationError as exc:
        found = validation_diagnostics(exc, marks, keys=_KEYS, cluster=cluster)
        raise SpecError(path, found) from None
    resolution = resolve(raw, marks)
    sections = {name: getattr(raw, name) for name in Sections.model_fields}
    spec = Spec.model_validate({**sections, "lpars": resolution.lpars})
    problems = [*resolution.diagnostics, *check(spec, resolution.origins, marks),
                *check_driver(raw, spec, resolution.origins, marks),
                *check_servers(raw, spec, resolution.origins, marks)]
    if problems:
        raise SpecError(path, problems)
    return spec.with_locations(_locations(spec, resolution.origins, marks))
