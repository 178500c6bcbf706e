"""Adoption under `driver: nim`: which NIM objects built by hand `xclone import SPEC ADDR|--all`
marks as xclone's.

The NIM planners treat an unmarked object under a name xclone would use as a conflict, so a
cluster built with the by-hand NIM procedure cannot be planned until its objects carry the
mark. Adoption writes it with `nim -o change -a comments='<existing text> xclone:<cluster>' NAME`
and nothing else; the objects are the ones the planners look for under the spec's names:

- `lpar.<l>`: the standalone machine `<l>`. NIM keeps no record of what a machine was installed
  from, so the planner calls a marked machine installed when its last install succeeded
  (`Cstate_result = success`); adoption says so for a machine that shows no such result, whose
  next plan installs it.
- `network.<n>`: the NIM network `<n>` with the spec's address and mask. The master's own
  network (the one its `if1` names, nim_master_setup's `master_net`) is NIM's, even when the
  spec uses its name: the planner reuses it as it is, and it is never marked, so xclone never
  removes the network the master itself stands on. Neither is a network of another name on the
  same subnet.
- `osimage.<i>`: the resources xclone itself makes for it: `<i>_mksysb`, `<i>_spot` (only with
  `spot: {create: true}`) and `<i>_bid` (only without `bosinst_data:`). A SPOT, bosinst_data or
  other resource the spec names by name is used as it is and stays unmarked.
- `hmc.<h>`, `cec.<c>` (`netboot: nim` only): NIM's management objects of those names.

With install servers (several NIM masters, drivers/nim/servers.py) each object is looked for
on the master that holds it: an LPAR's machine on the master installing it, a network's on the
master serving it, an osimage's resources on the primary and on every master that installs
it (its copy); each mark runs on that master, and a note about another master's object says
`on NAME:`.

Pure: spec and observation in, marks out (plan/adoption.py); `to_plan` makes them the plan
document the apply session runs.
"""

from __future__ import annotations

from collections.abc import Iterator

from xclone.base.address import Address
from xclone.base.mark import NIM_ATTR, carries, ownership_mark
from xclone.drivers.marks import nim_mark
from xclone.drivers.nim.kinds import ActionKind
from xclone.observed.model import NimObject, Observed
from xclone.plan.adoption import Adoption, AdoptionPlan, adopt_each, marks_plan
from xclone.plan.document import Plan
from xclone.spec import Spec

MACHINES, NETWORKS, RESOURCES, MANAGEMENT = "machines", "networks", "resources", "management"


def spec_addresses(spec: Spec) -> list[str]:
    """Every address `--all` adopts: what the spec keeps that NIM holds an object for."""
    found: list[Address] = []
    if spec.netboot == "nim":
        found += [Address("hmc", n) for n in sorted(spec.hmcs)]
        found += [Address("cec", n) for n in sorted(spec.cecs())]
    found += [Address("network", n) for n in sorted(spec.networks)]
    found += [Address("osimage", n) for n in sorted(spec.osimages)]
    found += [Address("lpar", n) for n, lp in sorted(spec.lpars.items()) if lp.state != "absent"]
    return [str(a) for a in found]


def _wanted(spec: Spec, address: Address) -> Iterator[tuple[str, str, str]]:
    """(NIM name, class, type or "" for any) of each object xclone would use for `address`."""
    name = address.name
    if address.type in ("hmc", "cec"):
        yield name, MANAGEMENT, address.type
    elif address.type == "network":
        yield name, NETWORKS, ""
    elif address.type == "lpar":
        yield name, MACHINES, "standalone"
    elif address.type == "osimage":
        img = spec.osimages[name]
        yield f"{name}_mksysb", RESOURCES, "mksysb"
        if img.creates_spot:
            yield f"{name}_spot", RESOURCES, "spot"
        if not img.bosinst_data:
            yield f"{name}_bid", RESOURCES, "bosinst_data"


def master_network(observed: Observed) -> str | None:
    """The network the master's `if1` (`<network> <host> <mac|0>`) names."""
    master = observed.nim.get("master")
    words = master.get("if1").split() if master is not None else []
    return words[0] if words else None


def _fits(spec: Spec, address: Address, obj: NimObject, cls: str, type_: str) -> bool:
    """The object is the one the planner would take for `address` (a network must also have
    the spec's address and mask: another one under that name is a plan error, not ours)."""
    if obj.cls != cls or (type_ and obj.type != type_):
        return False
    if address.type != "network":
        return True
    net = spec.networks[address.name]
    return obj.get("net_addr") == str(net.net) and obj.get("snm") == str(net.mask)


def _install_note(spec: Spec, observed: Observed, address: Address) -> list[str]:
    """An installed LPAR whose machine shows no successful install: the next plan installs it."""
    machine = observed.nim.get(address.name)
    if (address.type != "lpar" or machine is None or machine.cls != MACHINES
            or spec.lpars[address.name].state != "installed"
            or machine.get("Cstate_result") == "success"):
        return []
    return [f"{address}: NIM shows no successful install (Cstate_result: "
            f"{machine.get('Cstate_result') or 'none'}): the next plan installs it; give it "
            "`state: defined` to keep it as it is"]


def _unmarked_note(spec: Spec, observed: Observed, address: Address) -> str:
    """Why nothing of `address` is marked: it is marked, missing, NIM's own or not what xclone
    uses."""
    for name, cls, type_ in _wanted(spec, address):
        obj = observed.nim.get(name)
        if obj is not None and not _fits(spec, address, obj, cls, type_):
            return (f"{address}: NIM's {name} is a {obj.type or obj.cls} {obj.cls} object, not "
                    "the one xclone uses: not adopted (the plan reports it)")
    if address.type == "network" and address.name == master_network(observed):
        return (f"{address}: NIM network {address.name} is the master's own (its if1): used "
                "as it is, never marked")
    if address.type == "network" and address.name not in observed.nim:
        net = spec.networks[address.name]
        same = sorted(n for n, o in observed.nim.items() if o.cls == NETWORKS
                      and o.get("net_addr") == str(net.net) and o.get("snm") == str(net.mask))
        if same:
            return f"{address}: uses NIM network {same[0]} as it is (NIM's own, not marked)"
    if any(name in observed.nim for name, _, _ in _wanted(spec, address)):
        return f"{address}: already marked"
    return f"{address}: does not exist yet"


def masters_of(spec: Spec, address: Address) -> list[str | None]:
    """The masters (install server names; None: the management node) holding `address`'s
    NIM objects."""
    name = address.name
    if address.type == "lpar":
        return [spec.server_of(spec.lpars[name])]
    if address.type == "network":
        return [next((n for n, s in sorted(spec.install_servers.items()) if name in s.networks),
                     None)]
    if address.type == "osimage":
        return [None, *sorted({server for lpar in spec.lpars.values()
                               if lpar.osimage == name and lpar.state != "absent"
                               and (server := spec.server_of(lpar)) is not None})]
    return [None]


def _adopt_on(spec: Spec, observed: Observed, address: Address, host: str | None,
              mark: str) -> tuple[list[Adoption], list[str]]:
    """The marks of `address`'s objects on one master (`host`; None: the management node) and
    the notes about them."""
    found = []
    for name, cls, type_ in _wanted(spec, address):
        obj = observed.nim.get(name)
        if (obj is None or not _fits(spec, address, obj, cls, type_)
                or (cls == NETWORKS and name == master_network(observed))):
            continue
        before = obj.get(NIM_ATTR)
        if not carries(before, mark):
            found.append(nim_mark(str(address), obj.cls, name, before, mark, host))
    notes = _install_note(spec, observed, address)
    if not found:
        notes.append(_unmarked_note(spec, observed, address))
    return found, notes


def _adopt(spec: Spec, observed: Observed, address: Address,
           mark: str) -> tuple[list[Adoption], list[str]]:
    """The marks of `address`'s objects on every master holding them, and the notes."""
    adoptions: list[Adoption] = []
    notes: list[str] = []
    for server in masters_of(spec, address):
        host = None if server is None else spec.install_servers[server].host
        if host is not None and host not in observed.masters:
            notes.append(f"on {server}: {address}: install server {server} ({host}) was "
                         "not observed")
            continue
        found, said = _adopt_on(spec, observed.at(host), address, host, mark)
        adoptions += found
        notes += [f"on {server}: {n}" if server else n for n in said]
    return adoptions, notes


def plan_adoption(spec: Spec, observed: Observed, addresses: tuple[str, ...]) -> AdoptionPlan:
    """What marking `addresses` (all of the spec's when empty) takes; XcloneError for an address
    the spec does not hold."""
    mark = ownership_mark(spec.cluster)
    return adopt_each(spec_addresses(spec), addresses, "a resource of the spec that NIM holds",
                      lambda address: _adopt(spec, observed, address, mark))


def to_plan(adoption: AdoptionPlan, spec: Spec, observed_digest: str) -> Plan:
    """The marks as a plan document of `nim-mark` actions on the NIM master."""
    return marks_plan(adoption, spec, observed_digest, lambda a: ActionKind.NIM_MARK)
