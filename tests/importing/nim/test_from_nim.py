"""`xclone import --from-nim`: a `driver: nim` spec written from what the NIM master and its HMCs
show, which loads, and which plans nothing once `xclone import SPEC --all` adopted the cluster.

Facts (docs/formats.md "NIM" and "HMC"): a standalone machine's `if1` is `<network> <hostname>
<mac|0> [adapter]` (as xcat2nim writes it); a network's `net_addr`, `snm`, `routing1 = default
GATEWAY` (IBM AIX, "Defining a heterogeneous network", the `lsnim -l` example); a mksysb
resource's `location`; a successful install ends at "ready for a NIM operation" with
`Cstate_result = success`; `lshwres ... -F lpar_name,slot_num,mac_addr` lists the partitions'
virtual Ethernet MACs (HMC man page LSHWRES); /etc/hosts maps an address to its names (AIX
"hosts File Format for TCP/IP")."""

from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import Result

from tests.apply.helpers import Scenario
from tests.importing.nim.conftest import CEC, HMC, build_by_hand, nim_attr, run

MARK = "xclone:clustersite"


def _from_nim(seed: Scenario, *extra: str) -> Result:
    return seed.xclone("import", "--from-nim", "--master", "nimmaster", "--hmc",
                       f"hmc01={HMC}", "--lab", str(seed.lab_file), *extra)


def _written(seed: Scenario) -> tuple[Path, str]:
    out = seed.dir / "imported.yaml"
    result = _from_nim(seed, "--cluster", "clustersite", "-o", str(out))
    assert result.exit_code == 0, result.output
    return out, out.read_text(encoding="utf-8")


def test_a_cluster_built_by_hand_imports_to_a_spec_that_plans_nothing_once_adopted(
        nim: Scenario) -> None:
    build_by_hand(nim)
    spec, text = _written(nim)
    assert "driver: nim\n" in text and "cluster: clustersite\n" in text
    assert "management_node: {host: nimmaster, user: root}\n" in text
    assert (f"  hmc01: {{host: {HMC}, username: hscroot, password: {{env: HMC01_PASSWORD}}}}\n"
            in text)
    assert ("  master_net: {net: 9.114.113.224, mask: 255.255.255.224, gateway: 9.114.113.254}\n"
            in text)
    assert "  610sysb: {location: /export/nim/mksysb/610sysb_mksysb, spot: 610sysb_spot}\n" in text
    assert f"lpar_defaults: {{hmc: hmc01, cec: {CEC}, osimage: 610sysb}}\n" in text
    assert "  node01: {id: 9, ip: 9.114.113.230, profile: lpar9}\n" in text
    assert "  node02: {id: 7, ip: 9.114.113.231, profile: lpar6}\n" in text
    assert "  node27: {id: 3, ip: 9.114.113.227, profile: lpar3}\n" in text
    assert "mac:" not in text  # every if1 MAC is the partition's first lshwres MAC
    assert nim.xclone("validate", str(spec)).exit_code == 0
    adopted = nim.xclone("import", str(spec), "--all", "--auto-approve", "--lab",
                         str(nim.lab_file))
    assert adopted.exit_code == 0, adopted.output
    assert "network.master_net: NIM network master_net is the master's own" in adopted.output
    assert nim_attr(nim, "master_net", "comments") == ""  # never xclone's to remove
    assert nim_attr(nim, "610sysb_spot", "comments") == ""  # named in the spec: the admin's
    plan = nim.xclone("plan", str(spec), "--lab", str(nim.lab_file), "--detailed-exitcode")
    assert plan.exit_code == 0, plan.output
    assert "No changes." in plan.output


def _more_partitions(seed: Scenario, count: int) -> None:
    """The lab with partitions node03.. (ids 11.., one virtual Ethernet adapter each)."""
    lab = yaml.safe_load(seed.lab_file.read_text(encoding="utf-8"))
    lpars = lab["hmcs"]["hmc01"]["systems"][CEC]["lpars"]
    for n in range(3, 3 + count):
        lpars[f"node{n:02d}"] = {"id": 8 + n, "profiles": ["compute"], "state": "Not Activated",
                                 "adapters": [{"slot": 2, "mac": f"fef9dfc000{n:02x}"}]}
    seed.lab_file.write_text(yaml.safe_dump(lab, sort_keys=False), encoding="utf-8")


def _define(seed: Scenario, name: str, ip: str, mac: str) -> None:
    run(seed, seed.master, f"hostent -a {ip} -h {name}")
    run(seed, seed.master, "nim -o define -t standalone -a platform=chrp -a netboot_kernel=64 "
        f"-a if1='master_net {name} {mac}' -a cable_type1=N/A {name}")


def test_machines_never_installed_are_defined_and_counting_ones_form_a_range(
        nim: Scenario) -> None:
    _more_partitions(nim, 5)
    build_by_hand(nim)
    for n in range(3, 8):
        _define(nim, f"node{n:02d}", f"9.114.113.{229 + n}", f"fef9dfc000{n:02x}")
    spec, text = _written(nim)
    assert f"lpar_defaults: {{hmc: hmc01, cec: {CEC}, profile: compute, osimage: 610sysb}}" in text
    assert ('lpar_ranges:\n  - names: "node[03-07]"\n    first_id: 11\n'
            "    first_ip: 9.114.113.232\n    state: defined\n") in text
    assert "  node01: {id: 9, ip: 9.114.113.230, profile: lpar9}\n" in text  # installed: single
    assert nim.xclone("validate", str(spec)).exit_code == 0
    assert nim.xclone("import", str(spec), "--all", "--auto-approve", "--lab",
                      str(nim.lab_file)).exit_code == 0
    plan = nim.xclone("plan", str(spec), "--lab", str(nim.lab_file), "--detailed-exitcode")
    assert plan.exit_code == 0, plan.output  # no install of what was never installed


def test_an_if1_mac_that_is_not_the_first_lshwres_mac_is_written(nim: Scenario) -> None:
    """NIM installs over the if1 adapter; the NIM driver would take lshwres's first MAC."""
    _more_partitions(nim, 1)
    _define(nim, "node03", "9.114.113.232", "fef9dfc0ffee")
    _, text = _written(nim)
    assert ("  node03: {id: 11, ip: 9.114.113.232, mac: fef9dfc0ffee, profile: compute, "
            "state: defined}\n") in text


def test_a_machine_without_a_partition_is_listed_as_not_imported(nim: Scenario) -> None:
    _define(nim, "lonely", "9.114.113.250", "fef9dfc0aaaa")
    result = _from_nim(nim)
    assert result.exit_code == 0, result.output
    assert ("#   NIM machine lonely: no partition of that name on the HMCs given (xclone never "
            "creates partitions)\n") in result.output
    assert "  lonely:" not in result.output


def test_the_import_changes_nothing_and_leaves_todos_for_what_nim_lacks(
        nim: Scenario) -> None:
    """The fresh lab: only the golden client, no mksysb resource yet."""
    before = run(nim, nim.master, "lsnim -l")
    result = _from_nim(nim)
    assert result.exit_code == 0, result.output
    assert run(nim, nim.master, "lsnim -l") == before
    assert "cluster: <TODO>\n" in result.output
    assert "  <TODO>: {location: <TODO>, spot: <TODO>}\n" in result.output
    assert "  node27: {id: 3, ip: 9.114.113.227}\n" in result.output
    (nim.dir / "todo.yaml").write_text(result.output, encoding="utf-8")
    invalid = nim.xclone("validate", str(nim.dir / "todo.yaml"))
    assert invalid.exit_code == 1 and "<TODO>" in invalid.output


def test_wrong_options_are_one_clear_error(nim: Scenario) -> None:
    cases = [
        (("--hmc", "hmc01"), "expected NAME=HOST or NAME=USER@HOST"),
        (("--hmc", "hmc01=a", "--hmc", "hmc01=b"), "--hmc hmc01 is given twice"),
    ]
    for extra, message in cases:
        result = nim.xclone("import", "--from-nim", "--master", "nimmaster", *extra,
                            "--lab", str(nim.lab_file))
        assert result.exit_code == 1 and message in result.output, result.output
    alone = nim.xclone("import", "--from-nim", "--master", "nimmaster", "--lab",
                       str(nim.lab_file))
    assert alone.exit_code == 1 and "needs at least one --hmc" in alone.output
    for args, message in ((("--from-nim", "--hmc", f"hmc01={HMC}"), "needs --master HOST"),
                          (("--from-nim", "--stanza", "x"), "exclude each other"),
                          (("--master", "nimmaster"), "go with --from-nim")):
        usage = nim.xclone("import", *args)
        assert usage.exit_code == 1 and "Error: --" in usage.output, usage.output
        assert message in usage.output and "Traceback" not in usage.output


def test_a_managed_system_the_hmc_cannot_reach_is_said_not_read(nim: Scenario) -> None:
    """`lssyscfg -r sys` state `No Connection`: the HMC cannot list its partitions
    (docs/formats.md "HMC"), so its machines are not imported, and the spec says why."""
    lab = yaml.safe_load(nim.lab_file.read_text(encoding="utf-8"))
    lab["hmcs"]["hmc01"]["systems"][CEC]["state"] = "No Connection"
    nim.lab_file.write_text(yaml.safe_dump(lab, sort_keys=False), encoding="utf-8")
    result = _from_nim(nim)
    assert result.exit_code == 0, result.output
    assert (f"#   managed system {CEC} (HMC hmc01) is No Connection: its partitions were not "
            "read\n") in result.output
    assert "#   NIM machine node27: no partition of that name" in result.output
