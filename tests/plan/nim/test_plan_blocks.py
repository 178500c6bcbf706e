"""What a reviewer sees of each NIM resource in the plan, as Terraform shows every attribute of a
resource: the NIM machine's define attributes (IBM AIX "nim Command", define -t standalone:
platform, netboot_kernel, if1 `NET HOST MAC`, cable_type1, comments) with the partition's place
on the HMC (the lpar_netboot words: HMC, managed system, id, profile), the osimage's resources
with their location and source ("Using a mksysb resource", "Using a SPOT resource", "Using the
bosinst_data resource"), a network's net_addr/snm/routing1 ("Defining a network"); the same
attributes in the JSON plan's `after`, and a changed adapter as `~ if1: old -> new`."""

from __future__ import annotations

from tests.apply.helpers import Scenario
from tests.plan.nim.helpers import CEC, MARK, apply, plan_doc

NODE01 = {
    "if1": "master_net node01 fef9dfa81e02", "platform": "chrp", "netboot_kernel": "64",
    "cable_type1": "N/A", "comments": MARK, "ip": "9.114.113.230", "hmc": "hmc01",
    "cec": CEC, "id": "9", "profile": "lpar9", "state": "installed", "osimage": "610sysb",
}


def _block(text: str, address: str) -> list[str]:
    """The lines of one resource block of the text plan, after its `# address` line."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"  # {address} "))
    end = next(i for i in range(start, len(lines)) if lines[i].strip() == "}")
    return [line.strip() for line in lines[start + 2:end]]


def test_a_new_lpar_shows_its_nim_machine_and_partition(nim: Scenario) -> None:
    """Every attribute the define sets and the HMC side the boot uses, in the text plan and in
    the JSON `after`; no management profile under `netboot: hmc`."""
    text = nim.plan().output
    assert _block(text, "lpar.node01") == sorted(f'+ {k} = "{v}"' for k, v in NODE01.items())
    after = next(c["change"]["after"] for c in plan_doc(nim)["resource_changes"]
                 if c["address"] == "lpar.node01")
    assert after == NODE01


def test_a_new_osimage_shows_each_resource_with_location_and_source(nim: Scenario) -> None:
    """The mksysb backed up from node27 into resource_dir, the SPOT made from that mksysb, the
    generated bosinst_data file: where each goes and what it is made from."""
    assert _block(nim.plan().output, "osimage.610sysb") == [
        '+ bosinst_data = "610sysb_bid"',
        '+ bosinst_data_location = "/export/nim/bosinst/610sysb.bosinst"',
        f'+ comments = "{MARK}"',
        '+ mksysb = "610sysb_mksysb"',
        '+ mksysb_location = "/export/nim/mksysb/610sysb_mksysb"',
        '+ mksysb_source = "node27"',
        '+ spot = "610sysb_spot"',
        '+ spot_location = "/export/nim/spot"',
        '+ spot_source = "610sysb_mksysb"',
    ]


def test_a_new_network_shows_its_address_mask_and_route(nim: Scenario) -> None:
    """A spec network NIM has no network for: `nim -o define -t ent` with these attributes."""
    nim.spec_data["networks"]["net2"] = {"net": "10.2.0.0", "mask": "255.255.0.0",
                                         "gateway": "10.2.255.254"}
    nim.write_spec()
    block = _block(nim.plan().output, "network.net2")
    assert {'+ net_addr = "10.2.0.0"', '+ snm = "255.255.0.0"',
            '+ routing1 = "default 10.2.255.254"', f'+ comments = "{MARK}"'} <= set(block)


def test_netboot_nim_shows_the_management_profile(nim: Scenario) -> None:
    """Under `netboot: nim` NIM boots the machine through `mgmt_profile1` (HMC, LPAR id, CEC:
    what mgmt_source + identity become, IBM AIX "Defining NIM clients")."""
    nim.write_spec(netboot="nim")
    assert f'+ mgmt_profile1 = "hmc01 9 {CEC}"' in _block(nim.plan().output, "lpar.node01")


def test_a_changed_mac_shows_old_and_new_if1(nim: Scenario) -> None:
    """After apply, a new `mac:` is one `~ if1` line: the adapter NIM has, then the spec's."""
    apply(nim)
    nim.set_lpar("node02", mac="fe:f9:df:b7:c6:99")
    block = _block(nim.plan().output, "lpar.node02")
    assert block == ['~ if1: "master_net node02 fef9dfb7c602" -> '
                     '"master_net node02 fef9dfb7c699"']
