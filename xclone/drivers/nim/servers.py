"""Several NIM masters (issue 17): one plan per master, from its own observation, merged.

The management node is the primary master: it makes every image, as a lone master does, and
installs the LPARs of the networks no install server lists. Each install server is planned the
same way against its own `lsnim -l` and /etc/hosts, with the spec narrowed to its networks, its
LPARs and the osimages they install; each such osimage is defined there (`nim -o define -t
mksysb -a location=...`) from a copy of the primary's mksysb file, pulled with `scp -B -p` run
on that master: NIM has no operation that copies a resource between masters, so shops copy
the file and define it on each (IBM, "Defining a mksysb resource": `location` is a file on the
resource's server). The copy waits for the primary's backup when this plan makes it, and
counts as an image written there for that master's preflight (drivers/nim/preflight.py). The
postscript files are copied the same way before each `script` define (and again when the
primary's file changed: drivers/nim/scriptsums.py). Every master then builds its own SPOT and
bosinst_data from that copy, and its LPARs' hostent, machine, bos_inst, boot (`lpar_netboot
-S` that master's address) and install wait run against it, so a failed master stops only its
LPARs' branches.

One osimage is planned once per master that needs it: the steps and change of an install
server's copy are addressed `osimage.<image>@<server>`, the primary's keep `osimage.<image>`;
an LPAR a master cleans up but does not serve (it moved to another master, or left the spec)
is `lpar.<name>@<master>` there, and a moved LPAR boots after its old master removed it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from xclone.base.address import Address
from xclone.drivers.nim import preflight, scriptsums
from xclone.drivers.nim.kinds import ActionKind
from xclone.drivers.nim.resources.common import mksysb_name
from xclone.plan.action import Step, StepRef
from xclone.plan.changes import ResourceChange
from xclone.plan.context import Context
from xclone.plan.waves import in_waves
from xclone.spec.model import InstallServer, ManagementNode, Spec

Planner = Callable[[Context], None]


def _primary(spec: Spec) -> Spec:
    served = {net for server in spec.install_servers.values() for net in server.networks}
    return spec.model_copy(update={
        "install_servers": {},
        "networks": {n: net for n, net in spec.networks.items() if n not in served},
        "lpars": {n: lpar for n, lpar in spec.lpars.items() if spec.server_of(lpar) is None},
    })


def mksysb_file(spec: Spec, image: str, resource_dir: str | None = None) -> str:
    """Where osimage `image`'s mksysb file is: on the primary, its `location` or the file
    xclone backs up to; on another master (`resource_dir` its own), where the copy goes."""
    img = spec.osimages[image]
    if resource_dir is None and img.location:
        return img.location
    directory = resource_dir or spec.management_node.resource_dir
    return f"{directory}/mksysb/{mksysb_name(image)}"


def _narrowed(spec: Spec, name: str, server: InstallServer) -> Spec:
    """The spec as install server `name` plans it: it is the master, with its networks and
    LPARs, and the osimages they install defined on the copied file."""
    lpars = {n: lpar for n, lpar in spec.lpars.items() if spec.server_of(lpar) == name}
    images = sorted({lpar.osimage for lpar in lpars.values()
                     if lpar.osimage is not None and lpar.state != "absent"})
    master = ManagementNode.model_validate(server.model_dump(exclude={"networks"}))
    return spec.model_copy(update={
        "management_node": master,
        "install_servers": {},
        "networks": {n: spec.networks[n] for n in server.networks if n in spec.networks},
        "lpars": lpars,
        "osimages": {i: spec.osimages[i].model_copy(update={
            "source_node": None,
            "location": mksysb_file(spec, i, server.resource_dir)}) for i in images},
    })


class _Labels:
    """How one master's plan names what it shares a name with on another master: its copy of
    an osimage (an install server's) and an LPAR it does not serve (one it cleans up, moved or
    gone) become `TYPE.NAME@MASTER`, so that every step and change keeps its own address."""

    def __init__(self, spec: Spec, served: dict[str, str | None], server: str | None) -> None:
        self.served, self.server = served, server
        self.suffix = f"@{server or spec.management_node.xcat_name}"

    def address(self, address: Address) -> Address:
        if address.type == "osimage" and self.server is not None or (
                address.type == "lpar" and self.served.get(address.name, "") != self.server):
            return Address(address.type, address.name + self.suffix)
        return address

    def change(self, change: ResourceChange, spec: Spec) -> ResourceChange:
        """The change under its own address; an LPAR this master cleans up because another
        one serves it now says so."""
        address = self.address(change.address)
        if address == change.address:
            return change
        lpar = spec.lpars.get(change.address.name) if address.type == "lpar" else None
        if lpar is None or lpar.state == "absent":
            return dataclasses.replace(change, address=address)
        now = self.served.get(lpar.name) or spec.management_node.xcat_name
        return dataclasses.replace(change, address=address,
                                   reason=f"{lpar.name} is installed from {now} now")

    def ref(self, ref: StepRef) -> StepRef:
        return StepRef(ref.kind, self.address(ref.address), ref.detail)

    def step(self, step: Step) -> Step:
        address = self.address(step.address)
        after, later = tuple(map(self.ref, step.after)), tuple(map(self.ref, step.after_if_planned))
        if (address, after, later) == (step.address, step.after, step.after_if_planned):
            return step
        return dataclasses.replace(step, address=address, after=after, after_if_planned=later)


def _after_moves(steps: list[Step]) -> list[Step]:
    """An LPAR that moved to another master boots only once the master it left has removed
    its machine: two masters never both answer its BOOTP."""
    removed: dict[str, list[StepRef]] = {}
    for step in steps:
        if step.kind is ActionKind.NIM_REMOVE and step.address.type == "lpar" \
                and "@" in step.address.name:
            removed.setdefault(step.address.name.rsplit("@", 1)[0], []).append(step.key)
    if not removed:
        return steps
    return [dataclasses.replace(step, after_if_planned=(*step.after_if_planned,
                                                          *removed[step.address.name]))
            if step.kind in _BOOTS and step.address.type == "lpar"
            and step.address.name in removed else step for step in steps]


_BOOTS = (ActionKind.LPAR_NETBOOT, ActionKind.NIM_BOS_INST)


def _copies(spec: Spec, name: str, server: InstallServer, steps: list[Step]) -> list[Step]:
    """Before each mksysb define on `server`: `mkdir -p` of its mksysb directory and the `scp`
    of the primary's file, after the primary's backup when this plan makes it; then the
    script files (`_script_copies`)."""
    primary = spec.management_node
    out: list[Step] = []
    for step in steps:
        if step.kind is not ActionKind.NIM_DEFINE_MKSYSB:
            out.append(step)
            continue
        image = step.address.name.rsplit("@", 1)[0]
        target = mksysb_file(spec, image, server.resource_dir)
        source = f"{primary.user}@{primary.host}:{mksysb_file(spec, image)}"
        mkdir = Step(ActionKind.COPY_MKSYSB, server.host, ("mkdir", "-p", target.rsplit("/", 1)[0]),
                     address=step.address, detail="dir",
                     reason=f"the mksysb directory on {name}")
        copy = Step(ActionKind.COPY_MKSYSB, server.host, ("scp", "-B", "-p", source, target),
                    address=step.address, after=(mkdir.key,),
                    after_if_planned=(StepRef(ActionKind.NIM_DEFINE_MKSYSB,
                                              Address("osimage", image)),),
                    timeout=spec.site.timeouts.mksysb,
                    reason=f"copy of the image from {primary.host} to {name}")
        out += [mkdir, copy, dataclasses.replace(step, after=(*step.after, copy.key))]
    return _script_copies(spec, name, server, out)


def _script_copies(spec: Spec, name: str, server: InstallServer,
                   steps: list[Step]) -> list[Step]:
    """Before each `script` resource define on `server`: `mkdir -p` of its scripts_dir (once
    per osimage listing scripts) and the `scp` of the script file from the primary's
    scripts_dir, which is where the spec's postscripts are kept: NIM copies no resource
    between masters, the script is a file on its server."""
    primary = spec.management_node
    out: list[Step] = []
    made: set[Address] = set()
    for step in steps:
        if step.kind is not ActionKind.NIM_DEFINE_SCRIPT:
            out.append(step)
            continue
        mkdir = Step(ActionKind.COPY_SCRIPT, server.host, ("mkdir", "-p", server.scripts_dir),
                     address=step.address, detail="dir",
                     reason=f"the scripts directory on {name}")
        if step.address not in made:
            made.add(step.address)
            out.append(mkdir)
        source = f"{primary.user}@{primary.host}:{primary.scripts_dir}/{step.detail}"
        copy = Step(ActionKind.COPY_SCRIPT, server.host,
                    ("scp", "-B", "-p", source, f"{server.scripts_dir}/{step.detail}"),
                    address=step.address, detail=step.detail, after=(mkdir.key,),
                    reason=f"copy of postscript {step.detail} from {primary.host} to {name}")
        out += [copy, dataclasses.replace(step, after=(*step.after, copy.key))]
    return out


def staged(steps: list[Step], limit: int | None) -> list[Step]:
    """One master's installs in waves of at most `limit` (its max_installs; None: one wave):
    the boots of wave k wait for the install waits of wave k-1, whose wait actions are their
    own (extra `wave`). The boot is `lpar_netboot`, or under netboot: nim the bos_inst that
    has NIM boot the client. A failed install stops that master's later waves, as an admin
    staging installs by hand stops to look; the other masters go on (plan/waves.py)."""
    if limit is None:
        return steps
    boots: dict[str, int] = {}
    waits: dict[str, int] = {}
    for index, step in enumerate(steps):
        if step.node is None:
            continue
        if step.kind is ActionKind.LPAR_NETBOOT or (
                step.kind is ActionKind.NIM_BOS_INST and "boot_client=yes" in step.before):
            boots[step.node] = index
        elif step.kind is ActionKind.WAIT_INSTALL:
            waits[step.node] = index
    out = list(steps)
    in_waves(out, boots, waits, limit)
    return out


def plan_masters(ctx: Context, plan_one: Planner) -> None:
    """`plan_one` for the management node and for each install server, merged into `ctx`."""
    spec = ctx.spec
    if not spec.install_servers:
        plan_one(ctx)
        ctx.steps[:] = staged(ctx.steps, spec.management_node.max_installs)
        return
    seen = {(d.message, d.address) for d in ctx.errors}
    served = {name: spec.server_of(lpar) for name, lpar in spec.lpars.items()}

    def merge(sub: Context, server: str | None) -> None:
        labels = _Labels(spec, served, server)
        changes = [labels.change(c, spec) for c in sub.changes]
        steps = [labels.step(step) for step in staged(sub.steps,
                                                      sub.spec.management_node.max_installs)]
        errors = sub.errors
        if server is not None:
            steps = _copies(spec, server, spec.install_servers[server], steps)
            scriptsums.with_recopies(changes, steps, scriptsums.recopies(
                spec, server, sub.spec, sub.observed, ctx.observed, labels.address))
            # The copies write an image on that master: its preflight counts them (a lifted
            # fsize goes before them); what it said already is said once.
            checked = Context(sub.spec, sub.observed, sub.options, changes, steps)
            preflight.check_copies(checked)
            changes, steps, errors = checked.changes, checked.steps, [*errors, *checked.errors]
        for found in errors:
            # The HMC side (managed systems, HMCs) is every master's alike: said once, plain.
            shared = (found.address or "").startswith(("cec.", "hmc."))
            diagnostic = found if server is None or shared else dataclasses.replace(
                found, message=f"on install server {server}: {found.message}")
            if (diagnostic.message, diagnostic.address) not in seen:
                seen.add((diagnostic.message, diagnostic.address))
                ctx.errors.append(diagnostic)
        ctx.changes.extend(changes)
        ctx.steps.extend(steps)

    main = Context(_primary(spec), ctx.observed, ctx.options)
    plan_one(main)
    merge(main, None)
    for name, server in sorted(spec.install_servers.items()):
        if server.host not in ctx.observed.masters:
            ctx.error(_anchor(spec, name),
                      f"install server {name} ({server.host}) was not observed")
            continue
        sub = Context(_narrowed(spec, name, server), ctx.observed.at(server.host), ctx.options)
        plan_one(sub)
        merge(sub, name)
    ctx.steps[:] = _after_moves(ctx.steps)


def _anchor(spec: Spec, name: str) -> Address:
    """An address to report install server `name`'s problem at: its first LPAR's."""
    first = next((n for n, lpar in sorted(spec.lpars.items()) if spec.server_of(lpar) == name),
                 None)
    return Address("lpar", first) if first else Address("site", spec.cluster)

