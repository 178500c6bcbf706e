"""Mistakes a new user makes on the README's first commands: each is one located `Error:` (or
`FILE:LINE:COL:` diagnostic plus one summary line), exit 1, no traceback, nothing repeated."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from tests.apply.helpers import EXAMPLES, Scenario
from xclone.apply import lock as locks
from xclone.transport.sim import SimTransport


def _lines(output: str) -> list[str]:
    """The lines a user reads, but the lab's state folder line (tests/cli/test_lab_state_line.py
    checks that one)."""
    return [line for line in output.splitlines()
            if line.strip() and not line.startswith("Lab state: ")]


def test_an_unset_hmc_password_variable_names_the_login_it_was_for(seed: Scenario) -> None:
    """Forgetting `export HMC01_PASSWORD=...` (README "Plan and apply") used to print only
    `secret env:HMC01_PASSWORD: ...`, naming neither the HMC nor that a login needed it."""
    seed.env.pop("HMC01_PASSWORD")
    result = seed.plan()
    assert result.exit_code == 1
    assert _lines(result.output) == [
        "Error: hmc01.cluster.com: cannot log in as hscroot: secret env:HMC01_PASSWORD: "
        "environment variable is not set"]
    seed.env["HMC01_PASSWORD"] = "abc123"
    assert seed.plan().exit_code == 0


@pytest.mark.parametrize(("content", "message"), [
    (b"", "empty spec: expected a mapping with version, cluster, hmcs, lpars, ..."),
    (b"- node01\n", "a spec must be a mapping of sections (version, cluster, hmcs, lpars, ...)"),
    (b"version: 1\x00", "binary file, not a YAML spec"),
])
def test_a_file_that_is_no_spec_is_said_once_with_its_place(seed: Scenario, content: bytes,
                                                            message: str) -> None:
    """`plan` and `apply` of such a file printed the problem twice, the second time without its
    file and line and without the summary `validate` prints."""
    spec = seed.dir / "mine.yaml"
    spec.write_bytes(content)
    for command in ("plan", "apply"):
        result = seed.xclone(command, str(spec), "--lab", str(seed.lab_file))
        assert result.exit_code == 1
        assert _lines(result.output) == [f"{spec}:1:1: {message}", f"{spec}: 1 error"]
        assert "Traceback" not in result.output


def test_a_garbled_plan_file_is_not_mistaken_for_two_errors(seed: Scenario) -> None:
    planfile: Path = seed.dir / "seed.plan"
    planfile.write_text("garbage\n", encoding="utf-8")
    result = seed.xclone("apply", str(planfile))
    assert result.exit_code == 1
    assert len(_lines(result.output)) == 2, result.output


def test_a_misspelt_host_is_told_the_names_the_lab_answers_to(seed: Scenario) -> None:
    """`management_node.host: xcataixm` against the seed lab: the error lists the lab's hosts,
    so the typo shows beside the name it should have been."""
    seed.write_spec(management_node={"host": "xcataixm", "user": "root"})
    result = seed.plan()
    assert result.exit_code == 1
    assert _lines(result.output) == [
        "Error: xcataixm: no such host in the lab (it has: hmc01, hmc01.cluster.com, "
        "xcataixmn, xcataixmn.cluster.com)"]


def test_an_xcat_spec_against_a_nim_master_without_xcat_points_at_the_driver(
        tmp_path: Path) -> None:
    """The seed spec (driver xcat) pointed at the NIM lab's master, which has no xCAT: the shell
    answers `lsdef: not found` (exit 127), and the error says to check the host and `driver:`."""
    nim = Scenario(tmp_path, lab_name="nim-lab.yaml", spec_name="nim-cluster.yaml")
    spec = tmp_path / "xcat-on-nim.yaml"
    text = (EXAMPLES / "seed-cluster.yaml").read_text(encoding="utf-8")
    spec.write_text(text.replace("host: xcataixmn", "host: nimmaster"), encoding="utf-8")
    result = nim.xclone("plan", str(spec), "--lab", str(nim.lab_file))
    assert result.exit_code == 1
    (line,) = _lines(result.output)
    assert line.startswith("Error: nimmaster: `LC_ALL=C lsdef -t node -z` failed: exit status 127")
    assert line.endswith("(the command is not installed on nimmaster: check the spec's host "
                         "and its `driver:`)")


@pytest.mark.parametrize("words", [("init",), ("reset",), ("show",),
                                   ("run", "--host", "xcataixmn", "--", "lsdef")])
def test_a_spec_given_to_a_lab_command_says_how_to_make_its_lab(seed: Scenario,
                                                                words: tuple[str, ...]) -> None:
    """`xclone lab init cluster.yaml` listed the lab keys the spec lacks ('ip' is required,
    unknown key 'host', ...); it now says the file is a spec and names `--from-spec`."""
    spec = str(seed.spec_file)
    result = seed.xclone("lab", words[0], spec, *words[1:])
    assert result.exit_code == 1
    assert _lines(result.output) == [
        f"Error: {spec} is a spec, not a lab file (it has `cluster`): "
        f"`xclone lab init --from-spec {spec}` writes a lab file for it"]


@pytest.mark.parametrize(("words", "message"), [
    (("destroy", "--auto-approve"), "Error: destroy cannot run from a snapshot: it must reach "
                                    "the cluster"),
    (("force-unlock", "abc123"), "Error: force-unlock cannot run from a snapshot: the lock is on "
                                 "the cluster"),
])
def test_commands_that_change_the_cluster_refuse_a_snapshot_by_their_name(
        seed: Scenario, words: tuple[str, ...], message: str) -> None:
    """destroy said `apply cannot run ...`; force-unlock looked for its lock in the recording
    (`snapshot has no output for: ... ls /var/lib/xclone/locks/...`)."""
    saved = seed.xclone("observe", str(seed.spec_file), "--lab", str(seed.lab_file),
                        "--save", "snap")
    assert saved.exit_code == 0, saved.output
    command, *rest = words
    result = seed.xclone(command, str(seed.spec_file), *rest, "--snapshot", "snap")
    assert result.exit_code == 1
    assert _lines(result.output) == [message]


def test_a_lab_file_without_the_masters_ip_says_so_once(seed: Scenario) -> None:
    """A lab file whose management_node lost its `ip:` was reported twice at one place
    ("'ip' is required" and "'ip' is not an IPv4 address: ''")."""
    text = seed.lab_file.read_text(encoding="utf-8")
    assert "  ip: 9.114.113.225\n" in text
    seed.lab_file.write_text(text.replace("  ip: 9.114.113.225\n", "", 1), encoding="utf-8")
    result = seed.xclone("validate", str(seed.lab_file))
    assert result.exit_code == 1
    (line,) = [ln for ln in _lines(result.output) if "'ip'" in ln]
    assert line.startswith(f"{seed.lab_file}:") and line.endswith(": 'ip' is required")


def test_adopting_a_cluster_that_has_nothing_yet_does_not_say_everything_is_marked(
        seed: Scenario) -> None:
    """`import SPEC --all` on a fresh cluster said "every existing object already carries the
    mark" under a list of objects that do not exist: it now says neither kind is left."""
    result = seed.xclone("import", str(seed.spec_file), "--all", "--lab", str(seed.lab_file),
                         "--auto-approve")
    assert result.exit_code == 0, result.output
    assert "  lpar.node01: does not exist yet" in result.output.splitlines()
    assert _lines(result.output)[-1] == (
        "Nothing to adopt: no object of the spec exists without xclone:clustersite (each one "
        "above is marked already or does not exist yet).")


def test_a_bare_name_given_as_an_address_is_offered_its_address(seed: Scenario) -> None:
    """`--target node01` (Terraform users write addresses, xCAT users write node names): the
    error names the spec's address that carries that name."""
    result = seed.plan("--target", "node01")
    assert result.exit_code == 1
    assert _lines(result.output) == [
        "Error: --target node01: address 'node01' is not of the form TYPE.NAME (e.g. "
        "lpar.node01): did you mean lpar.node01?"]


def test_the_lock_refusals_force_unlock_hint_runs_as_printed(seed: Scenario) -> None:
    """Refused by a held lock, `apply seed.plan` told to run `xclone force-unlock seed.plan ID`
    (force-unlock takes a spec) and `apply SPEC --lab LAB` left out `--lab` (force-unlock would
    then try SSH): the hint names the spec and the connection, and works when run."""
    saved = seed.plan("-o", "seed.plan")
    assert saved.exit_code == 0, saved.output
    held = locks.acquire(SimTransport(seed.lab), "xcataixmn", "clustersite")
    hints = []
    for refused in (seed.xclone("apply", "seed.plan"), seed.apply()):
        assert refused.exit_code == 1
        hints += re.findall(r"`(xclone force-unlock [^`]+)`", refused.output)
    assert hints == [  # a saved plan's paths are relative to where it was made: here
        f"xclone force-unlock seed-cluster.yaml --lab seed-lab.yaml {held.id}",
        f"xclone force-unlock {seed.spec_file} --lab {seed.lab_file} {held.id}"]
    unlocked = seed.xclone(*shlex.split(hints[0])[1:])
    assert unlocked.exit_code == 0, unlocked.output
    assert seed.apply().exit_code == 0
