"""Loading specs: the seed scenario, defaults, ranges, anchors, directory merge, locations."""

from __future__ import annotations

from ipaddress import IPv4Address
from pathlib import Path

import pytest

from xclone.base.diagnostics import Location
from xclone.base.errors import XcloneError
from xclone.spec import Spec, load_spec
from xclone.spec.model import Lpar

from .conftest import EXAMPLES

HEAD = """version: 1
cluster: c1
management_node: {host: xcataixmn}
hmcs:
  hmc01: {host: hmc01.cluster.com, password: {env: HMC01_PASSWORD}}
networks:
  net1: {net: 10.0.0.0, mask: 255.255.255.0}
osimages:
  img: {source_node: golden, spot: spot1}
groups:
  aixnodes: {postscripts: [setupntp]}
"""


def _load(tmp_path: Path, text: str, name: str = "spec.yaml") -> Spec:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_spec(path)


def _errors(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(XcloneError) as caught:
        _load(tmp_path, text)
    return [d.format() for d in caught.value.diagnostics]


def test_seed_example_is_the_seed_scenario() -> None:
    spec = load_spec(EXAMPLES / "seed-cluster.yaml")
    assert spec.cluster == "clustersite"
    assert (spec.management_node.host, spec.management_node.user) == ("xcataixmn", "root")
    assert spec.management_node.xcat_name == "xcataixmn"
    assert spec.site.ppctimeout == 180
    hmc = spec.hmcs["hmc01"]
    assert (hmc.host, hmc.username) == ("hmc01.cluster.com", "hscroot")
    assert hmc.password is not None and hmc.password.ref().describe() == "env:HMC01_PASSWORD"
    assert spec.cecs() == {"Server-9117-MMA-SN10F6F3D": "hmc01"}
    net = spec.networks["net1"]
    assert (str(net.network), net.gateway, net.prefix) == (
        "9.114.113.224/27", IPv4Address("9.114.113.254"), 27)
    image = spec.osimages["610sysb"]
    assert (image.method, image.source_node, image.spot) == ("mksysb", "node27", "610spot")
    assert image.resources == {"resolv_conf": "my_resolv_conf"}
    assert spec.groups["aixnodes"].postscripts == ("setupntp", "confignimsh")
    node01, node02 = spec.lpars["node01"], spec.lpars["node02"]
    assert (node01.id, node01.profile, str(node01.ip)) == (9, "lpar9", "9.114.113.230")
    assert node01.postscripts == ("foo", "bar")
    assert node01.prescripts_begin == {"standalone": ("foo", "bar")}
    assert (node02.id, node02.profile, node02.mac) == (7, "lpar6", "fef9dfb7c602")
    for lpar in (node01, node02):
        assert (lpar.hmc, lpar.osimage, lpar.groups, lpar.network, lpar.state) == (
            "hmc01", "610sysb", ("aixnodes",), "net1", "installed")
    assert "node27" not in spec.lpars


def test_every_example_loads() -> None:
    examples = sorted(EXAMPLES.glob("*-cluster.yaml"))
    assert len(examples) >= 2
    large = load_spec(EXAMPLES / "large-cluster.yaml")
    assert len(large.lpars) >= 64 and len(large.cecs()) == 2
    for path in examples:
        load_spec(path)


def test_defaults_fill_only_unset_fields(tmp_path: Path) -> None:
    spec = _load(tmp_path, HEAD + """lpar_defaults: {hmc: hmc01, cec: cec1, osimage: img,
                groups: [aixnodes], profile: std, postscripts: [a]}
lpars:
  n1: {id: 1, ip: 10.0.0.1}
  n2: {id: 2, ip: 10.0.0.2, profile: big, postscripts: [], state: defined, osimage: null}
""")
    n1, n2 = spec.lpars["n1"], spec.lpars["n2"]
    assert (n1.profile, n1.postscripts, n1.osimage) == ("std", ("a",), "img")
    assert (n2.profile, n2.postscripts, n2.osimage, n2.state) == ("big", (), None, "defined")
    assert n1.groups == n2.groups == ("aixnodes",)


@pytest.mark.parametrize(
    ("names", "first", "last", "count"),
    [("node[03-64]", "node03", "node64", 62), ("node03-node64", "node03", "node64", 62),
     ("cn[1-10]", "cn1", "cn10", 10), ("r1n[001-100]", "r1n001", "r1n100", 100)],
)
def test_ranges_expand_names_ids_and_ips(tmp_path: Path, names: str, first: str, last: str,
                                         count: int) -> None:
    spec = _load(tmp_path, HEAD.replace("255.255.255.0", "255.255.0.0") + f"""lpar_ranges:
  - names: {names}
    hmc: hmc01
    cec: cec1
    first_id: 11
    first_ip: 10.0.0.250
    profile: compute
    osimage: img
""")
    lpars = list(spec.lpars.values())
    assert (lpars[0].name, lpars[-1].name, len(lpars)) == (first, last, count)
    assert (lpars[0].id, lpars[-1].id) == (11, 10 + count)
    assert lpars[0].ip == IPv4Address("10.0.0.250")
    assert lpars[-1].ip == IPv4Address("10.0.0.250") + (count - 1)
    assert {lpar.profile for lpar in lpars} == {"compute"}
    assert spec.location(f"lpar.{last}") == spec.location(f"lpar.{first}")


def test_lpar_in_range_and_map_names_both_places(tmp_path: Path) -> None:
    errors = _errors(tmp_path, HEAD + """lpar_defaults: {hmc: hmc01, cec: cec1, osimage: img}
lpars:
  node05: {id: 1, profile: p, ip: 10.0.0.5}
lpar_ranges:
  - {names: "node[04-06]", first_id: 4, first_ip: 10.0.0.4, profile: p}
""")
    spec_file = str(tmp_path / "spec.yaml")
    assert errors == [f"{spec_file}:16:5: lpar.node05: node05 is defined twice: first in lpars "
                      f"at {spec_file}:14:3, again here"]


def test_anchors_and_merge_keys(tmp_path: Path) -> None:
    spec = _load(tmp_path, HEAD + """lpar_defaults: &base {hmc: hmc01, cec: cec1, osimage: img}
lpars:
  n1: &small {<<: *base, id: 1, profile: small, ip: 10.0.0.1}
  n2: {<<: *small, id: 2, ip: 10.0.0.2, mac: "FE:F9:DF:B7:C6:02"}
""")
    assert spec.lpars["n2"].profile == "small"
    assert spec.lpars["n2"].mac == "fef9dfb7c602"


def test_directory_merge_and_names_defined_once(tmp_path: Path) -> None:
    (tmp_path / "a-base.yaml").write_text(HEAD, encoding="utf-8")
    (tmp_path / "b-lpars.yaml").write_text("""lpar_defaults: {hmc: hmc01, cec: cec1, osimage: img}
lpars:
  n1: {id: 1, profile: p, ip: 10.0.0.1}
lpar_ranges:
  - {names: "m[1-2]", first_id: 5, first_ip: 10.0.0.5, profile: p}
""", encoding="utf-8")
    (tmp_path / "c-more.yaml").write_text("""lpar_ranges:
  - {names: "k[1-2]", first_id: 7, first_ip: 10.0.0.7, profile: p, hmc: hmc09}
""", encoding="utf-8")
    with pytest.raises(XcloneError) as caught:
        load_spec(tmp_path)
    assert [d.format() for d in caught.value.diagnostics] == [
        f"{tmp_path / 'c-more.yaml'}:2:73: lpar_ranges[1]: hmc 'hmc09' is not defined under hmcs "
        "(defined: hmc01)"]
    (tmp_path / "c-more.yaml").write_text("""groups:
  aixnodes: {}
""", encoding="utf-8")
    with pytest.raises(XcloneError) as caught:
        load_spec(tmp_path)
    (message,) = [d.format() for d in caught.value.diagnostics]
    assert message.startswith(f"{tmp_path / 'c-more.yaml'}:2:3: groups entry 'aixnodes' is "
                              f"defined twice (first at {tmp_path / 'a-base.yaml'}:11:3)")
    (tmp_path / "c-more.yaml").unlink()
    spec = load_spec(tmp_path)
    assert sorted(spec.lpars) == ["m1", "m2", "n1"]
    assert spec.location("lpar.m2") == Location(str(tmp_path / "b-lpars.yaml"), 5, 5)
    assert spec.location("hmc.hmc01") == Location(str(tmp_path / "a-base.yaml"), 5, 3)


def test_model_dump_is_plain_data_without_locations() -> None:
    spec = load_spec(EXAMPLES / "seed-cluster.yaml")
    dumped = spec.model_dump(mode="json")
    assert "_locations" not in dumped
    assert dumped["lpars"]["node01"]["ip"] == "9.114.113.230"
    assert spec.location("lpar.node01") is not None
    assert spec.location("lpar.nosuch") is None


def test_models_are_frozen_and_reject_unknown_keys() -> None:
    lpar = Lpar(name="n1", hmc="h", cec="c", id=1, profile="p", state="absent")
    with pytest.raises(ValueError):
        lpar.id = 2
    with pytest.raises(ValueError, match="Extra inputs"):
        Lpar.model_validate({"name": "n1", "hmc": "h", "cec": "c", "id": 1, "profile": "p",
                             "state": "absent", "colour": "red"})


def test_many_problems_are_all_reported(tmp_path: Path) -> None:
    errors = _errors(tmp_path, HEAD + """lpar_defaults: {hmc: hmc01, cec: cec1, osimage: img}
lpars:
  n1: {id: 1, profile: p, ip: 10.0.0.1}
  n2: {id: 1, profile: p, ip: 10.0.0.1, groups: [nosuch]}
  n3: {id: 3, profile: p, ip: 10.0.1.1}
""")
    assert len(errors) == 4
    assert any("group 'nosuch' is not defined" in e for e in errors)
    assert any("not inside any network" in e for e in errors)
