"""`netboot: nim`: NIM boots its managed clients itself through the HMC (IBM AIX "Defining NIM
clients": a managed client's mgmt_source, a cec object, and identity, the LPAR id;
`bos_inst -a boot_client=yes`; dsm.core's `dpasswd` password file for the hmc object). The plan
defines the hmc and cec objects, gives each machine its profile, arms and boots with one
bos_inst (destructive), has no HMC command, and holds the password only as its reference."""

from __future__ import annotations

from tests.apply.helpers import PASSWORD, Scenario
from tests.plan.nim.helpers import CEC, HMC, MARK, MASTER, apply, changes, commands, plan_doc

PASSWD_FILE = "/etc/ibm/sysmgt/dsm/config/hmc01"


def test_managed_clients_plan_converge_and_destroy(nim: Scenario) -> None:
    nim.write_spec(netboot="nim")
    doc = plan_doc(nim)
    shown = commands(doc)
    assert shown[0] == f"{MASTER}: LC_ALL=C dpasswd -f {PASSWD_FILE} -U hscroot -o"
    assert doc["actions"][0]["stdin"] == "***\n"  # the reference, filled in only when sent
    assert doc["actions"][0]["secret_refs"] == ["env:HMC01_PASSWORD"]
    assert PASSWORD not in str(doc)
    assert (f"{MASTER}: LC_ALL=C nim -o define -t hmc -a passwd_file={PASSWD_FILE} "
            f"-a 'if1=find_net {HMC} 0' -a comments={MARK} hmc01") in shown
    assert (f"{MASTER}: LC_ALL=C nim -o define -t cec -a hw_type=9117 -a hw_model=MMA "
            f"-a hw_serial=10F6F3D -a mgmt_source=hmc01 -a comments={MARK} {CEC}") in shown
    define = next(a for a in doc["actions"] if a["kind"] == "nim-define-machine"
                  and a["command"].endswith(" node01"))
    assert f"-a mgmt_source={CEC} -a identity=9 " in define["command"]
    bos_inst = [a for a in doc["actions"] if a["kind"] == "nim-bos-inst"]
    assert all(a["destructive"] and "-a boot_client=yes " in a["command"] for a in bos_inst)
    assert not [a for a in doc["actions"] if a["host"] == HMC]
    assert changes(doc)["hmc.hmc01"] == ["create"] and changes(doc)[f"cec.{CEC}"] == ["create"]
    apply(nim)
    assert plan_doc(nim)["actions"] == []
    destroy = plan_doc(nim, "--destroy")
    removes = {a["command"].rsplit(" ", 1)[1]: a for a in destroy["actions"]
               if a["kind"] == "nim-remove"}
    assert removes[CEC]["id"] in removes["hmc01"]["depends_on"]  # the cec names the hmc
    assert removes["node01"]["id"] in removes[CEC]["depends_on"]
