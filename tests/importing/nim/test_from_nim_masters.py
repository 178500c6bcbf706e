"""`xclone import --from-nim --master HOST --install-server HOST...` of a cluster with two NIM
masters (issue 17), through the real CLI on the two-master lab (specs/examples/nim-multi.yaml
applied on nim-multi-lab.yaml, then every mark removed, as if built by hand on each master):
the spec written names nim2 under install_servers serving the network its machines are on,
its LPARs say they are installed from it, it validates, and once adopted plans nothing.

Facts as tests/importing/nim/test_from_nim.py (docs/formats.md "NIM": a machine's `if1`, a
network's `net_addr`/`snm`/`routing1`; each NIM master lists only its own objects)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.apply.helpers import Scenario
from tests.apply.nim.test_install_servers import PAIR
from tests.importing.nim.conftest import HMC


def _run(seed: Scenario, host: str, command: str) -> str:
    result = seed.lab.execute(host, command)
    assert result.exit_status == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture
def by_hand(tmp_path: Path) -> Scenario:
    seed = Scenario(tmp_path, **PAIR)
    assert seed.converge().exit_code == 0
    for host in ("nimmaster", "nim2"):
        names = [line.split(":", 1)[0] for line in _run(seed, host, "lsnim -l").splitlines()
                 if line and not line[0].isspace()]
        for name in names:
            _run(seed, host, f"nim -o change -a comments= {name}")
    _run(seed, "nimmaster", "hostent -a 9.114.113.227 -h node27")  # the golden client's line
    return seed


def _from_nim(seed: Scenario, *extra: str) -> tuple[int, str]:
    result = seed.xclone("import", "--from-nim", "--master", "nimmaster", "--hmc",
                         f"hmc01={HMC}", "--lab", str(seed.lab_file), *extra)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_two_masters_import_to_install_servers_and_plan_nothing_once_adopted(
        by_hand: Scenario) -> None:
    spec = by_hand.dir / "imported.yaml"
    code, out = _from_nim(by_hand, "--install-server", "nim2", "--cluster", "clustersite",
                          "-o", str(spec))
    assert code == 0, out
    text = spec.read_text(encoding="utf-8")
    assert "from NIM master nimmaster, nim2: 5 LPARs" in text
    assert "install_servers:\n  nim2: {host: nim2, user: root, networks: [nim2_master_net]}\n" \
        in text
    # Both masters call their own network master_net: nim2's subnet gets its master's prefix.
    assert "  master_net: {net: 9.114.113.224, mask: 255.255.255.224, gateway: 9.114.113.254}\n" \
        in text
    assert ("  nim2_master_net: {net: 9.114.114.0, mask: 255.255.255.224, "
            "gateway: 9.114.114.30}\n") in text
    for node, line in (("node03", "{id: 11, ip: 9.114.114.10, profile: lpar11}"),
                       ("node04", "{id: 12, ip: 9.114.114.11, profile: lpar12}")):
        assert f"  # installed from nim2 (it serves nim2_master_net)\n  {node}: {line}\n" in text
    assert "  node01: {id: 9, ip: 9.114.113.230, profile: lpar9}\n" in text
    assert "Not imported" not in text
    validated = by_hand.xclone("validate", str(spec))
    assert validated.exit_code == 0, validated.output
    adopted = by_hand.xclone("import", str(spec), "--all", "--auto-approve", "--lab",
                             str(by_hand.lab_file))
    assert adopted.exit_code == 0, adopted.output
    assert "lpar.node03: NIM machines node03 on nim2" in adopted.output
    plan = by_hand.xclone("plan", str(spec), "--lab", str(by_hand.lab_file),
                          "--detailed-exitcode")
    assert plan.exit_code == 0, plan.output
    assert "No changes." in plan.output


def test_without_install_server_only_the_primarys_machines_are_imported(
        by_hand: Scenario) -> None:
    code, out = _from_nim(by_hand)
    assert code == 0, out
    assert "install_servers" not in out and "node03" not in out and "node01" in out


def test_install_server_options_are_checked(by_hand: Scenario) -> None:
    code, out = _from_nim(by_hand, "--install-server", "nimmaster")
    assert code == 1 and "Error: nimmaster is given twice (--master, --install-server)" in out
    code, out = _from_nim(by_hand, "--install-server", "a@b@c")
    assert code == 1 and "--install-server 'a@b@c': expected HOST or USER@HOST" in out
    result = by_hand.xclone("import", "--install-server", "nim2")
    assert result.exit_code == 1, result.output  # a usage error: exit 1 (CONTRACT)
    assert "--master, --install-server and --hmc go with --from-nim" in result.output
