"""The golden scenarios: each builds its world in a fresh directory and returns the files it
records (name -> text). tests/golden/README.md lists them; test_golden.py compares them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.golden.nim_scenarios import NIM_SCENARIOS
from tests.golden.world import EXAMPLES, INPUTS, World
from tests.golden.world import record_apply as _apply
from tests.golden.world import record_plans as _plans
from tests.golden.world import record_plans_and_apply as _plans_and_apply
from tests.importing.test_lab_round_trip import HMC_NODE, RUNBOOK

Recorder = Callable[[Path], dict[str, str]]

SEED_SPEC = EXAMPLES / "seed-cluster.yaml"
SEED_LAB = EXAMPLES / "seed-lab.yaml"

# The seed runbook as an administrator types it, without xclone's marks (the steps of
# tests/importing/test_lab_round_trip.py), so `xclone import --all` has everything to adopt.
HAND_RUNBOOK = (HMC_NODE, "RSCAN", *RUNBOOK)


def _without_golden(stanzas: str) -> str:
    """rscan's stanzas minus node27, which xCAT already defines (mkdef -z would refuse it)."""
    keep, current = [], True
    for row in stanzas.split("\n"):
        if row and not row.startswith(("\t", " ")):
            current = not row.startswith("node27:")
        if current:
            keep.append(row)
    return "\n".join(keep)


def _converged(where: Path) -> World:
    world = World(where, SEED_SPEC, SEED_LAB)
    assert world.apply().exit_code == 0
    return world


def seed_fresh(where: Path) -> dict[str, str]:
    """The seed spec against the fresh seed lab: the whole runbook."""
    return _plans_and_apply(World(where, SEED_SPEC, SEED_LAB))


def seed_converged(where: Path) -> dict[str, str]:
    """After one apply: nothing to do, and apply says so."""
    return _plans_and_apply(_converged(where))


def seed_node02_absent(where: Path) -> dict[str, str]:
    """node02 `state: absent` in a converged cluster: its cleanup chain only."""
    world = _converged(where)
    world.spec_data["lpars"]["node02"]["state"] = "absent"
    world.write_spec()
    return _plans_and_apply(world)


def seed_osimage_removed(where: Path) -> dict[str, str]:
    """The osimage dropped from the spec (its LPARs with it): what mknimimage made goes."""
    world = _converged(where)
    world.spec_data["osimages"] = {}
    world.spec_data["lpar_defaults"].pop("osimage")
    for lpar in world.spec_data["lpars"].values():
        lpar["state"] = "absent"
    world.write_spec()
    return _plans_and_apply(world)


def seed_adopted(where: Path) -> dict[str, str]:
    """The runbook typed by hand, then `xclone import --all`: marks only, then an empty plan."""
    world = World(where, SEED_SPEC, SEED_LAB)
    for line in HAND_RUNBOOK:
        if line == "RSCAN":
            world.mn("mkdef -z", _without_golden(world.mn("rscan -z hmc01")))
        else:
            world.mn(line)
    before = world.plan()
    adopted = world.xclone("import", str(world.spec_file), "--lab", str(world.lab_file),
                           "--all", "--auto-approve")
    journal = world.journals()[-1]
    return {"before.txt": world.shown(before),
            "import.txt": world.shown(adopted) + "--- journal ---\n"
            + world.journal_commands(journal),
            **_plans_and_apply(world)}


def install_failed(where: Path) -> dict[str, str]:
    """node01's network install ends in error: its branch stops, node02 installs, the plan after
    shows what is left."""
    world = World(where, SEED_SPEC, SEED_LAB, faults=[{"lpar": "node01", "install": "error"}])
    recorded = _apply(world)
    return {**recorded, **_plans(world)}


def large_cluster(where: Path) -> dict[str, str]:
    """specs/examples/large-cluster.yaml against a lab holding its partitions."""
    return _plans_and_apply(World(where, EXAMPLES / "large-cluster.yaml",
                                  INPUTS / "large-lab.yaml"))


def ranged_99(where: Path) -> dict[str, str]:
    """The benchmark's 99-LPAR spec (three `lpar_ranges` entries) against its synthetic lab."""
    return _plans_and_apply(World(where, INPUTS / "ranged-99.yaml",
                                  INPUTS / "ranged-99-lab.yaml"))


SCENARIOS: dict[str, Recorder] = {
    "seed-fresh": seed_fresh,
    "seed-converged": seed_converged,
    "seed-node02-absent": seed_node02_absent,
    "seed-osimage-removed": seed_osimage_removed,
    "seed-adopted": seed_adopted,
    "install-failed": install_failed,
    "large-cluster": large_cluster,
    "ranged-99": ranged_99,
    **NIM_SCENARIOS,
}
