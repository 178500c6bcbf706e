"""NIM managed clients (dsm.core): `hmc` and `cec` management objects, a machine's
`mgmt_profile1`, and `bos_inst -a boot_client=yes` booting the partition through its HMC.

Sources (docs/formats.md "NIM", Managed clients): IBM AIX "Defining NIM clients" (a managed
client needs `mgmt_profile`, set from `mgmt_source` and `identity`, the LPAR id, for an
HMC-managed LPAR `mgmt_source` being a cec object; `bos_inst -a boot_client=yes` then
network-boots it); `dpasswd` for the HMC object's `passwd_file`. The `hmc`/`cec` attribute
names, the `mgmt_profile1` value form and every refusal text here are inferred or ours.
"""

from __future__ import annotations

from xclone.sim import choices, netboot
from xclone.sim.aix.dpasswd import login_matches
from xclone.sim.nim.model import if1_words, missing, wrapped
from xclone.sim.passwords import current
from xclone.sim.store import Body
from xclone.sim.world import Out, Reply, World

MANAGEMENT = "management"


def _required(name: str, attrs: dict[str, str], keys: tuple[str, ...]) -> Out | None:
    absent = [k for k in keys if not attrs.get(k)]
    if absent:
        return wrapped(choices.NIM_NETWORK_REQUIRED.format(attrs=" and ".join(absent), name=name))
    return None


def define_hmc(world: World, name: str, attrs: dict[str, str]) -> Out:
    """`nim -o define -t hmc -a passwd_file=FILE -a if1='find_net HOST 0' NAME`."""
    problem = _required(name, attrs, ("passwd_file", "if1"))
    if problem is not None:
        return problem
    found = world.file(attrs["passwd_file"])
    if found is None or found.get("type") != "file":
        return wrapped(choices.NIM_LOCATION_MISSING.format(path=attrs["passwd_file"]))
    words = if1_words(world, name, attrs["if1"])
    if isinstance(words, Out):
        return words
    rest = {k: v for k, v in attrs.items() if k not in ("if1", "net_definition")}
    world.put_nim(name, {"class": MANAGEMENT, "type": "hmc", **rest,
                         "if1": " ".join(words if len(words) > 2 else [*words, "0"])})
    return Out()


def define_cec(world: World, name: str, attrs: dict[str, str]) -> Out:
    """`nim -o define -t cec -a hw_type=T -a hw_model=M -a hw_serial=S -a mgmt_source=HMC`."""
    problem = _required(name, attrs, ("hw_type", "hw_model", "hw_serial", "mgmt_source"))
    if problem is not None:
        return problem
    source = world.nim(attrs["mgmt_source"])
    if source is None:
        return missing("nim", attrs["mgmt_source"])
    if source.get("type") != "hmc":
        return wrapped(choices.NIM_WRONG_MANAGER.format(name=attrs["mgmt_source"], want="hmc"))
    world.put_nim(name, {"class": MANAGEMENT, "type": "cec", **attrs})
    return Out()


def profile(world: World, attrs: dict[str, str]) -> Out | None:
    """Turn a standalone's `mgmt_source` + `identity` into its `mgmt_profile1`
    (`HMC IDENTITY CEC`), in place; a direct `mgmt_profile1` is checked. None: fine."""
    source, identity = attrs.pop("mgmt_source", None), attrs.pop("identity", None)
    if source is None and identity is None:
        direct = attrs.get("mgmt_profile1")
        if direct is None:
            return None
        words = direct.split()
        if len(words) != 3 or world.nim(words[0]) is None or world.nim(words[2]) is None:
            return wrapped(choices.NIM_BAD_PROFILE.format(value=direct))
        return None
    if "mgmt_profile1" in attrs or source is None or not (identity or "").isdigit():
        return wrapped(choices.NIM_MGMT_SOURCE_IDENTITY)
    cec = world.nim(source)
    if cec is None:
        return missing("nim", source)
    if cec.get("type") != "cec":
        return wrapped(choices.NIM_WRONG_MANAGER.format(name=source, want="cec"))
    attrs["mgmt_profile1"] = f"{cec['mgmt_source']} {identity} {source}"
    return None


def _lab_hmc(world: World, hmc: Body) -> Body | None:
    """The lab HMC an `hmc` object's if1 host name reaches."""
    words = str(hmc.get("if1", "")).split()
    host = words[1] if len(words) > 1 else ""
    for face, body in world.hmcs().items():
        if host == face or host in body.get("hostnames", []):
            return body
    return None


def boot_problem(world: World, machine: str, body: Body) -> Out | tuple[str, Body, Body]:
    """Why NIM cannot boot this managed client, or (HMC face, managed system, LPAR)."""
    words = str(body.get("mgmt_profile1", "")).split()
    if len(words) != 3:
        return wrapped(choices.NIM_NOT_MANAGED.format(name=machine))
    hmc, cec = world.nim(words[0]), world.nim(words[2])
    if hmc is None or cec is None:
        return missing("nim", words[0] if hmc is None else words[2])
    lab_hmc = _lab_hmc(world, hmc)
    content = world.read(str(hmc.get("passwd_file", "")))
    if lab_hmc is None or not login_matches(content, str(lab_hmc.get("username")),
                                            current(lab_hmc.get("password"))):
        return wrapped(choices.NIM_HMC_LOGIN.format(hmc=words[0],
                                                    file=hmc.get("passwd_file", "")))
    face = str(lab_hmc["name"])
    model = f"{cec.get('hw_type')}-{cec.get('hw_model')}"
    system = next((s for s in world.systems(face).values()
                   if s["type_model"] == model and s["serial"] == cec.get("hw_serial")), None)
    lpar = None if system is None else next(
        (lp for lp in world.lpars(face, system["name"]).values() if str(lp["id"]) == words[1]),
        None)
    if system is None or lpar is None:
        return wrapped(choices.NIM_NO_PARTITION.format(name=machine, profile=" ".join(words)))
    return face, system, lpar


def boot(world: World, machine: str, target: tuple[str, Body, Body]) -> Reply:
    """The armed client's network boot through its HMC (`boot_client=yes`): as lpar_netboot
    does it, one session on that HMC, silent on success."""
    face, system, lpar = target
    return netboot.boot(world, face, system, lpar, machine, True, Out())
