"""apply's default `--parallelism` is every session the spec declares for its hosts (issue 17):
the management node's and each HMC's and install server's `max_sessions` (defaults 10 and 8,
xclone/spec/model.py), summed, and never below Terraform's 10; and the one function the CLI and
the benchmarks share."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from tests.apply.helpers import EXAMPLES, Scenario
from xclone.plan.sessions import FLOOR, default_parallelism, describe, session_limits
from xclone.spec import Spec, load_spec


def _spec(tmp_path: Path, name: str, **changes: object) -> Spec:
    data = yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))
    data.update(changes)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return load_spec(path)


def test_the_seed_spec_runs_with_its_management_node_and_hmc_sessions(tmp_path: Path) -> None:
    spec = _spec(tmp_path, "seed-cluster.yaml")
    assert session_limits(spec) == {"xcataixmn": 10, "hmc01.cluster.com": 8}
    assert default_parallelism(spec) == 18
    assert describe(spec, None) == ("Parallelism: 18, the 18 sessions the spec gives its 2 "
                                    "hosts (max_sessions); --parallelism N overrides.")


def test_a_second_nim_master_adds_its_own_sessions(tmp_path: Path) -> None:
    """nim-multi.yaml: the primary master, nim2 and one HMC: 10 + 10 + 8."""
    spec = _spec(tmp_path, "nim-multi.yaml")
    assert session_limits(spec) == {"nimmaster": 10, "nim2": 10, "hmc01.cluster.com": 8}
    assert default_parallelism(spec) == 28


def test_sessions_sized_down_keep_the_floor_of_ten(tmp_path: Path) -> None:
    seed = yaml.safe_load((EXAMPLES / "seed-cluster.yaml").read_text(encoding="utf-8"))
    mn = {**seed["management_node"], "max_sessions": 2}
    hmcs = {"hmc01": {**seed["hmcs"]["hmc01"], "max_sessions": 3}}
    spec = _spec(tmp_path, "seed-cluster.yaml", management_node=mn, hmcs=hmcs)
    assert sum(session_limits(spec).values()) == 5
    assert default_parallelism(spec) == FLOOR == 10
    assert describe(spec, None).endswith("raised to the floor of 10; --parallelism N overrides.")
    assert describe(spec, 4) == "Parallelism: 4 (--parallelism)."


def _journaled_parallelism(seed: Scenario, output: str) -> int:
    """The parallelism the plan record of the run `output` names gives (apply/session.py
    journals the executor's). By the name printed: two runs of one second sort by their ids."""
    name = next(line.split()[-1] for line in output.splitlines() if line.startswith("Journal:"))
    journal = (seed.dir / name).read_text(encoding="utf-8")
    records = [json.loads(line) for line in journal.splitlines()]
    return int(next(r for r in records if r["event"] == "plan")["parallelism"])


def test_apply_runs_with_the_spec_sessions_unless_told(tmp_path: Path) -> None:
    """The seed applied without --parallelism runs (and says it runs) with 18; a second apply
    after a change, with --parallelism 3, with 3."""
    seed = Scenario(tmp_path)
    applied = seed.apply()
    assert applied.exit_code == 0, applied.output
    assert "Parallelism: 18, the 18 sessions the spec gives its 2 hosts" in applied.output
    assert _journaled_parallelism(seed, applied.output) == 18
    seed.set_lpar("node01", state="absent")
    again = seed.apply("--parallelism", "3")
    assert again.exit_code == 0, again.output
    assert "Parallelism: 3 (--parallelism)." in again.output
    assert _journaled_parallelism(seed, again.output) == 3
