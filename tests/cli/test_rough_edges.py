"""Issue 18's rough edges a new user meets before anything runs, through the real CLI: a bad
choice says what was given, swapped files are named as such, global options work after the
subcommand, and the help of `plan` and `apply` carries examples."""

from __future__ import annotations

import pytest

from tests.apply.helpers import Scenario
from xclone.cli.main import hoist_global_options


def test_a_value_outside_its_choices_says_what_was_given(seed: Scenario) -> None:
    seed.set_lpar("node01", state="running")
    seed.write_spec(version=2)
    result = seed.xclone("validate", str(seed.spec_file))
    assert result.exit_code == 1
    assert ("state: input should be 'installed', 'defined' or 'absent' (got 'running')"
            in result.output)
    assert "(got 2)" in result.output


def test_swapped_spec_and_lab_files_are_named_as_such(seed: Scenario) -> None:
    swapped = seed.xclone("plan", str(seed.lab_file), "--lab", str(seed.spec_file))
    assert swapped.exit_code == 1
    assert f"Error: {seed.lab_file} is a lab file, not a spec" in swapped.output
    assert swapped.output.count("\n") == 1 and "unknown key" not in swapped.output
    lab_is_spec = seed.xclone("plan", str(seed.spec_file), "--lab", str(seed.spec_file))
    assert lab_is_spec.exit_code == 1
    assert f"Error: {seed.spec_file} is a spec, not a lab file" in lab_is_spec.output
    assert "unknown key" not in lab_is_spec.output


@pytest.mark.parametrize("after", [("-vv", "--log-format", "json"), ("-v", "-v",
                                                                      "--log-format=json")])
def test_log_options_work_after_the_subcommand(seed: Scenario, after: tuple[str, ...]) -> None:
    result = seed.plan(*after)
    assert result.exit_code == 0, result.output
    assert '"event": "observe.start"' in result.stderr and '"level": "debug"' in result.stderr
    applied = seed.apply("--log-format", "json")
    assert applied.exit_code == 0, applied.output
    assert '"event": ' in applied.stderr


def test_only_global_options_move_and_nothing_after_double_dash() -> None:
    assert hoist_global_options(["plan", "s.yaml", "-vv", "--log-format", "json", "-o", "p"]) \
        == ["-vv", "--log-format", "json", "plan", "s.yaml", "-o", "p"]
    assert hoist_global_options(["lab", "exec", "--", "ls", "-v"]) == \
        ["lab", "exec", "--", "ls", "-v"]
    assert hoist_global_options(["-v", "lab", "run", "L", "--host", "h", "lsnim", "-v"]) == \
        ["-v", "lab", "run", "L", "--host", "h", "lsnim", "-v"]
    assert hoist_global_options(["--version"]) == ["--version"]


@pytest.mark.parametrize("command", ["plan", "apply"])
def test_plan_and_apply_help_have_examples(seed: Scenario, command: str) -> None:
    result = seed.xclone(command, "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.output
    assert f"xclone {command} " in result.output.split("Examples:")[1]


def test_import_placeholders_are_reported_as_placeholders(seed: Scenario) -> None:
    stanza = seed.dir / "rscan.stanza"
    stanza.write_text("node01:\n\tobjtype=node\n\tid=9\n", encoding="utf-8")
    written = seed.xclone("import", "--stanza", str(stanza), "-o", str(seed.dir / "new.yaml"))
    assert written.exit_code == 0, written.output
    result = seed.xclone("validate", str(seed.dir / "new.yaml"))
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if "new.yaml:" in line
              and "invalid" not in line]
    assert errors and all("still the placeholder <TODO>" in line for line in errors), errors
    assert "management_node.host: still the placeholder" in result.output
    assert "metacharacters" not in result.output and "IPv4" not in result.output


def test_a_range_past_its_network_is_one_error(seed: Scenario) -> None:
    seed.write_spec(lpar_ranges=[{"names": "node[03-40]", "first_id": 11,
                                  "first_ip": "9.114.113.250", "profile": "compute"}])
    result = seed.xclone("validate", str(seed.spec_file))
    assert result.exit_code == 1
    assert ("lpar_ranges[0]: first_ip 9.114.113.250 + 38 names runs past network net1 "
            "(9.114.113.224/27): the last LPAR would get 9.114.114.31; 5 fit, up to "
            "9.114.113.254") in result.output
    assert "invalid: 1 error" in result.output


def test_errors_at_one_place_list_ips_in_numeric_order(seed: Scenario) -> None:
    """Twelve IPs from 10.0.0.95 to .106, each taken twice: .95 ... .99 come before .100."""
    seed.write_spec(networks={**seed.spec_data["networks"],
                              "net2": {"net": "10.0.0.0", "mask": "255.255.255.0"}},
                    lpar_ranges=[{"names": f"{p}[1-12]", "first_id": first, "first_ip":
                                  "10.0.0.95", "profile": "compute"}
                                 for p, first in (("a", 11), ("b", 31))])
    result = seed.xclone("validate", str(seed.spec_file))
    assert result.exit_code == 1
    ips = [line.split("ip ")[1].split()[0] for line in result.output.splitlines()
           if "is also used by" in line]
    assert ips[:6] == ["10.0.0.95", "10.0.0.96", "10.0.0.97", "10.0.0.98", "10.0.0.99",
                       "10.0.0.100"], result.output


def test_markdown_and_graphs_name_what_mkdef_z_defines(seed: Scenario) -> None:
    markdown = seed.plan("--format", "markdown")
    assert markdown.exit_code == 0, markdown.output
    assert "mkdef -z  (defines hmc.hmc01)" in markdown.output
    assert "mkdef -z  (defines lpar.node01, lpar.node02)" in markdown.output
    lab = ("--lab", str(seed.lab_file))
    mermaid = seed.xclone("graph", str(seed.spec_file), *lab, "--format", "mermaid")
    assert "mkdef -z<br/>defines lpar.node01, lpar.node02" in mermaid.output
    dot = seed.xclone("graph", str(seed.spec_file), *lab)
    assert "mkdef -z\\ndefines hmc.hmc01" in dot.output


def test_graph_with_no_changes_says_so(seed: Scenario) -> None:
    assert seed.converge().exit_code == 0
    graph = seed.xclone("graph", str(seed.spec_file), "--lab", str(seed.lab_file))
    assert graph.exit_code == 0
    assert "No changes: the cluster matches the spec" in graph.stderr
    assert graph.stdout.startswith("digraph xclone {")


def test_the_command_list_shows_whole_summaries(seed: Scenario) -> None:
    result = seed.xclone("--help")
    commands = result.output.split("Commands:")[1]
    assert result.exit_code == 0 and "..." not in commands
    text = " ".join(result.output.split())
    assert "Plan SPEC, confirm, and run it until the cluster matches; or run a saved PLANFILE." \
        in text
    lab = seed.xclone("lab", "--help")
    assert "spec SPEC)." in lab.output and "first..." not in lab.output


@pytest.mark.parametrize("command", ["init", "reset"])
def test_lab_init_and_reset_each_say_how_they_differ(seed: Scenario, command: str) -> None:
    """Issue 18: `lab init` and `lab reset` say how they differ, each in its own help."""
    result = seed.xclone("lab", command, "--help")
    text = " ".join(result.output.split())
    assert result.exit_code == 0
    assert "`init` and `reset` both" in text if command == "init" else \
        "The same as `lab init LAB` for a world seeded before" in text
    assert "--from-spec" in text
