"""`driver: nim` specs (issue 14): the example NIM cluster, the nim-only fields read back, NIM's
name rule applied only to names NIM holds, and xCAT specs left as they were.

NIM's name rule: IBM AIX, "Naming NIM object definitions" (ssw_aix_72/install/
addl_name_reqmnts.html): 1-39 characters, no dot; docs/formats.md "NIM", Names and states."""

from __future__ import annotations

from pathlib import Path

from xclone.spec import Spec, load_spec
from xclone.spec.model import NewSpot

from .conftest import EXAMPLES

NIM_SPEC = """version: 1
cluster: c1
driver: nim
netboot: {netboot}
management_node: {{host: nimmaster, resource_dir: /export/clones, scripts_dir: /export/post}}
site: {{timeouts: {{install: 3000}}}}
hmcs:
  {hmc}: {{host: hmc01.cluster.com, password: {{file: /root/.hmc01}}}}
networks:
  net1: {{net: 9.114.113.224, mask: 255.255.255.224, gateway: 9.114.113.254}}
osimages:
  aix73: {{location: /export/mksysb/aix73.mksysb, spot: spot73, bosinst_data: my_bid}}
lpar_defaults: {{hmc: {hmc}, cec: {cec}, osimage: aix73, profile: default}}
lpars:
  web01: {{id: 4, ip: 9.114.113.240}}
"""


def _load(tmp_path: Path, text: str) -> Spec:
    path = tmp_path / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    return load_spec(path)


def test_the_nim_example_is_the_seed_cluster_without_xcat() -> None:
    spec = load_spec(EXAMPLES / "nim-cluster.yaml")
    assert (spec.driver, spec.netboot, spec.cluster) == ("nim", "hmc", "clustersite")
    mn = spec.management_node
    assert (mn.host, mn.resource_dir, mn.scripts_dir) == (
        "nimmaster", "/export/nim", "/export/nim/script_res")
    image = spec.osimages["610sysb"]
    assert (image.source_node, image.location, image.bosinst_data) == ("node27", None, None)
    assert isinstance(image.spot, NewSpot)
    assert spec.groups["aixnodes"].postscripts == ("setupntp", "confignimsh")
    node01, node02 = spec.lpars["node01"], spec.lpars["node02"]
    assert (node01.id, node01.profile, node01.mac, node01.postscripts) == (
        9, "lpar9", None, ("foo", "bar"))
    assert (node02.id, node02.profile, node02.mac) == (7, "lpar6", "fef9dfb7c602")
    assert spec.cecs() == {"Server-9117-MMA-SN10F6F3D": "hmc01"}


def test_nim_only_fields_read_back(tmp_path: Path) -> None:
    spec = _load(tmp_path, NIM_SPEC.format(netboot="nim", hmc="hmc01", cec="cec1"))
    assert spec.netboot == "nim"
    mn = spec.management_node
    assert (mn.resource_dir, mn.scripts_dir) == ("/export/clones", "/export/post")
    image = spec.osimages["aix73"]
    assert (image.source_node, image.location, image.bosinst_data, image.spot) == (
        None, "/export/mksysb/aix73.mksysb", "my_bid", "spot73")


def test_hmc_and_cec_names_need_not_be_nim_names_when_the_hmc_boots(tmp_path: Path) -> None:
    """With netboot: hmc, NIM never holds an hmc or cec object: their names keep the spec's
    rule (dots allowed); netboot: nim makes them NIM objects (invalid/nim-netboot-cec-name)."""
    text = NIM_SPEC.format(netboot="hmc", hmc="hmc.01", cec="Server.9117-MMA")
    spec = _load(tmp_path, text)
    assert spec.cecs() == {"Server.9117-MMA": "hmc.01"}


def test_nim_fields_enter_the_spec_digest_only_when_set(tmp_path: Path) -> None:
    """The spec digest is the resolved spec's dump: nim-only fields at their defaults are left
    out (an xCAT spec digests as before), and set ones count (a changed one stales a plan)."""
    seed = load_spec(EXAMPLES / "seed-cluster.yaml").model_dump_json()
    nim = load_spec(EXAMPLES / "nim-cluster.yaml").model_dump_json()
    for dumped in (seed, nim):
        for field in ("netboot", "resource_dir", "scripts_dir", "location", "bosinst_data"):
            assert f'"{field}"' not in dumped
    spec = _load(tmp_path, NIM_SPEC.format(netboot="nim", hmc="hmc01", cec="cec1"))
    dumped = spec.model_dump_json()
    for value in ('"netboot":"nim"', '"resource_dir":"/export/clones"',
                  '"location":"/export/mksysb/aix73.mksysb"', '"bosinst_data":"my_bid"'):
        assert value in dumped
