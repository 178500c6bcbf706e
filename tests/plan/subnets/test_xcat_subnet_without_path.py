"""Issue 15 item 1 under driver: xcat (the NIM driver's case is in test_nim_subnets.py): an
LPAR on a subnet the master has neither an interface on nor a route to is a plan error that
says what to add. xcat2nim -t network (xCAT 2.9.2 xcat2nim.pm mkNIMnetwork, lines 1493-1650)
adds the master's interface only where the management node has an address in the subnet,
else a route through the network's gateway; without either it has nothing to give NIM."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.apply.helpers import Scenario
from tests.plan.nim.helpers import edit_lab


def test_a_subnet_with_neither_an_address_nor_a_gateway_is_a_plan_error(tmp_path: Path) -> None:
    two = Scenario(tmp_path, lab_name="two-subnet-lab.yaml", spec_name="two-subnet-cluster.yaml")

    def one_subnet(data: dict[str, Any]) -> None:
        files = data["management_node"]["files"]
        files["/etc/hosts"] = files["/etc/hosts"].replace("10.0.0.1 xcataixmn-en1\n", "")
    edit_lab(two, one_subnet)
    two.spec_data["management_node"].pop("addresses")
    two.spec_data["networks"]["net2"].pop("gateway")
    two.write_spec()
    before = two.mn("lsnim -l")[1]
    result = two.apply()
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "network.net2" in result.output and "set `gateway:`" in result.output
    assert two.mn("lsnim -l")[1] == before
