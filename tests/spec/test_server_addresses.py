"""An install server's `addresses` are checked as the management node's are: each names a spec
network and lies inside it. Under driver xcat such an address is the service node's nodes'
`xcatmaster` (perl-xCAT/xCAT/Schema.pm, table noderes: the service node as the node knows it),
so one outside the nodes' network was accepted and planned into `mkdef ... xcatmaster=` as an
address the nodes cannot reach; under nim it is the master's interface on that network."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.apply.helpers import EXAMPLES, invoke_in


@pytest.mark.parametrize(("example", "server", "address", "message"), [
    ("xcat-sn.yaml", "sn1", {"net2": "9.114.113.5"},
     "install server sn1: address 9.114.113.5 is outside network net2 9.114.114.0/27"),
    ("xcat-sn.yaml", "sn1", {"net9": "9.114.114.5"},
     "install server sn1: addresses: network net9 is not under networks (net1, net2)"),
    ("nim-multi.yaml", None, {"net2": "9.114.113.99"}, "is outside network net2"),
])
def test_an_address_outside_its_network_is_a_located_error(
        tmp_path: Path, example: str, server: str | None, address: dict[str, str],
        message: str) -> None:
    data = yaml.safe_load((EXAMPLES / example).read_text(encoding="utf-8"))
    name = server or next(iter(data["install_servers"]))
    data["install_servers"][name]["addresses"] = address
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = invoke_in(tmp_path, {}, ("validate", str(spec)))
    assert result.exit_code == 1, result.output
    (line,) = [ln for ln in result.output.splitlines() if "install server" in ln]
    assert line.startswith(f"{spec}:") and message in line, result.output
    assert "Traceback" not in result.output


def test_the_examples_addresses_stay_valid(tmp_path: Path) -> None:
    for example in ("xcat-sn.yaml", "nim-multi.yaml"):
        result = invoke_in(tmp_path, {}, ("validate", str(EXAMPLES / example)))
        assert result.exit_code == 0, result.output
