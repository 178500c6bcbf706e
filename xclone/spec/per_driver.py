"""The rules that depend on the spec's driver: fields only one driver reads, and NIM's own limits.

A field one driver cannot honour is an error under the other, located where it is written, so a
spec never carries a setting that silently does nothing. Under `driver: nim` every name that
becomes a NIM object must also be a valid NIM name: IBM AIX, "Naming NIM object definitions"
(ssw_aix_72/install/addl_name_reqmnts.html): 1 to 39 characters, letters, digits, `-`, `_` (and
`!`, which a shell would read), never `.` nor any shell, file-system or regular-expression
metacharacter. The spec's own name rule already refuses the rest, so under nim that leaves the
dot and the length.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pydantic import BaseModel

from xclone.base.diagnostics import Diagnostic
from xclone.base.names import NIM_NAME_MAX
from xclone.base.yamlmarks import Marks, Path
from xclone.spec.locate import address_for
from xclone.spec.model import Spec
from xclone.spec.raw import RawSpec
from xclone.spec.resolve import LparOrigin

# The resources the NIM driver makes for an osimage are named `<image>_mksysb`, `<image>_spot`
# and `<image>_bid` (xclone/drivers/nim/resources/common.py): with the longest suffix the name
# must still fit NIM's 39 characters.
NIM_IMAGE_SUFFIXES = ("_mksysb", "_spot", "_bid")
NIM_IMAGE_NAME_MAX = NIM_NAME_MAX - max(map(len, NIM_IMAGE_SUFFIXES))

# Fields only one driver reads; an osimage's nim-only field -> a hint for xcat users.
_NIM_ONLY_IMAGE = {"location": "", "bosinst_data": "; under xcat, name it in resources: "
                                                   "{bosinst_data: NAME}"}
_NIM_ONLY_MN = ("resource_dir", "scripts_dir")
_XCAT_ONLY_SITE = ("ppctimeout", "domain", "attributes")
_NIM_ONLY_LPAR = ("firstboot_scripts",)  # NIM's fb_script; xCAT 2.9 has no first-boot hook


def _lpar_entries(raw: RawSpec) -> list[tuple[Path, BaseModel]]:
    """Where LPAR fields are written: lpar_defaults, each LPAR, each range."""
    entries: list[tuple[Path, BaseModel]] = [(("lpar_defaults",), raw.lpar_defaults)]
    entries += [(("lpars", name), entry) for name, entry in raw.lpars.items()]
    entries += [(("lpar_ranges", i), entry) for i, entry in enumerate(raw.lpar_ranges)]
    return entries


def _set(model: BaseModel, names: Iterable[str]) -> Iterator[str]:
    """The fields of `names` the user wrote in `model` (defaults do not count)."""
    return (name for name in names if name in model.model_fields_set)


def nim_name_problem(name: str, what: str, max_length: int = NIM_NAME_MAX) -> str | None:
    """Why `name` (already a valid spec name) cannot be a NIM object name, or None."""
    if "." in name:
        return (f"{what} {name!r} contains '.', which NIM object names cannot hold "
                "(letters, digits, '-' and '_')")
    if len(name) > max_length:
        return (f"{what} {name!r} is {len(name)} characters long; under driver: nim at most "
                f"{max_length} are allowed")
    return None


class _Rules:
    def __init__(self, raw: RawSpec, spec: Spec, origins: dict[str, LparOrigin],
                 marks: Marks) -> None:
        self.raw, self.spec, self.origins, self.marks = raw, spec, origins, marks
        self.errors: list[Diagnostic] = []
        self.reported: set[tuple[Path, str]] = set()

    def error(self, path: Path, message: str, *, key: bool = True) -> None:
        """One error per place and message (a range's shared value is reported once)."""
        if (path, message) in self.reported:
            return
        self.reported.add((path, message))
        address = address_for(path, self.spec.cluster)
        self.errors.append(Diagnostic(message, self.marks.at(path, key=key), address))

    def refuse(self, path: Path, owner: str, hint: str = "") -> None:
        field = str(path[-1])
        self.error(path, f"{field}: only the {owner} driver reads it (this spec's driver is "
                         f"{self.spec.driver}){hint}")

    def run(self) -> list[Diagnostic]:
        if self.spec.driver == "nim":
            self.nim_fields()
            self.nim_names()
            self.nim_passwords()
        else:
            self.xcat_fields()
        return self.errors

    def xcat_fields(self) -> None:
        raw = self.raw
        if "netboot" in raw.model_fields_set:
            self.refuse(("netboot",), "nim")
        for field in _set(raw.management_node, _NIM_ONLY_MN):
            self.refuse(("management_node", field), "nim")
        for name, server in raw.install_servers.items():  # xCAT service nodes
            for field in _set(server, _NIM_ONLY_MN):
                self.refuse(("install_servers", name, field), "nim")
        for name, image in raw.osimages.items():
            for field in _set(image, _NIM_ONLY_IMAGE):
                self.refuse(("osimages", name, field), "nim", _NIM_ONLY_IMAGE[field])
            if image.source_node is None:
                self.error(("osimages", name), "source_node is required: the xcat driver makes "
                                               "the image with mknimimage from a NIM client")
        for name, group in raw.groups.items():
            for field in _set(group, _NIM_ONLY_LPAR):
                self.refuse(("groups", name, field), "nim")
        for base, entry in _lpar_entries(raw):
            for field in _set(entry, _NIM_ONLY_LPAR):
                self.refuse((*base, field), "nim")
        for name, lpar in self.spec.lpars.items():
            if lpar.hardware == "blade" and lpar.mac is None and lpar.state != "absent":
                # getmacs -D reads the MAC through the HMC's console; rbootseq reads it from
                # xCAT's mac table (xCAT 2.9.2 FSPbootseq.pm: "No mac address in mac table").
                self.error(self.origins[name].path("hardware"),
                           f"{name}: a Flex blade (hardware: blade) needs mac: xclone discovers "
                           "MACs with getmacs -D through an HMC console, and rbootseq boots "
                           "the MAC xCAT holds")

    def nim_fields(self) -> None:
        raw = self.raw
        for field in _set(raw.site, _XCAT_ONLY_SITE):
            self.refuse(("site", field), "xcat")
        for base, entry in _lpar_entries(raw):
            for field in _set(entry, ("prescripts_begin", "prescripts_end")):
                if "diskless" in (getattr(entry, field) or {}):
                    # NIM machines here are standalone: a diskless list would never run.
                    self.error((*base, field, "diskless"), f"{field}.diskless: the nim driver "
                               "installs standalone machines only; list the scripts under "
                               "standalone")
            if getattr(entry, "install_adapter", None) == "hfi":
                # lpar_netboot boots the Ethernet adapters lshwres lists; an HFI adapter of a
                # Power 775 is read and booted through xCAT's DFM (FSPmac.pm lpar_hfi_mac).
                self.error((*base, "install_adapter"), "install_adapter: hfi: the nim driver "
                           "has no HFI install path (it reads MACs with lshwres and boots "
                           "Ethernet adapters with lpar_netboot); use driver: xcat")
        self.firstboot()
        for name, image in raw.osimages.items():
            if (image.source_node is None) == (image.location is None):
                both = "not both" if image.location else "neither is given"
                self.error(("osimages", name), f"an osimage needs exactly one of source_node "
                           f"(a NIM client to back up) and location (an existing mksysb file): "
                           f"{both}")
            if "bosinst_data" in image.resources:
                self.error(("osimages", name, "resources", "bosinst_data"),
                           f"resources.bosinst_data: under driver: nim name it as "
                           f"osimages.{name}.bosinst_data (it replaces the generated one)")

    def firstboot(self) -> None:
        """NIM allocates one fb_script to a bos_inst (IBM "Using the fb_script resource": its
        content becomes the client's /etc/firstboot; `-a fb_script=NAME` once), and a NIM
        resource has one type: a name cannot be a postscript (script) and a first-boot one."""
        for name, lpar in self.spec.lpars.items():
            if lpar.state == "absent":
                continue
            groups = [s for g in lpar.groups for s in self.spec.groups[g].firstboot_scripts]
            scripts = tuple(dict.fromkeys([*groups, *lpar.firstboot_scripts]))
            where = self.origins[name].path("firstboot_scripts")
            if len(scripts) > 1:
                self.error(where, f"{name}: {len(scripts)} first-boot scripts "
                           f"({', '.join(scripts)}) from its groups and its own list: NIM "
                           "allocates one fb_script per install; join them into one script",
                           key=False)
            posts = {s for g in lpar.groups for s in self.spec.groups[g].postscripts}
            both = sorted(set(scripts) & (posts | set(lpar.postscripts)))
            if both:
                self.error(where, f"{name}: {', '.join(both)} is both a postscript and a "
                           "first-boot script: NIM resource names are unique (script or "
                           "fb_script, not both)", key=False)

    def nim_names(self) -> None:
        """Every spec name the NIM driver turns into (or looks up as) a NIM object name."""
        spec = self.spec
        for name in spec.networks:
            self.name(("networks", name), name, "network name")
        for name, image in spec.osimages.items():
            self.name(("osimages", name), name, "osimage name", NIM_IMAGE_NAME_MAX)
            where: Path = ("osimages", name)
            for field, value in (("source_node", image.source_node),
                                 ("bosinst_data", image.bosinst_data),
                                 ("spot", None if image.creates_spot else image.spot)):
                if isinstance(value, str):
                    self.name((*where, field), value, field, key=False)
            for kind, value in image.resources.items():
                self.name((*where, "resources", kind), value, f"{kind} resource", key=False)
        for name, group in spec.groups.items():
            for index, script in enumerate(group.postscripts):
                self.name(("groups", name, "postscripts", index), script, "postscript",
                          key=False)
            for index, script in enumerate(group.firstboot_scripts):
                self.name(("groups", name, "firstboot_scripts", index), script,
                          "first-boot script", key=False)
        flagged: set[Path] = set()  # ranges already reported: once each, not once per LPAR
        for name, lpar in spec.lpars.items():
            origin = self.origins[name]
            if origin.entry[0] == "lpar_ranges":
                if origin.entry not in flagged and self.name(
                        (*origin.entry, "names"), name, "LPAR name", key=False):
                    flagged.add(origin.entry)
            else:
                self.name(origin.entry, name, "LPAR name")
            for index, script in enumerate(lpar.postscripts):
                self.name((*origin.path("postscripts"), index), script, "postscript", key=False)
            for index, script in enumerate(lpar.firstboot_scripts):
                self.name((*origin.path("firstboot_scripts"), index), script,
                          "first-boot script", key=False)
        if spec.netboot == "nim":
            for name in spec.hmcs:
                self.name(("hmcs", name), name, "HMC name")
            for name, origin in ((lpar.cec, self.origins[lpar.name])
                                 for lpar in spec.lpars.values()):
                self.name(origin.path("cec"), name, "CEC name", key=False)

    def name(self, path: Path, name: str, what: str, max_length: int = NIM_NAME_MAX, *,
             key: bool = True) -> bool:
        """Report `name` when NIM cannot take it; True when it was reported."""
        problem = nim_name_problem(name, what, max_length)
        if problem:
            self.error(path, problem, key=key)
        return problem is not None

    def nim_passwords(self) -> None:
        """netboot: nim has NIM boot the LPARs through the HMC with a password file (dpasswd)
        it makes from the HMC's password: each HMC needs a reference to one."""
        if self.spec.netboot != "nim":
            return
        for name, hmc in self.spec.hmcs.items():
            if hmc.password is None:
                self.error(("hmcs", name), f"netboot: nim needs hmcs.{name}.password (NIM keeps "
                           "the HMC password in a dpasswd file); give {env: NAME} or {file: PATH}")


def check_driver(raw: RawSpec, spec: Spec, origins: dict[str, LparOrigin],
                 marks: Marks) -> list[Diagnostic]:
    """Every driver-dependent problem in the spec, each located where it is written."""
    return _Rules(raw, spec, origins, marks).run()

