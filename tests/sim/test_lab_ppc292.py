"""The PPC commands checked against xCAT 2.9.2's source (tag 2.9.2_aix_release):
perl-xCAT/xCAT/PPCdb.pm (HMC credentials), perl-xCAT/xCAT/LparNetbootExp.pm and
PPCboot.pm/PPCmac.pm (what rnetboot and getmacs print when the console cannot be opened)."""

from __future__ import annotations

from pathlib import Path

from tests.sim.conftest import CEC, Run, prepare, runner, seed_data, write_lab
from xclone.sim import Lab

HMC_BARE = "mkdef -t node -o hmc01 groups=hmc,all nodetype=ppc hwtype=hmc mgt=hmc"


def test_rnetboot_and_getmacs_without_a_console(run: Run) -> None:
    """LparNetbootExp.pm lines 2675-2680: rcons ends at once, "Please make sure rcons NODE
    works.\\n" goes out as information (a blank line follows); the node's result carries no
    text. PPCboot.pm do_rnetboot lines 303-347 tries twice, PPCmac.pm getmacs once."""
    prepare(run)
    run("nimnodeset -i 610sysb node01")
    run("rm /etc/conserver.cf")
    boot = run("rnetboot node01")
    assert (boot.stdout, boot.stderr, boot.exit_status) == (
        "Please make sure rcons node01 works.\n\n" * 2 + "node01: \n", "", 1)
    macs = run("getmacs node02 -D")
    assert (macs.stdout, macs.exit_status) == (
        "Please make sure rcons node02 works.\n\nnode02: \n", 1)


def test_hmc_login_falls_back_to_the_factory_default(run: Run) -> None:
    """PPCdb.pm %logon lines 15-22 and credentials lines 843-955: an HMC node without
    username/password is reached as hscroot/abc123 (the seed HMC's own login)."""
    assert run(HMC_BARE).exit_status == 0
    scanned = run("rscan hmc01")
    assert scanned.exit_status == 0, scanned.stdout
    assert CEC in scanned.stdout


def test_hmc_login_from_the_passwd_table_then_the_hmc_group(tmp_path: Path) -> None:
    """PPCdb.pm credentials lines 880-955 with get_usr_passwd 972-1016: the passwd row
    (key=hmc, username=hscroot) replaces the factory password, and a node without ppchcp values
    takes those of the `hmc` group."""
    data = seed_data(clock={"instant": True})
    data["hmcs"]["hmc01"]["password"] = "s3cret"
    lab = Lab.init(write_lab(tmp_path, data), tmp_path / "state")
    run = runner(lab)
    run(HMC_BARE)
    refused = run("rscan hmc01")
    assert (refused.stdout, refused.exit_status) == ("hmc01: Invalid userid/password\n", 1)
    assert run("chtab key=hmc,username=hscroot passwd.password=s3cret").exit_status == 0
    assert run("rscan hmc01").exit_status == 0
    run("chtab -d key=hmc,username=hscroot passwd")
    assert run("rscan hmc01").exit_status == 1
    run("chdef -t group -o hmc password=s3cret")
    assert run("rscan hmc01").exit_status == 0


def test_vpd_is_checked_before_the_hmc_is_reached(run: Run) -> None:
    """xCAT-server/lib/perl/xCAT/PPC.pm: preprocess_nodes (lines 762-975) resolves every node's
    ppc and vpd rows (resolve, 1083-1250: NO_UNDEF for a parent without mtm) before
    process_command (171-) connects, so that error wins over a failing HMC login."""
    prepare(run)
    run(f"chdef {CEC} mtm=")
    run("chdef hmc01 password=wrong")
    stat = run("rpower node01 stat")
    assert stat.stdout == f"node01: 'mtm' not defined in 'vpd' database for '{CEC}'\n"


def test_rscan_xml_follows_format_xml(run: Run) -> None:
    """PPCscan.pm format_xml lines 599-690: one `<Node>` per object, sorted by name, from
    XML::Simple's XMLout (NoAttr, no root element): keys sorted, `node` included, an undefined
    value (mtm/serial of an LPAR, cons of a CEC) an empty element, `side` only for FSP/BPA."""
    run(HMC_BARE)
    xml = run("rscan -x hmc01")
    assert xml.exit_status == 0
    assert xml.stdout.startswith(
        f"<Node>\n  <cons></cons>\n  <groups>cec,all</groups>\n  <hcp>hmc01</hcp>\n"
        f"  <hwtype>cec</hwtype>\n  <id></id>\n  <mgt>hmc</mgt>\n  <mtm>9117-MMA</mtm>\n"
        f"  <node>{CEC}</node>\n  <nodetype>ppc</nodetype>\n  <parent></parent>\n"
        f"  <pprofile></pprofile>\n  <serial>10F6F3D</serial>\n</Node>\n<Node>\n"
        f"  <cons>hmc</cons>\n")
    assert xml.stdout.count("<Node>") == 4 and "<side>" not in xml.stdout
