"""The service nodes' rolling window (xclone/drivers/xcat/waves.py, issue 17): how an SN's
nodes are dealt over its HMCs, how big a batch is (one round of rnetboot's forks: half of site
maxssh per HMC, xCAT 2.9.2 PPC.pm line 304; maxssh 8 by default, Schema.pm line 1036), and the
order of the SN's HMC commands (one at a time: two would fork maxssh/2 per HMC each)."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.plan.test_plan_service_nodes import _spec
from xclone.drivers.xcat.waves import across_hmcs, batch_size, hmc_order
from xclone.spec import load_spec
from xclone.spec.model import Spec


def _loaded(tmp_path: Path, maxssh: str | None) -> Spec:
    spec = _spec()
    if maxssh is not None:
        spec.setdefault("site", {}).setdefault("attributes", {})["maxssh"] = maxssh
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return load_spec(path)


def test_nodes_are_dealt_round_robin_over_their_hmcs() -> None:
    hmc_of = {"a1": "h1", "a2": "h1", "a3": "h1", "b1": "h2", "b2": "h2"}
    assert across_hmcs(list(hmc_of), hmc_of) == ["a1", "b1", "a2", "b2", "a3"]


def test_a_batch_is_one_round_of_forks_evened_over_the_limit(tmp_path: Path) -> None:
    two = {"a": "h1", "b": "h2"}
    sixteen = _loaded(tmp_path, "16")  # 8 per HMC
    assert batch_size(sixteen, ["a", "b"], two, 150) == 15  # 10 batches of 15, not 9 of 16
    assert batch_size(sixteen, ["a"], two, 150) == 8  # one HMC: 18 of 8 (144)
    assert batch_size(sixteen, ["a", "b"], two, 1) == 1
    default = _loaded(tmp_path, None)  # xCAT's default maxssh 8: 4 per HMC
    assert batch_size(default, ["a", "b"], two, 150) == 8
    assert batch_size(default, [], two, 150) == 4  # no HMC known: counted as one
    assert batch_size(_loaded(tmp_path, "1"), ["a"], two, 150) == 1  # halved to 0: one


def test_discovery_runs_ahead_and_the_first_window_boots_back_to_back() -> None:
    """hmc_order(batches, ahead, window): the MACs of `ahead` batches, the first `window`
    boots one after another, then a discovery before each further boot."""
    assert hmc_order(8, 4, 2) == [
        ("getmacs", 0), ("getmacs", 1), ("getmacs", 2), ("getmacs", 3), ("boot", 0),
        ("boot", 1), ("getmacs", 4), ("boot", 2), ("getmacs", 5), ("boot", 3), ("getmacs", 6),
        ("boot", 4), ("getmacs", 7), ("boot", 5), ("boot", 6), ("boot", 7)]
    # never a boot before its own batch's discovery, whatever ahead and window say
    assert hmc_order(3, 1, 5) == [("getmacs", 0), ("boot", 0), ("getmacs", 1), ("boot", 1),
                                  ("getmacs", 2), ("boot", 2)]
    assert hmc_order(2, 2, 1) == [("getmacs", 0), ("getmacs", 1), ("boot", 0), ("boot", 1)]
    assert hmc_order(0, 2, 1) == []
