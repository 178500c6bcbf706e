"""The spec as the user writes it: LPAR entries with optional fields, defaults and ranges.

Kept apart from the resolved `Spec` because this is the shape the JSON Schema publishes to
editors, while the planner only ever sees resolved LPARs.
"""

from __future__ import annotations

from ipaddress import IPv4Address

from pydantic import BaseModel, Field

from xclone.spec.fields import MAX_LPAR_ID, LparName, PrescriptKind, XcatName
from xclone.spec.interfaces import INTERFACES_HELP, Interfaces
from xclone.spec.model import (
    BASE_ONLY,
    BUILT,
    HARDWARE_HELP,
    INSTALL_ADAPTER_HELP,
    Hardware,
    IgnoreChanges,
    InstallAdapter,
    LparState,
    Scripts,
    Sections,
)

# The `$id` of this shape's published JSON Schema (spec/schema.py), kept here so that modules
# quoting it (the importer's first line) need not import the generator: `python -m
# xclone.spec.schema` then runs a module the package has not loaded yet, and Python warns of it.
SCHEMA_ID = "https://xclone.dev/schemas/cluster.schema.json"


class SharedLparFields(BaseModel):
    """LPAR fields that may be shared: in lpar_defaults, a range, or one LPAR entry."""

    model_config = BASE_ONLY

    hmc: XcatName | None = Field(None, description="Name of the HMC (under hmcs) managing its CEC.")
    cec: XcatName | None = Field(None, description="Managed system (CEC) the partition lives on.")
    profile: XcatName | None = Field(None, description="HMC partition profile used to boot it.")
    network: XcatName | None = Field(
        None, description="Network (under networks) holding ip; default: the one containing ip."
    )
    osimage: XcatName | None = Field(None, description="Osimage (under osimages) to install.")
    groups: tuple[XcatName, ...] | None = Field(None, description="xCAT groups it belongs to.")
    postscripts: Scripts | None = Field(None, description="Its own postscripts, after its groups'.")
    firstboot_scripts: Scripts | None = Field(
        None, description="driver: nim only. Its own first-boot script (a NIM fb_script "
        "resource), beside its groups'; at most one in all.")
    prescripts_begin: dict[PrescriptKind, Scripts] | None = Field(
        None, description="Scripts the management node (NIM master) runs before install, by "
        "kind (standalone or diskless; nim: standalone only)."
    )
    prescripts_end: dict[PrescriptKind, Scripts] | None = Field(
        None, description="Scripts the management node (NIM master) runs after install, by "
        "kind (standalone or diskless; nim: standalone only)."
    )
    state: LparState | None = Field(
        None, description="installed (default), defined (xCAT + NIM definitions only) or absent."
    )
    hardware: Hardware | None = Field(None, description=HARDWARE_HELP)
    install_adapter: InstallAdapter | None = Field(None, description=INSTALL_ADAPTER_HELP)
    install_server: XcatName | None = Field(
        None, description="The server installing it (a name under install_servers, or "
        "management_node's name; under xcat its service node); default: the one serving its "
        "network.")
    protect: bool | None = Field(
        None, description="Never reinstall, power off or remove it (default false)."
    )
    ignore_changes: IgnoreChanges | None = Field(
        None, description="Attributes whose drift `xclone drift` does not report (names as "
        "drift prints them, e.g. postscripts, mac); an LPAR's own list replaces the defaults'."
    )


class LparDefaults(SharedLparFields):
    """Values every LPAR and range takes for the fields it does not set itself."""

    model_config = BUILT


class LparEntry(SharedLparFields):
    """One LPAR under lpars; unset fields come from lpar_defaults."""

    model_config = BUILT

    id: int | None = Field(None, ge=1, le=MAX_LPAR_ID,
                           description="Partition id on the managed system.")
    ip: IPv4Address | None = Field(None, description="Install and management IPv4 address.")
    mac: str | None = Field(
        None, description="Install adapter MAC (12 hex digits, colons allowed); else getmacs."
    )
    interfaces: Interfaces | None = Field(None, description=INTERFACES_HELP)


class LparRange(SharedLparFields):
    """Many LPARs at once: names from an xCAT noderange, ids and IPs counting up."""

    model_config = BUILT

    names: str = Field(description="xCAT noderange, e.g. node[03-64] or node03-node64.")
    first_id: int = Field(ge=1, le=MAX_LPAR_ID,
                          description="Partition id of the first name; +1 for each next.")
    first_ip: IPv4Address | None = Field(
        None, description="IPv4 address of the first name; +1 for each next."
    )


class RawSpec(Sections):
    """An xclone cluster spec: the desired state of one xCAT/NIM cluster and its LPARs."""

    model_config = BUILT

    lpar_defaults: LparDefaults = Field(
        default_factory=LparDefaults, description="Defaults for every LPAR and range."
    )
    lpars: dict[LparName, LparEntry] = Field(default_factory=dict, description="LPARs by name.")
    lpar_ranges: tuple[LparRange, ...] = Field((), description="Groups of similar LPARs.")
