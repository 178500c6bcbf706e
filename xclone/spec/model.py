"""The resolved cluster spec: the desired state the planner compares with the observed cluster.

Every model is frozen and rejects unknown keys, so a typo in the YAML is an error instead of a
silently ignored setting, and nothing downstream can edit the desired state by accident. The
field descriptions are the help text editors show (they end up in the published JSON Schema).
"""

from __future__ import annotations

import ipaddress
from ipaddress import IPv4Address
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    Tag,
    field_validator,
    model_validator,
)

from xclone.base.diagnostics import Location
from xclone.base.mac import canonical_mac
from xclone.base.secret import SecretRef
from xclone.spec.fields import (
    MAX_LPAR_ID,
    AbsolutePath,
    EnvName,
    HostName,
    LparName,
    PrescriptKind,
    ResourceType,
    XcatName,
    field_error,
)
from xclone.spec.interfaces import INTERFACES_HELP, Interfaces

LparState = Literal["installed", "defined", "absent"]
# How the partition is network-booted: an HMC-managed LPAR (rnetboot), or a Flex POWER blade that
# xCAT drives through its service processor (rbootseq + rpower: drivers/xcat/resources/blade.py).
Hardware = Literal["lpar", "blade"]
HARDWARE_HELP = ("lpar (default; HMC-managed) or blade (a Flex POWER node under a CMM: the xcat "
                 "driver boots it with rbootseq NODES net and rpower, and needs mac:)")
# The install adapter's kind: Ethernet (xCAT reads its MAC with getmacs -D, a ping test through
# Open Firmware), or a Power 775 HFI adapter (hfi-ent: plain getmacs reads it from the service
# processor; drivers/xcat/resources/adapters.py).
InstallAdapter = Literal["ent", "hfi"]
INSTALL_ADAPTER_HELP = ("ent (default; Ethernet: the xcat driver reads its MAC with getmacs -D) "
                        "or hfi (a Power 775 HFI adapter, xCAT DFM: plain getmacs; xcat driver "
                        "only)")
Netboot = Literal["hmc", "nim"]
Scripts = tuple[XcatName, ...]

DEFAULT_RESOURCE_DIR = "/export/nim"
# Not /export/nim/scripts: NIM keeps its nim_script resource there ("Using a script resource")
DEFAULT_SCRIPTS_DIR = "/export/nim/script_res"


def _unset(value: object) -> bool:
    return value is None

IgnoreChanges = tuple[str, ...]
# Attribute names as `xclone drift` prints them; drift reports only (plan still converges them).
_IGNORE = ("Attributes whose drift `xclone drift` does not report (names as drift prints them, "
           "e.g. postscripts, mac).")

_FROZEN = ConfigDict(extra="forbid", frozen=True)
_SPOT_SHAPE = "spot must be the name of an existing NIM SPOT or {create: true}"
_LITERAL_PASSWORD = "password must be a reference {env: NAME} or {file: PATH}, never a literal"


class SecretReference(BaseModel):
    """Where a secret is read from when a connection is made; the spec never holds the value."""

    model_config = _FROZEN

    env: EnvName | None = Field(None, description="Environment variable holding the secret.")
    file: str | None = Field(
        None, min_length=1, description="File whose content (without the final newline) is it."
    )

    @model_validator(mode="after")
    def _exactly_one(self) -> SecretReference:
        if (self.env is None) == (self.file is None):
            raise ValueError("a secret reference needs exactly one of env or file")
        return self

    def ref(self) -> SecretRef:
        return SecretRef(env=self.env, file=self.file)


class ManagementNode(BaseModel):
    """The xCAT management node, which is also the NIM master (driver: nim: the NIM master
    alone); reached over SSH."""

    model_config = _FROZEN

    host: HostName = Field(description="Host name or IPv4 address to connect to over SSH.")
    user: XcatName = Field("root", description="SSH user; xCAT commands need root.")
    port: int = Field(22, ge=1, le=65535, description="SSH port.")
    name: XcatName | None = Field(
        None, description="Its xCAT name (AIX plugin message prefix); default: host's first label."
    )
    max_sessions: int = Field(10, ge=1, description="Most commands run on it at the same time.")
    # Left out of dumps (the spec digest) at their defaults, so xcat specs digest as before.
    resource_dir: AbsolutePath = Field(
        DEFAULT_RESOURCE_DIR, exclude_if=lambda v: v == DEFAULT_RESOURCE_DIR,
        description="driver: nim only. Directory on the NIM master for the files of the "
        "resources xclone makes (mksysb/, spot/, bosinst/ below it).")
    scripts_dir: AbsolutePath = Field(
        DEFAULT_SCRIPTS_DIR, exclude_if=lambda v: v == DEFAULT_SCRIPTS_DIR,
        description="driver: nim only. Directory on the NIM master holding the postscript "
        "files, one per script name, defined as NIM script resources.")
    addresses: dict[XcatName, IPv4Address] = Field(
        default_factory=dict, exclude_if=lambda v: not v,
        description="The master's own address on each spec network it is connected to "
        "(network name -> IPv4). NIM gets an interface (if<N>) on those networks; a network "
        "the master is not on is reached through routes via its gateway. xcat: a service "
        "node's address on a network it serves is its nodes' xcatmaster.")

    max_installs: int | None = Field(
        None, ge=1, exclude_if=_unset,
        description="Stage this server's installs in waves of at most this many LPARs, each "
        "wave booted when the one before has installed (default: one wave under nim; 150 for "
        "an xCAT service node). xCAT's planning figure: one server handles about 150 AIX "
        "nodes, about twice that when node deployment is staged. The xcat driver reads it "
        "on install_servers only.")

    @property
    def xcat_name(self) -> str:
        return self.name or self.host.split(".", 1)[0]


class InstallServer(ManagementNode):
    """Another install server, serving the LPARs of its own networks with its own copy of each
    image: under nim a NIM master (the image copied from the management node, the primary
    master); under xcat a service node, an xCAT node in group service that is its nodes' NIM
    master (nimnodeset copies the image to it)."""

    networks: tuple[XcatName, ...] = Field(
        min_length=1, description="Networks (under networks) whose LPARs it installs.")


class Timeouts(BaseModel):
    """How long apply waits for each kind of long operation before it gives up, in seconds."""

    model_config = _FROZEN

    command: int = Field(600, gt=0, description="Any single command.")
    mksysb: int = Field(7200, gt=0, description="Creating the mksysb backup of the source node.")
    install: int = Field(5400, gt=0, description="A whole network install (bos_inst), end to end.")
    install_stall: int = Field(
        1200, gt=0, description="An install whose NIM info/Cstate does not change for this long."
    )
    power: int = Field(600, gt=0, description="An LPAR reaching the requested power state.")


class Preflight(BaseModel):
    """The checks before anything changes (root's file size limit, free space for the
    mksysb images), and what the plan may fix by itself."""

    model_config = _FROZEN

    fix_fsize: bool = Field(
        False, description="Plan `chuser fsize=-1 root` on the master (driver: xcat, also "
        "`xdsh NODE chuser fsize=-1 root` on a golden node) when root's file size limit there "
        "is too small for a mksysb image, instead of failing the plan.")
    mksysb_gb: float = Field(
        2.0, gt=0, description="Space one mksysb image needs, in GB (the runbook: 1 to 2 GB "
        "each); the plan needs it free for every image it creates.")


class Site(BaseModel):
    """Cluster-wide xCAT site settings (driver: xcat only) and apply's timeouts (both)."""

    model_config = _FROZEN

    ppctimeout: int | None = Field(
        None, gt=0,
        description="driver: xcat only. xCAT site ppctimeout: seconds xCAT waits for the HMC."
    )
    domain: HostName | None = Field(
        None, description="driver: xcat only. xCAT site domain, used by makehosts.")
    attributes: dict[XcatName, str] = Field(
        default_factory=dict,
        description="driver: xcat only. Other xCAT site keys to set, key -> value."
    )
    timeouts: Timeouts = Field(default_factory=Timeouts, description="Apply's waiting limits.")
    preflight: Preflight = Field(
        default_factory=Preflight, exclude_if=lambda v: v == Preflight(),
        description="Checks before anything changes (both drivers).")

    @field_validator("attributes")
    @classmethod
    def _not_modelled(cls, value: dict[str, str]) -> dict[str, str]:
        for key in ("ppctimeout", "domain"):
            if key in value:
                raise ValueError(f"set site.{key} directly, not under site.attributes")
        return value


class Hmc(BaseModel):
    """A Hardware Management Console that manages the CECs the LPARs live on."""

    model_config = _FROZEN

    host: HostName = Field(description="Host name or IPv4 address to connect to over SSH.")
    username: XcatName = Field("hscroot", description="HMC user.")
    password: SecretReference | None = Field(
        None, description="Password reference ({env: NAME} or {file: PATH}); none: key auth."
    )
    port: int = Field(22, ge=1, le=65535, description="SSH port.")
    max_sessions: int = Field(8, ge=1, description="Most commands run on it at the same time.")
    service_node: XcatName | None = Field(
        None, exclude_if=_unset, description="driver: xcat only. The service node (a key of "
        "install_servers) that controls this HMC: xCAT sends getmacs, rnetboot and rpower of its "
        "nodes there (the HMC node's servicenode attribute), each SN forking its own ppcmaxp.")

    @field_validator("password", mode="before")
    @classmethod
    def _no_literal(cls, value: Any) -> Any:
        if isinstance(value, str | int | float):
            raise ValueError(_LITERAL_PASSWORD)
        return value


class Network(BaseModel):
    """An IPv4 network the LPARs install over: becomes an xCAT network and a NIM network."""

    model_config = _FROZEN

    net: IPv4Address = Field(description="Network address, e.g. 9.114.113.224.")
    mask: IPv4Address = Field(description="Netmask in dotted form, e.g. 255.255.255.224.")
    gateway: IPv4Address | None = Field(None, description="Default gateway, inside the network.")
    domain: HostName | None = Field(None, description="DNS domain of hosts on this network.")
    nameservers: tuple[IPv4Address, ...] = Field((), description="DNS servers for the hosts.")
    ignore_changes: IgnoreChanges = Field((), description=_IGNORE)

    @field_validator("mask")
    @classmethod
    def _contiguous(cls, value: IPv4Address) -> IPv4Address:
        bits = int(value)
        host_bits = ~bits & 0xFFFFFFFF
        if host_bits & (host_bits + 1):
            raise ValueError(f"mask {value} is not contiguous (ones must all come first)")
        return value

    @model_validator(mode="after")
    def _inside(self) -> Network:
        try:
            network = ipaddress.IPv4Network((self.net, self.prefix))
        except ValueError:
            raise field_error(
                "net", f"net {self.net} has host bits set for mask {self.mask}"
            ) from None
        if self.gateway is not None and self.gateway not in network:
            raise field_error("gateway", f"gateway {self.gateway} is outside {network}")
        return self

    @property
    def prefix(self) -> int:
        return bin(int(self.mask)).count("1")

    @property
    def network(self) -> ipaddress.IPv4Network:
        return ipaddress.IPv4Network((self.net, self.prefix))


class NewSpot(BaseModel):
    """A SPOT mknimimage builds from the image's mksysb, named after the osimage."""

    # Without `spot=`, mknimimage defines the SPOT from `<image>_mksysb` under the osimage's own
    # name (xCAT 2.9.2 aixinstall.pm `mk_spot`); with `spot=NAME` it only records NAME.

    model_config = _FROZEN

    create: Literal[True] = Field(
        description="Must be true: build the SPOT, mark it and remove it with the osimage."
    )


def _spot_kind(value: Any) -> str:
    return "create" if isinstance(value, dict | NewSpot) else "name"


# Tagged so a bad value gets the message of the shape it was meant as, not one per shape.
SpotField = Annotated[
    Annotated[XcatName, Tag("name")] | Annotated[NewSpot, Tag("create")],
    Discriminator(_spot_kind),
]


class Osimage(BaseModel):
    """An image to install: a mksysb backup of an existing NIM client (xcat: an xCAT osimage
    built with mknimimage; nim: NIM mksysb, SPOT and bosinst_data resources), or under driver:
    nim an existing mksysb file."""

    model_config = _FROZEN

    method: Literal["mksysb"] = Field("mksysb", description="How the image is made (mksysb only).")
    source_node: XcatName | None = Field(
        None, description="Existing NIM client backed up with mksysb. Required under driver: "
        "xcat; under driver: nim exactly one of source_node and location.")
    location: AbsolutePath | None = Field(
        None, exclude_if=_unset, description="driver: nim only. Absolute path on the NIM master "
        "of an existing mksysb file, used instead of backing up source_node.")
    bosinst_data: XcatName | None = Field(
        None, exclude_if=_unset, description="driver: nim only. Name of an existing NIM "
        "bosinst_data resource to install with, instead of the one xclone generates.")
    spot: SpotField = Field(
        description="Name of an existing NIM SPOT resource, or {create: true} to have mknimimage "
        "build one from the mksysb (named after the osimage; xclone owns and removes it)."
    )
    resources: dict[ResourceType, XcatName] = Field(
        default_factory=dict,
        description="Other NIM resources for bos_inst: resource type -> NIM resource name.",
    )
    ignore_changes: IgnoreChanges = Field((), description=_IGNORE)

    @field_validator("method", mode="before")
    @classmethod
    def _mksysb_only(cls, value: Any) -> Any:
        if value != "mksysb":
            raise ValueError(f"only method 'mksysb' is supported, not {value!r}")
        return value

    @field_validator("spot", mode="before")
    @classmethod
    def _spot_shape(cls, value: Any) -> Any:
        """One message for both shapes, instead of one per branch of the union."""
        if isinstance(value, dict) and value != {"create": True} or not isinstance(
                value, dict | str | NewSpot):
            raise ValueError(_SPOT_SHAPE)
        return value

    @property
    def creates_spot(self) -> bool:
        return isinstance(self.spot, NewSpot)

    def spot_name(self, image: str) -> str:
        """The SPOT the image installs with: the named one, or the one mknimimage builds."""
        return image if isinstance(self.spot, NewSpot) else self.spot


class Group(BaseModel):
    """An xCAT node group; its postscripts run on every member after install."""

    model_config = _FROZEN

    postscripts: Scripts = Field((), description="Postscripts every member runs, in order.")
    firstboot_scripts: Scripts = Field(
        (), exclude_if=lambda v: not v,  # digests of specs without it stay as they were
        description="driver: nim only. A script every member runs at its first boot after "
        "the install (a NIM fb_script resource; at most one per LPAR).")
    ignore_changes: IgnoreChanges = Field((), description=_IGNORE)


class Lpar(BaseModel):
    """One LPAR after defaults and ranges are applied: what xCAT, NIM and the HMC should show."""

    model_config = _FROZEN

    name: LparName = Field(description="xCAT node name, also the NIM machine name.")
    hmc: XcatName = Field(description="Name of the HMC (under hmcs) managing its CEC.")
    cec: XcatName = Field(description="Managed system (CEC) the partition lives on.")
    id: int = Field(ge=1, le=MAX_LPAR_ID, description="Partition id on the managed system.")
    profile: XcatName = Field(description="HMC partition profile used to boot it.")
    ip: IPv4Address | None = Field(None, description="Install and management IPv4 address.")
    network: XcatName | None = Field(None, description="Network (under networks) holding ip.")
    mac: str | None = Field(
        None, description="Install adapter MAC; else read: getmacs (xcat), lshwres (nim).")
    osimage: XcatName | None = Field(None, description="Osimage (under osimages) to install.")
    groups: tuple[XcatName, ...] = Field((), description="xCAT groups it belongs to.")
    postscripts: Scripts = Field((), description="Its own postscripts, after its groups'.")
    firstboot_scripts: Scripts = Field(
        (), exclude_if=lambda v: not v,  # digests of specs without it stay as they were
        description="driver: nim only. Its own first-boot script (a NIM fb_script "
        "resource), beside its groups'; at most one in all.")
    prescripts_begin: dict[PrescriptKind, Scripts] = Field(
        default_factory=dict, description="Scripts the master runs before install, by kind."
    )
    prescripts_end: dict[PrescriptKind, Scripts] = Field(
        default_factory=dict, description="Scripts the master runs after install, by kind."
    )
    install_server: XcatName | None = Field(
        None, exclude_if=_unset,
        description="The server installing it (a name under install_servers, or "
        "management_node's name; under xcat its service node); default: the one serving its "
        "network.")
    state: LparState = Field("installed", description="installed, defined or absent.")
    hardware: Hardware = Field("lpar", exclude_if=lambda v: v == "lpar",
                               description=HARDWARE_HELP)
    install_adapter: InstallAdapter = Field("ent", exclude_if=lambda v: v == "ent",
                                            description=INSTALL_ADAPTER_HELP)
    interfaces: Interfaces = Field(default_factory=dict, exclude_if=lambda v: not v,
                                   description=INTERFACES_HELP)
    protect: bool = Field(False, description="Never reinstall, power off or remove it.")
    ignore_changes: IgnoreChanges = Field((), description=_IGNORE)

    @field_validator("mac", mode="before")
    @classmethod
    def _mac(cls, value: Any) -> Any:
        return canonical_mac(value) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _consistent(self) -> Lpar:
        if self.state != "absent":
            if self.ip is None:
                raise field_error("ip", "ip is required unless state is absent")
            if self.network is None:
                raise field_error("network", "network is required unless state is absent")
        if self.state == "installed" and self.osimage is None:
            raise field_error("osimage", "osimage is required when state is installed")
        if self.protect and self.state == "absent":
            raise field_error("state", "a protected LPAR (protect: true) cannot be absent")
        return self


# A base class that is never validated itself: building its validator at import would be
# start-up spent for nothing (its subclasses build their own), so its subclasses build theirs.
BASE_ONLY = ConfigDict(extra="forbid", frozen=True, defer_build=True)
BUILT = ConfigDict(defer_build=False)


class Sections(BaseModel):
    """The sections shared by the user's YAML shape and the resolved spec."""

    model_config = BASE_ONLY

    version: Literal[1] = Field(description="Spec format version; always 1.")
    cluster: XcatName = Field(description="Cluster name; marks every object xclone manages.")
    driver: Literal["xcat", "nim"] = Field(
        "xcat", description="Provisioning path: xcat (an xCAT management node that is also the "
        "NIM master); nim (a NIM master and the HMCs, without xCAT).")
    netboot: Netboot = Field(
        "hmc", exclude_if=lambda v: v == "hmc", description="driver: nim only. Who network-boots "
        "an LPAR: hmc (lpar_netboot on the HMC, default) or nim (NIM through the HMC, needs "
        "dsm.core and every HMC's password).")
    management_node: ManagementNode = Field(description="xCAT management node and NIM master.")
    install_servers: dict[XcatName, InstallServer] = Field(
        default_factory=dict, exclude_if=lambda v: not v,
        description="Other install servers by name, each installing the LPARs of the "
        "networks it lists; management_node serves every other network. nim: NIM masters; "
        "xcat: service nodes (the name is the service node's xCAT node name).")
    site: Site = Field(default_factory=Site, description="xCAT site settings and timeouts.")
    hmcs: dict[XcatName, Hmc] = Field(description="HMCs by name.")
    networks: dict[XcatName, Network] = Field(default_factory=dict, description="By name.")
    osimages: dict[XcatName, Osimage] = Field(default_factory=dict, description="By name.")
    groups: dict[XcatName, Group] = Field(default_factory=dict, description="By name.")


class Spec(Sections):
    """The resolved spec: `lpars` holds every LPAR with defaults applied and ranges expanded."""

    model_config = BUILT

    lpars: dict[LparName, Lpar] = Field(description="Every LPAR by name, fully resolved.")

    _locations: dict[str, Location] = PrivateAttr(default_factory=dict)

    def cecs(self) -> dict[str, str]:
        """CEC name -> HMC name, in LPAR order; the loader rejects a CEC on two HMCs."""
        found: dict[str, str] = {}
        for lpar in self.lpars.values():
            found.setdefault(lpar.cec, lpar.hmc)
        return found

    def server_of(self, lpar: Lpar) -> str | None:
        """The install server (a key of install_servers) that installs `lpar`, or None for
        the management node: the LPAR's own `install_server`, else the server listing its
        network."""
        if lpar.install_server is not None:
            chosen = lpar.install_server
            return None if chosen not in self.install_servers else chosen
        return next((name for name, server in self.install_servers.items()
                     if lpar.network in server.networks), None)

    def location(self, address: str) -> Location | None:
        """Where `address` (e.g. `lpar.node01`) is defined in the spec files, when loaded."""
        return self._locations.get(address)

    def with_locations(self, locations: dict[str, Location]) -> Spec:
        """A copy of this spec that knows where each address was written (the loader's job)."""
        located = self.model_copy()
        located._locations = dict(locations)
        return located
