"""Several NIM masters in one spec (issue 17): `install_servers` beside the management node
(the primary master), which master installs which LPAR, and the validation errors, through the
real CLI (`xclone validate`), each located in the file.

xCAT's network planning guide ("Do You Need Hierarchy in Your Cluster?", xcat-docs
admin-guides/basic_concepts/network_planning): one management or service node handles about
150 AIX nodes, about twice that when node deployment is staged: the guidance
`max_installs` (waves of installs per master) is documented with."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.apply.helpers import EXAMPLES, invoke_in
from xclone.spec import load_spec


def _validate(tmp_path: Path, data: dict[str, object]) -> tuple[int, str]:
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = invoke_in(tmp_path, {"HMC01_PASSWORD": "abc123"}, ("validate", str(path)))
    return result.exit_code, result.output


def _example() -> dict[str, object]:
    data = yaml.safe_load((EXAMPLES / "nim-multi.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_each_lpar_is_installed_by_the_master_serving_its_network() -> None:
    spec = load_spec(EXAMPLES / "nim-multi.yaml")
    served = {name: spec.server_of(lpar) for name, lpar in spec.lpars.items()}
    assert served == {"node01": None, "node02": None, "node03": "nim2", "node04": "nim2"}
    assert spec.install_servers["nim2"].networks == ("net2",)
    assert spec.install_servers["nim2"].max_installs is None


def test_the_example_validates(tmp_path: Path) -> None:
    code, output = _validate(tmp_path, _example())
    assert code == 0, output


@pytest.mark.parametrize(("change", "expected"), [
    (lambda d: d["install_servers"]["nim2"].update(networks=["net9"]),
     "spec.yaml:11:7: install server nim2: network net9 is not under networks (net1, net2)"),
    (lambda d: d["install_servers"].update(nim3={"host": "nim3", "networks": ["net2"]}),
     "network net2 is served by install servers nim2 and nim3"),
    (lambda d: d["lpars"]["node01"].update(install_server="nim2"),
     "lpar.node01: install_server nim2 does not serve network net1 (nimmaster does)"),
    (lambda d: d["lpars"]["node01"].update(install_server="nim7"),
     "lpar.node01: install_server nim7 is no NIM master of this spec (nimmaster, nim2)"),
    (lambda d: d["install_servers"]["nim2"].update(host="nimmaster"),
     "install server nim2: host nimmaster is already management_node's"),
    (lambda d: d.update(netboot="nim"),
     "install_servers: netboot: nim is not planned with several NIM masters yet"),
])
def test_install_server_mistakes_are_located_errors(tmp_path: Path, change: object,
                                                    expected: str) -> None:
    data = _example()
    assert callable(change)
    change(data)
    if data.get("netboot") == "nim":
        for hmc in data["hmcs"].values():  # type: ignore[attr-defined]
            hmc["password"] = {"env": "HMC01_PASSWORD"}
    code, output = _validate(tmp_path, data)
    assert code == 1, output
    assert expected in output, output
    assert "Traceback" not in output


def test_nim_only_server_fields_are_refused_under_the_xcat_driver(tmp_path: Path) -> None:
    """Under xcat the install servers are service nodes (tests/spec/test_spec_service_nodes.py);
    a NIM master's resource_dir means nothing there."""
    data = _example()
    data["driver"] = "xcat"
    data["install_servers"]["nim2"]["resource_dir"] = "/export/x"  # type: ignore[index]
    code, output = _validate(tmp_path, data)
    assert code == 1
    assert "resource_dir: only the nim driver reads it" in output
