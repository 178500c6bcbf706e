"""Guards on an LPAR's install: never power off or reinstall what an observation shows installed.

xCAT's node status and NIM's machine state are two views of one install. When they disagree the
plan would follow xCAT's (a lost `status=booted`, a stanza cut short) and reinstall a running
LPAR, so the planner refuses unless the spec asks (`--replace`, a new osimage: phase
`reinstall`). NIM also shows an install someone armed and never booted (`nimnodeset` without
`rnetboot`): the next network boot would reinstall the LPAR, so the plan shows it and disarms it.
NIM states: docs/formats.md "NIM" (Cstate, Cstate_result, allocated resources listed as attributes).
"""

from __future__ import annotations

from xclone.base.address import Address
from xclone.drivers.xcat.kinds import ActionKind
from xclone.observed.model import NimObject, XcatObject
from xclone.plan.action import Step, StepRef
from xclone.plan.changes import AttrDiff

# The resources `nimnodeset`/`bos_inst` allocates to a machine, listed as its attributes.
INSTALL_RESOURCES = (
    "spot", "mksysb", "lpp_source", "bosinst_data", "resolv_conf", "boot", "nim_script",
    "image_data", "installp_bundle", "script", "fb_script",
)


def nim_installed(machine: NimObject | None) -> bool:
    """NIM's word that the last install ended well and nothing else is under way."""
    return (machine is not None and machine.get("Cstate_result") == "success"
            and "ready" in machine.get("Cstate"))


def nim_mac(machine: NimObject | None) -> str:
    """The MAC NIM keeps in `if1 = NETWORK HOST MAC [ADAPTER]` (empty when none)."""
    words = machine.get("if1").split() if machine is not None else []
    return words[2] if len(words) > 2 and words[2] != "0" else ""


def refusal(node: XcatObject | None, machine: NimObject | None, name: str, phase: str, *,
            asked: bool, osimage: str, wants_install: bool, needs_mac: bool,
            running: bool) -> str | None:
    """Why this LPAR must not get its planned install or power-off, or None. `phase` is
    lpar_state.install_phase; `asked` is `--replace` naming it; phase `reinstall` is the spec
    asking for a new osimage."""
    if not nim_installed(machine) or asked or phase == "reinstall":
        return None
    status = (f"status={node.get('status') or '(none)'}, "
              f"provmethod={node.get('provmethod') or '(none)'}") if node else "no node"
    views = (f"NIM (`lsnim -l`) shows {name} installed (Cstate_result=success) but xCAT "
             f"(`lsdef -t node -z`) does not ({status})")
    if needs_mac and running:
        mac = nim_mac(machine)
        hint = f" (NIM has MAC {mac})" if mac else ""
        return (f"{views} and has no MAC for it: getmacs -D would power off an installed LPAR; "
                f"add `mac:` to the spec{hint}")
    if wants_install and phase in ("install", "boot", "reset"):
        return (f"{views}: xclone does not reinstall an installed LPAR on such a disagreement. "
                f"To reinstall it, plan with --replace {Address('lpar', name)}; if NIM is right, "
                f"set xCAT's view (`chdef {name} status=booted "
                f"provmethod={osimage or 'IMAGE'}`) and plan again")
    return None


def armed(machine: NimObject | None) -> tuple[str, ...] | None:
    """The resources of a BOS install NIM has enabled and nobody booted, or None."""
    if machine is None or "BOS installation has been enabled" not in machine.get("Cstate"):
        return None
    return tuple(r for r in INSTALL_RESOURCES if machine.get(r))


def leftover(machine: NimObject | None) -> tuple[AttrDiff, ...]:
    """The install resources NIM still lists on a machine whose install ended well and which is
    ready: NIM deallocates them when an operation completes (docs/formats.md "Drift"), so these
    were allocated by hand; each is a difference from the spec."""
    if not nim_installed(machine) or machine is None:
        return ()
    return tuple(AttrDiff(r, ", ".join(machine.values(r)), None) for r in INSTALL_RESOURCES
                 if machine.get(r))


def deallocate_step(mn: str, address: Address, after: tuple[StepRef, ...]) -> Step:
    """`nim -o deallocate -a subclass=all`: frees what a ready machine holds; the running LPAR
    is not touched."""
    return Step(ActionKind.NIM_DEALLOCATE, mn,
                ("nim", "-o", "deallocate", "-a", "subclass=all", address.name),
                address=address, after=after, reason="free resources allocated by hand")


def disarm_steps(mn: str, address: Address, after: tuple[StepRef, ...]) -> tuple[Step, ...]:
    """`nim -F -o reset` puts the machine back to ready, `deallocate -a subclass=all` frees
    what the install had taken: neither touches the running LPAR. NIM takes one machine per
    command, so the steps name it and are not node-scoped (no noderange)."""
    name = address.name
    reset = Step(ActionKind.NIM_RESET, mn, ("nim", "-F", "-o", "reset", name),
                 address=address, after=after, reason="a BOS install is armed: disarm it")
    free = Step(ActionKind.NIM_DEALLOCATE, mn,
                ("nim", "-o", "deallocate", "-a", "subclass=all", name), address=address,
                after=(reset.key,), reason="free the armed install's resources")
    return reset, free
