"""Issue 11 §1 and §6 through the real CLI on a converged seed lab: a bad observation is one clear
error naming probe and host, never a plan that powers off or reinstalls the installed LPARs.

Formats: `lsdef -z` starts with `# <xCAT data object stanza file>` and writes `objtype=` right
under every `name:` header, and a type with no objects prints "Could not find any objects of type
'node'." through MsgUtils "I" on stdout with exit 0 (xCAT 2.9.2_aix_release,
xCAT-server/lib/xcat/plugins/DBobjectdefs.pm, defls; FORMATS §2.1).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.apply.helpers import Scenario
from xclone.sim.faults import Fault

NODE_LISTING = "-t node -z"
DESTRUCTIVE = ("getmacs", "rnetboot", "nimnodeset", "rmdef", "xcat2nim -r", "mkdef")
EMPTY = "Could not find any objects of type 'node'.\n"


@pytest.fixture(scope="module")
def converged(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    seed = Scenario(tmp_path_factory.mktemp("converged"))
    assert seed.converge().exit_code == 0
    assert "No changes" in seed.plan().output
    return seed


@pytest.fixture
def seed(converged: Scenario) -> Scenario:
    converged.lab.clear_faults()
    return converged


def _listing(seed: Scenario) -> str:
    status, out, _ = seed.mn("lsdef -t node -z")
    assert status == 0
    return out


def _answer(seed: Scenario, **fault: object) -> None:
    seed.lab.add_fault(Fault(command="lsdef", args=NODE_LISTING, **fault))  # type: ignore[arg-type]


def _refused(seed: Scenario, *words: str, probe: bool = True) -> str:
    result = seed.plan("--deny", "reinstall")
    assert result.exit_code == 1, result.output
    shown = result.output.partition("\n")[2]  # after the lab's state folder line (stderr)
    assert shown.startswith("Error: xcataixmn: ") or not probe
    assert "Traceback" not in result.output
    assert not any(f"{w} " in result.output for w in DESTRUCTIVE)
    for word in words:
        assert word in result.output
    return result.output


@pytest.mark.parametrize("fault", [
    {"stdout": "", "exit_status": 0},
    {"stdout": EMPTY, "exit_status": 0},
    {"stdout": "", "stderr": EMPTY, "exit_status": 0},
], ids=["empty", "no-objects-answer", "stderr-only-warning"])
def test_an_empty_node_listing_is_refused(seed: Scenario, fault: dict[str, object]) -> None:
    """Before: `getmacs -D` on node01 and `rnetboot 'node[01-02]'`, and --deny let it through."""
    _answer(seed, **fault)
    out = _refused(seed, "`LC_ALL=C lsdef -t node -z` lists 0 node(s)", "no plan was made")
    if fault.get("stderr"):
        assert "on stderr" in out


@pytest.mark.parametrize("stanzas", [1, 2, 3])
def test_a_listing_cut_after_whole_stanzas_is_refused(seed: Scenario, stanzas: int) -> None:
    blocks = _listing(seed).split("\n\n")
    _answer(seed, stdout="\n\n".join(blocks[:stanzas]) + "\n", exit_status=0)
    _refused(seed, "node listing is incomplete")


def test_a_listing_that_ends_on_a_header_is_refused(seed: Scenario) -> None:
    text = _listing(seed)
    cut = text[: text.index("node02:\n") + len("node02:\n")]
    _answer(seed, stdout=cut, exit_status=0)
    _refused(seed, "'node02:'", "stanza has no attributes")


def test_a_listing_cut_inside_a_line_is_refused(seed: Scenario) -> None:
    text = _listing(seed)
    _answer(seed, stdout=text[: text.index("status=booted") + len("status=boo")], exit_status=0)
    _refused(seed, "ends in the middle of a line")


@pytest.mark.parametrize("garble", ["\ufffd", "\x00"], ids=["replacement-char", "nul"])
def test_garbled_output_is_refused(seed: Scenario, garble: str) -> None:
    text = _listing(seed).replace("node02:", f"node{garble}2:")
    _answer(seed, stdout=text, exit_status=0)
    _refused(seed, "garbled")


def test_an_object_listed_twice_is_refused(seed: Scenario) -> None:
    text = _listing(seed)
    block = text[text.index("\nnode01:"): text.index("\nnode02:")]
    _answer(seed, stdout=text + block, exit_status=0)
    _refused(seed, "listed twice")


def test_lost_status_with_nim_installed_is_refused_unless_replaced(seed: Scenario) -> None:
    """xCAT's stanza lost `status=booted` (a cut stanza, a reset table): NIM still shows node02
    installed, so no `nimnodeset`/`rnetboot`; `--replace` is the user asking."""
    text = "".join(line for line in _listing(seed).splitlines(keepends=True)
                   if line != "    status=booted\n")
    _answer(seed, stdout=text, exit_status=0)
    out = _refused(seed, "shows node01 installed", "--replace lpar.node01", probe=False)
    assert "lpar.node02" in out
    replaced = seed.plan("--replace", "lpar.node01", "--replace", "lpar.node02")
    assert replaced.exit_code == 0, replaced.output
    assert "rnetboot 'node[01-02]'" in replaced.output


def test_a_hung_listing_ends_plan_with_the_timeout(seed: Scenario, tmp_path: Path) -> None:
    """§6: observation runs with site.timeouts.command; before, a hung lsdef held plan forever."""
    _answer(seed, hang=5.0)
    seed.spec_data["site"] = {**seed.spec_data["site"], "timeouts": {"command": 1}}
    seed.write_spec()
    try:
        result = seed.plan()
    finally:
        seed.spec_data["site"].pop("timeouts")
        seed.write_spec()
    assert result.exit_code == 1
    assert ("Error: xcataixmn: `LC_ALL=C lsdef -t node -z` did not answer within 1 s "
            "(site.timeouts.command)") in result.output


def test_an_armed_install_nobody_booted_is_shown_and_disarmed(seed: Scenario) -> None:
    """The live case of issue 11: `nimnodeset` armed installed nodes, and the next plan said
    "No changes". Now the plan shows it and resets the NIM machine, touching no LPAR."""
    assert seed.mn("nimnodeset -i 610sysb node01")[0] == 0
    result = seed.plan("--deny", "reinstall", "--deny", "destructive")
    assert result.exit_code == 0, result.output
    assert "BOS install armed on installed node01" in result.output
    assert "nim -F -o reset node01" in result.output
    assert "nim -o deallocate -a subclass=all node01" in result.output
    assert "Plan: 0 to add, 1 to change, 0 to reinstall, 0 to destroy." in result.output
    assert seed.apply().exit_code == 0
    assert "ready for a NIM operation" in seed.mn("lsnim -l node01")[1]
    assert "No changes" in seed.plan().output


def test_a_one_shot_empty_listing_during_apply_runs_nothing(tmp_path: Path) -> None:
    """Before: apply planned from the empty answer and ran `nimnodeset -i 610sysb 'node[01-02]'`
    on both installed nodes, arming a reinstall the next plan hid."""
    seed = Scenario(tmp_path)
    assert seed.converge().exit_code == 0
    seed.lab.add_fault(Fault(command="lsdef", args=NODE_LISTING, times=1, stdout=EMPTY,
                             exit_status=0))
    result = seed.apply()
    assert result.exit_code == 1
    assert "lists 0 node(s)" in result.output and "nimnodeset" not in result.output
    for node in ("node01", "node02"):
        assert "ready for a NIM operation" in seed.mn(f"lsnim -l {node}")[1]
    assert "No changes" in seed.plan().output


def test_a_destroy_cut_between_nim_and_xcat_removal_resumes(tmp_path: Path) -> None:
    """Cleanup removes the NIM machine first (`xcat2nim -r -f`), then the xCAT node: a destroy
    killed in between leaves booted nodes without NIM machines, which is no bad listing."""
    seed = Scenario(tmp_path)
    assert seed.converge().exit_code == 0
    for node in ("node01", "node02"):
        assert seed.mn(f"nim -o remove {node}")[0] == 0
    assert "lists" in seed.plan().output  # a plan that keeps them refuses: NIM lost them
    result = seed.xclone("destroy", str(seed.spec_file), "--lab", str(seed.lab_file),
                         "--auto-approve")
    assert result.exit_code == 0, result.output
    assert seed.mn("lsdef -t node -o node01")[0] == 1
