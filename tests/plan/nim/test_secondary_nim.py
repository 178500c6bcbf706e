"""Secondary adapters under the NIM driver (issue 15 item 8, the runbook's
"Configuring_Secondary_Adapters"), through the real CLI against the NIM lab.

Facts: IBM AIX "Defining NIM clients" and "Adding another network type to a NIM client": a
standalone machine's further interface is `if<N>='NET HOST MAC'` with `cable_type<N>`, N from
2, the third field the adapter's hardware address or 0 when unknown; NIM resolves HOST on the
master (IBM AIX "hostent Command" adds and deletes its /etc/hosts line). `-a ATTR=` with no
value removes an attribute (docs/formats.md "NIM").
"""

from __future__ import annotations

import json
from typing import Any

from tests.apply.helpers import Scenario
from tests.plan.nim.helpers import MASTER, apply, changes, commands, ok, plan_doc

NET2 = {"net": "10.1.0.0", "mask": "255.255.255.0", "gateway": "10.1.0.254"}
IF2 = "if2=net2 node01-en1 0"


def _with_en1(seed: Scenario, ip: str = "10.1.0.30") -> None:
    seed.write_spec(networks={**seed.spec_data["networks"], "net2": NET2})
    seed.set_lpar("node01", interfaces={"en1": {"network": "net2", "ip": ip}})


def _node01(doc: dict[str, Any]) -> list[str]:
    return [c for c in commands(doc) if "node01" in c and "define -t script" not in c]


def test_a_secondary_interface_is_if2_at_define_time_with_its_own_host_name(
        nim: Scenario) -> None:
    """en1 on net2 (a NIM network the plan defines) becomes if2/cable_type2 of the machine's
    define, after `hostent` for node01-en1; applied, NIM shows it and the plan converges."""
    _with_en1(nim)
    chain = _node01(plan_doc(nim))
    assert chain[1] == f"{MASTER}: LC_ALL=C hostent -a 10.1.0.30 -h node01-en1"
    define = chain[2]
    assert f"-a '{IF2}' -a cable_type2=N/A" in define and define.endswith(" node01"), define
    define_net = next(c for c in commands(plan_doc(nim)) if "define -t ent" in c)
    assert define_net.endswith(" net2")
    apply(nim)
    assert "if2            = net2 node01-en1 0" in ok(nim, "lsnim -l node01")
    assert "10.1.0.30 node01-en1" in ok(nim, "cat /etc/hosts")
    assert nim.plan("--detailed-exitcode").exit_code == 0


def test_an_existing_machine_gets_its_interface_by_nim_change(nim: Scenario) -> None:
    apply(nim)
    _with_en1(nim)
    doc = plan_doc(nim)
    assert changes(doc)["lpar.node01"] == ["update"]
    chain = _node01(doc)
    assert chain == [f"{MASTER}: LC_ALL=C hostent -a 10.1.0.30 -h node01-en1",
                     f"{MASTER}: LC_ALL=C nim -o change -a '{IF2}' -a cable_type2=N/A node01"]
    apply(nim)
    assert "if2            = net2 node01-en1 0" in ok(nim, "lsnim -l node01")
    assert nim.plan("--detailed-exitcode").exit_code == 0


def test_a_changed_secondary_ip_is_an_in_place_update_of_its_hosts_line(nim: Scenario) -> None:
    """if2 names the host, not the address: only node01-en1's /etc/hosts line changes, no
    reinstall and no boot."""
    _with_en1(nim)
    apply(nim)
    _with_en1(nim, "10.1.0.31")
    doc = plan_doc(nim)
    assert changes(doc)["lpar.node01"] == ["update"]
    assert commands(doc) == [f"{MASTER}: LC_ALL=C hostent -d 10.1.0.30",
                             f"{MASTER}: LC_ALL=C hostent -a 10.1.0.31 -h node01-en1"]
    apply(nim)
    hosts = ok(nim, "cat /etc/hosts")
    assert "10.1.0.31 node01-en1" in hosts and "10.1.0.30" not in hosts
    assert nim.plan("--detailed-exitcode").exit_code == 0


def test_an_interface_left_out_is_removed_from_the_machine(nim: Scenario) -> None:
    """`-a if2=` (no value) removes the attribute; node01-en1's own line goes too."""
    _with_en1(nim)
    apply(nim)
    nim.set_lpar("node01", interfaces={})
    doc = plan_doc(nim)
    assert commands(doc) == [f"{MASTER}: LC_ALL=C nim -o change -a if2= -a cable_type2= node01",
                             f"{MASTER}: LC_ALL=C hostent -d 10.1.0.30"]
    apply(nim)
    assert "if2" not in ok(nim, "lsnim -l node01")
    assert "node01-en1" not in ok(nim, "cat /etc/hosts")
    assert nim.plan("--detailed-exitcode").exit_code == 0


def test_cleanup_removes_the_secondary_hosts_line(nim: Scenario) -> None:
    """An absent LPAR's machine goes with its own line and its secondary interfaces' lines."""
    _with_en1(nim)
    apply(nim)
    nim.set_lpar("node01", state="absent")
    doc = plan_doc(nim)
    deletes = [c for c in commands(doc) if "hostent -d" in c]
    assert deletes == [f"{MASTER}: LC_ALL=C hostent -d 9.114.113.230",
                       f"{MASTER}: LC_ALL=C hostent -d 10.1.0.30"], json.dumps(deletes)
    apply(nim)
    hosts = ok(nim, "cat /etc/hosts")
    assert "node01" not in hosts, hosts


def test_a_reinstall_changes_the_interfaces_after_the_deallocation(nim: Scenario) -> None:
    """NIM takes a machine change only with nothing allocated: under `--replace` the if2
    change goes after the reset and the deallocation, before bos_inst."""
    apply(nim)
    _with_en1(nim)
    chain = [c.split("LC_ALL=C ", 1)[-1] for c in _node01(plan_doc(nim, "--replace",
                                                                  "lpar.node01"))]
    assert chain[1:4] == ["nim -Fo reset node01", "nim -o deallocate -a subclass=all node01",
                          f"nim -o change -a '{IF2}' -a cable_type2=N/A node01"]
    assert chain[4].startswith("nim -o bos_inst")
