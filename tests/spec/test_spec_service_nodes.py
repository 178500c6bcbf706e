"""xCAT service nodes in the spec (issue 17, the xCAT half): `install_servers` under driver
xcat names the service nodes, each the NIM master of the LPARs on the networks it lists, through
the real CLI (`xclone validate`), each error located in the file.

Facts: perl-xCAT/xCAT/Schema.pm (xCAT 2.9.2), table noderes: `servicenode` is the service node
as the management node knows it, `xcatmaster` the service node as the node knows it. xCAT's
network planning guide ("Do You Need Hierarchy in Your Cluster?") gives about 150 AIX nodes per
management or service node: a service node's default `max_installs`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tests.apply.helpers import EXAMPLES, invoke_in
from xclone.spec import load_spec
from xclone.spec.servers import XCAT_SN_INSTALLS, install_limit

Data = dict[str, dict[str, dict[str, object]]]


def _validate(tmp_path: Path, data: Data) -> tuple[int, str]:
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = invoke_in(tmp_path, {"HMC01_PASSWORD": "abc123"}, ("validate", str(path)))
    return result.exit_code, result.output


def _example() -> Data:
    data = yaml.safe_load((EXAMPLES / "xcat-sn.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_the_example_names_a_service_node_for_net2(tmp_path: Path) -> None:
    spec = load_spec(EXAMPLES / "xcat-sn.yaml")
    served = {name: spec.server_of(lpar) for name, lpar in spec.lpars.items()}
    assert served == {"node01": None, "node02": None, "node03": "sn1", "node04": "sn1"}
    assert install_limit(spec, "sn1") == XCAT_SN_INSTALLS == 150
    assert install_limit(spec, None) is None
    code, output = _validate(tmp_path, _example())
    assert code == 0, output


def _sn_as_lpar(data: Data, served_by: str) -> None:
    """sn1 is itself an LPAR of the spec, on net2 (which sn1 serves) or pinned elsewhere."""
    data["lpars"]["sn1"] = {"id": 13, "profile": "lpar13", "ip": "9.114.114.5",
                            **({"install_server": served_by} if served_by != "sn1" else {})}


def _two_sns_each_installing_the_other(data: Data) -> None:
    data["networks"]["net3"] = {"net": "9.114.115.0", "mask": "255.255.255.224"}
    data["install_servers"]["sn2"] = {"host": "sn2", "networks": ["net3"]}
    data["lpars"]["sn1"] = {"id": 13, "profile": "lpar13", "ip": "9.114.115.5"}  # on sn2's
    data["lpars"]["sn2"] = {"id": 14, "profile": "lpar14", "ip": "9.114.114.6"}  # on sn1's


Change = Callable[[Data], None]


@pytest.mark.parametrize(("change", "expected"), [
    (lambda d: d["install_servers"]["sn1"].update(networks=["net9"]),
     "install server sn1: network net9 is not under networks (net1, net2)"),
    (lambda d: d["install_servers"].update(sn2={"host": "sn2", "networks": ["net2"]}),
     "network net2 is served by install servers sn1 and sn2: one service node installs a "
     "network's LPARs"),
    (lambda d: d["install_servers"].update(sn2={"host": "sn1", "networks": ["net1"]}),
     "install server sn2: host sn1 is already install_servers.sn1's; each service node is "
     "its own host"),
    (lambda d: d["lpars"]["node01"].update(install_server="sn1"),
     "lpar.node01: install_server sn1 does not serve network net1 (xcataixmn does)"),
    (lambda d: d["lpars"]["node03"].update(install_server="sn7"),
     "lpar.node03: install_server sn7 is no service node of this spec (xcataixmn, sn1)"),
    (lambda d: _sn_as_lpar(d, "sn1"),
     "install server sn1 is an LPAR of this spec installed by a cycle of servers "
     "(sn1 -> sn1)"),
    (_two_sns_each_installing_the_other,
     "installed by a cycle of servers (sn1 -> sn2 -> sn1)"),
    (lambda d: d["install_servers"]["sn1"].update(resource_dir="/export/sn"),
     "resource_dir: only the nim driver reads it (this spec's driver is xcat)"),
    (lambda d: d["management_node"].update(max_installs=100),
     "max_installs: the xcat driver reads it on install_servers (service nodes) only"),
])
def test_service_node_mistakes_are_located_errors(tmp_path: Path, change: Change,
                                                  expected: str) -> None:
    data = _example()
    change(data)
    code, output = _validate(tmp_path, data)
    assert code == 1, output
    assert expected in output, output
    assert "spec.yaml:" in output
    assert "Traceback" not in output


def test_a_service_node_installed_by_the_management_node_is_no_cycle(tmp_path: Path) -> None:
    """sn1 as an LPAR on net1 (the management node's): the chain ends at the management node."""
    data = _example()
    data["lpars"]["sn1"] = {"id": 13, "profile": "lpar13", "ip": "9.114.113.240"}
    data["install_servers"]["sn1"]["max_installs"] = 64
    code, output = _validate(tmp_path, data)
    assert code == 0, output
    path = tmp_path / "spec.yaml"
    assert install_limit(load_spec(path), "sn1") == 64
