"""The NIM driver's golden scenarios (`driver: nim`, no xCAT): its example specs against their
labs and the scenario kinds of the xCAT goldens that apply to NIM. Each builds its world in a
fresh directory and returns the files it records; scenarios.py merges them into SCENARIOS."""

from __future__ import annotations

from pathlib import Path

from tests.golden.world import EXAMPLES, INPUTS, World
from tests.golden.world import record_apply as _apply
from tests.golden.world import record_plans as _plans
from tests.golden.world import record_plans_and_apply as _plans_and_apply

NIM_SPEC = EXAMPLES / "nim-cluster.yaml"
NIM_LAB = EXAMPLES / "nim-lab.yaml"


def _converged(where: Path) -> World:
    world = World(where, NIM_SPEC, NIM_LAB)
    assert world.apply().exit_code == 0
    return world


def nim_fresh(where: Path) -> dict[str, str]:
    """nim-cluster.yaml against the fresh NIM-only lab: mksysb, SPOT, machines, lpar_netboot."""
    return _plans_and_apply(World(where, NIM_SPEC, NIM_LAB))


def nim_converged(where: Path) -> dict[str, str]:
    """After one apply: nothing to do, and apply says so."""
    return _plans_and_apply(_converged(where))


def nim_node02_absent(where: Path) -> dict[str, str]:
    """node02 `state: absent` in a converged cluster: its machine and /etc/hosts line go."""
    world = _converged(where)
    world.spec_data["lpars"]["node02"]["state"] = "absent"
    world.write_spec()
    return _plans_and_apply(world)


def nim_osimage_removed(where: Path) -> dict[str, str]:
    """The osimage dropped from the spec (its LPARs with it): the mksysb, bosinst_data and the
    SPOT xclone built (`spot: {create: true}`) go."""
    world = _converged(where)
    world.spec_data["osimages"] = {}
    world.spec_data["lpar_defaults"].pop("osimage")
    for lpar in world.spec_data["lpars"].values():
        lpar["state"] = "absent"
    world.write_spec()
    return _plans_and_apply(world)


def nim_install_failed(where: Path) -> dict[str, str]:
    """node01's bos_inst ends in error: its branch stops, node02 installs, the plan after shows
    what is left."""
    world = World(where, NIM_SPEC, NIM_LAB, faults=[{"lpar": "node01", "install": "error"}])
    recorded = _apply(world)
    return {**recorded, **_plans(world)}


def nim_multi(where: Path) -> dict[str, str]:
    """nim-multi.yaml: two NIM masters, the image copied to nim2, each LPAR from its master."""
    return _plans_and_apply(World(where, EXAMPLES / "nim-multi.yaml",
                                  EXAMPLES / "nim-multi-lab.yaml"))


def nim_ranged_99(where: Path) -> dict[str, str]:
    """The benchmark's 99-LPAR NIM spec (three `lpar_ranges` entries) against its NIM-only lab."""
    return _plans_and_apply(World(where, INPUTS / "nim-ranged-99.yaml",
                                  INPUTS / "nim-ranged-99-lab.yaml"))


NIM_SCENARIOS = {
    "nim-fresh": nim_fresh,
    "nim-converged": nim_converged,
    "nim-node02-absent": nim_node02_absent,
    "nim-osimage-removed": nim_osimage_removed,
    "nim-install-failed": nim_install_failed,
    "nim-multi": nim_multi,
    "nim-ranged-99": nim_ranged_99,
}
