"""Networks and postscripts under the NIM driver (docs/nim-driver.md steps 2 and 6): a NIM `ent`
network with the spec network's address and mask is reused under its own name, one on the same
addresses with another mask is an error, otherwise `nim -o define -t ent` with `routing1`
(IBM AIX "Defining NIM networks": net_addr and snm required); each postscript is a `script`
resource (IBM AIX "Using a script resource": several may be allocated to one install)."""

from __future__ import annotations

from tests.apply.helpers import Scenario
from tests.plan.nim.helpers import (
    MARK,
    MASTER,
    apply,
    changes,
    commands,
    ok,
    plan_doc,
    plan_error,
)


def routed(seed: Scenario) -> None:
    """The LPARs on a subnet of their own behind a router (the master stays on master_net)."""
    seed.spec_data["networks"]["net1"] = {"net": "9.114.114.0", "mask": "255.255.255.0",
                                          "gateway": "9.114.114.254"}
    seed.spec_data["lpars"]["node01"]["ip"] = "9.114.114.10"
    seed.spec_data["lpars"]["node02"]["ip"] = "9.114.114.11"
    seed.write_spec()


def test_a_new_network_is_defined_and_its_machines_placed_on_it(nim: Scenario) -> None:
    """The boot crosses the router: lpar_netboot gets the network's gateway and the master's
    own address; the install converges and `--destroy` removes the network last."""
    routed(nim)
    doc = plan_doc(nim)
    define = (f"{MASTER}: LC_ALL=C nim -o define -t ent -a net_addr=9.114.114.0 "
              "-a snm=255.255.255.0 -a 'routing1=default 9.114.114.254' "
              f"-a comments={MARK} net1")
    assert commands(doc)[0] == define
    machine = next(a for a in doc["actions"] if a["command"].endswith(" node01")
                   and a["kind"] == "nim-define-machine")
    assert "'if1=net1 node01 fef9dfa81e02'" in machine["command"]
    assert doc["actions"][0]["id"] in machine["depends_on"]
    netboot = next(a["command"] for a in doc["actions"] if "node01 lpar9" in a["command"])
    assert "-S 9.114.113.225 -G 9.114.114.254 -C 9.114.114.10 -K 255.255.255.0" in netboot
    assert changes(doc)["network.net1"] == ["create"]
    apply(nim)
    assert plan_doc(nim)["actions"] == []
    doc = plan_doc(nim, "--destroy")
    remove = next(a for a in doc["actions"] if a["command"] == "LC_ALL=C nim -o remove net1")
    machines = {a["id"] for a in doc["actions"] if a["command"].startswith(
        "LC_ALL=C nim -o remove node0")}
    assert machines <= set(remove["depends_on"])


def test_same_addresses_another_mask_is_an_error_naming_both(nim: Scenario) -> None:
    nim.spec_data["networks"]["net1"].update(mask="255.255.255.240", gateway="9.114.113.238")
    nim.write_spec()
    out = plan_error(nim)
    assert "network.net1" in out
    assert ("network 9.114.113.224/28 (mask 255.255.255.240): NIM network master_net "
            "(9.114.113.224 mask 255.255.255.224) has the same address with another mask") in out


def test_an_existing_script_resource_is_used_not_redefined(nim: Scenario) -> None:
    """A script resource the administrator defined under the postscript's name is allocated
    as it is; only the missing ones are defined, listed under the osimage its installs use."""
    ok(nim, "nim -o define -t script -a server=master -a location=/export/nim/script_res/setupntp "
            "setupntp")
    doc = plan_doc(nim)
    defined = [a["command"].rsplit(" ", 1)[1] for a in doc["actions"]
               if a["kind"] == "nim-define-script"]
    assert defined == ["bar", "confignimsh", "foo"]
    assert {a["addresses"][0] for a in doc["actions"] if a["kind"] == "nim-define-script"} == {
        "osimage.610sysb"}
    image = next(c for c in doc["resource_changes"] if c["address"] == "osimage.610sysb")
    assert "defines NIM script resources bar, confignimsh, foo" in image["notes"]
    bos_inst = [a["command"] for a in doc["actions"] if a["kind"] == "nim-bos-inst"]
    assert all("-a script=setupntp -a script=confignimsh" in c for c in bos_inst)
