"""MAC discovery under `driver: nim`: a partition whose install adapter is physical has no
virtual Ethernet for lshwres to list, so with no `mac:` the plan reads the MAC with the HMC's
`lpar_netboot -M -n -t ent NAME PROFILE SYSTEM` (HMC man page LPAR_NETBOOT: `-M -n` lists MAC
addresses and location codes without a network boot; it boots the partition to Open Firmware,
so the read is destructive and refused on a protected LPAR), and the machine's define and the
install boot use the MAC read at apply time (the `((read:KEY))` marker, xclone/base/known_after.py).
The adapter table is the format of xCAT 2.9.2's port of the same script (LparNetbootExp.pm lines
3010-3072: `TYPE LOCATION MAC PATH PING DEVICE_TYPE`, or `:`-joined under `#Type:`)."""

from __future__ import annotations

from typing import Any

from tests.apply.helpers import Scenario
from tests.plan.nim.helpers import (
    CEC,
    HMC,
    MARK,
    MASTER,
    apply,
    commands,
    edit_lab,
    ok,
    plan_doc,
    plan_error,
)
from xclone.apply.checks import Verdict
from xclone.base.remote import Result
from xclone.drivers.nim import judges
from xclone.drivers.nim.kinds import ActionKind
from xclone.plan.action import Action

PHYSICAL_MAC = "00145e7a6b01"
DISCOVER = f"{HMC}: lpar_netboot -M -n -t ent node01 lpar9 {CEC}"


def _physical(lab: dict[str, Any]) -> None:
    """node01's only adapter is a physical one (an Open Firmware PCI path, kind physical)."""
    lab["hmcs"]["hmc01"]["systems"][CEC]["lpars"]["node01"]["adapters"] = [{
        "slot": 2, "mac": PHYSICAL_MAC, "kind": "physical",
        "path": "/pci@800000020000202/pci@1/ethernet@1",
        "location": "U789D.001.DQD1234-P1-C3-T1"}]


def test_a_physical_adapter_plans_a_destructive_mac_read(nim: Scenario) -> None:
    """The read runs before the define (after the console is closed), is destructive, and the
    define and the install boot carry the marker of its value; the block shows the MAC as
    known after apply, with a note saying what the read does."""
    edit_lab(nim, _physical)
    doc = plan_doc(nim)
    chain = [c for c in commands(doc) if "node01" in c and "define -t script" not in c]
    assert chain[:4] == [
        f"{MASTER}: LC_ALL=C hostent -a 9.114.113.230 -h node01",
        f"{HMC}: rmvterm -m {CEC} -p node01",
        DISCOVER,
        f"{MASTER}: LC_ALL=C nim -o define -t standalone -a platform=chrp -a netboot_kernel=64 "
        f"-a 'if1=master_net node01 ((read:node01.mac))' -a cable_type1=N/A "
        f"-a comments={MARK} node01",
    ]
    assert any("lpar_netboot -f -t ent -m '((read:node01.mac))'" in c for c in chain)
    read = next(a for a in doc["actions"] if a["command"] == DISCOVER.split(": ", 1)[1])
    assert read["destructive"] and read["extra"] == {"reads": "node01.mac"}
    text = nim.plan().output
    assert '+ if1 = "master_net node01 (known after apply)"' in text
    assert "lpar_netboot -M -n power-cycles node01 through Open Firmware to read its MAC" in text


def test_a_protected_lpar_is_not_power_cycled_to_read_its_mac(nim: Scenario) -> None:
    edit_lab(nim, _physical)
    nim.set_lpar("node01", protect=True)
    out = plan_error(nim)
    assert "lpar.node01" in out and "lpar_netboot -M -n would power-cycle" in out
    assert "set `mac:`" in out


def test_apply_uses_the_mac_read_and_converges(nim: Scenario) -> None:
    """Apply reads the physical MAC, defines the machine with it and boots over it; the next
    plan finds it in the machine's if1 and plans nothing (no second read)."""
    edit_lab(nim, _physical)
    apply(nim)
    assert f"master_net node01 {PHYSICAL_MAC}" in ok(nim, "lsnim -l node01")
    journal = nim.journals()[-1].read_text(encoding="utf-8")
    assert f"lpar_netboot -f -t ent -m {PHYSICAL_MAC} " in journal
    assert '"values": {"node01.mac": "' + PHYSICAL_MAC + '"}' in journal
    result = nim.plan("--detailed-exitcode")
    assert result.exit_code == 0, result.output


def _discovery(extra: tuple[tuple[str, str], ...] = (("reads", "node01.mac"),)) -> Action:
    return Action("001", ActionKind.LPAR_NETBOOT, HMC, ("lpar_netboot", "-M", "-n", "-t", "ent"),
                  ("node01", "lpar9", CEC), (), (), (), (), True, (), env=(), extra=extra)


def _result(stdout: str) -> Result:
    return Result(HMC, "lpar_netboot -M -n -t ent node01 lpar9 " + CEC, 0, stdout, "")


def test_the_judge_reads_both_table_forms_and_fails_an_empty_one() -> None:
    blank = ("# Getting adapter location codes.\n# Type\t Location Code\t MAC Address\t Full "
             "Path Name\t Ping Result\t Device Type\nent U789D.001.DQD1234-P1-C3-T1 "
             "00145E7A6B01 /pci@800000020000202/pci@1/ethernet@1 n/a physical\n")
    colon = ("#Type:Location_Code:MAC_Address:Full_Path_Name:Ping_Result:Device_Type:Size_MB:"
             "OS:OS_Version:\nent:U789D.001.DQD1234-P1-C3-T1:00145e7a6b01:"
             "/pci@800000020000202/pci@1/ethernet@1:n/a:physical::::\n")
    for stdout in (blank, colon):
        verdict = judges.judge(_discovery(), (), _result(stdout), None)
        assert verdict == Verdict((), {}, False, (("node01.mac", PHYSICAL_MAC),))
    empty = judges.judge(_discovery(), (), _result("# Type\t Location Code\n"), None)
    assert not empty.ok and "listed no Ethernet adapter" in empty.failed[""]


def test_a_saved_plan_carries_the_marker_and_applies_with_the_mac_read(nim: Scenario) -> None:
    """`plan -o FILE` keeps `((read:node01.mac))` in the saved actions (what was reviewed);
    `apply FILE` reads the MAC and fills it in, as a plan made and applied at once does."""
    edit_lab(nim, _physical)
    assert nim.plan("-o", "mac.plan").exit_code == 0
    assert "((read:node01.mac))" in (nim.dir / "mac.plan").read_text(encoding="utf-8")
    result = nim.xclone("apply", "mac.plan")
    assert result.exit_code == 0, result.output
    assert f"master_net node01 {PHYSICAL_MAC}" in ok(nim, "lsnim -l node01")
