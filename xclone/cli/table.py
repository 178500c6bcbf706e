"""The subcommand table: each name maps to the module that defines it and its one-line help.

A command's module is imported only when that command runs (click's lazy group pattern), so
`xclone --version` or `xclone plan` does not pay for the simulator, SSH or apply machinery. The
top-level `--help` lists every command from this table without importing any of them;
tests/cli/test_startup.py checks that each line here is the command's own short help.
"""

from __future__ import annotations

import gc
import importlib

import click

# name -> ("module:attribute", short help as the command's docstring gives it)
LAZY: dict[str, tuple[str, str]] = {
    "validate": ("xclone.cli.validate:validate",
                 "Check SPEC files or directories offline; exit 1 listing every error."),
    "observe": ("xclone.cli.observe:observe_command",
                "Run the read-only probes the SPEC needs and print what they found."),
    "plan": ("xclone.cli.plan:plan_command",
             "Observe the cluster and show what apply would do to reach SPEC."),
    "show": ("xclone.cli.plan:show_command", "Render a plan saved with `xclone plan -o FILE`."),
    "graph": ("xclone.cli.plan:graph_command",
              "Draw the plan's action graph (Graphviz dot or Mermaid)."),
    "apply": ("xclone.cli.apply:apply_command",
              "Plan SPEC, confirm, and run it until the cluster matches; or run a saved PLANFILE."),
    "destroy": ("xclone.cli.apply:destroy_command",
                "Remove everything SPEC manages from xCAT and NIM (never protected LPARs)."),
    "drift": ("xclone.cli.drift:drift_command",
              "Report how the objects xclone manages differ from SPEC; exit 2 on surprising "
              "drift."),
    "state": ("xclone.cli.state:state_command",
              "List the objects xclone manages (`state list SPEC`), or show one (`state show`)."),
    "force-unlock": ("xclone.cli.runs:force_unlock_command",
                     "Remove the apply lock LOCK_ID left by an apply that is gone."),
    "runs": ("xclone.cli.runs:runs_command",
             "List recent runs from the journal, or show one (`runs show ID`)."),
    "import": ("xclone.cli.importing:import_command",
               "Write a spec from a stanza file or a NIM master, or adopt existing objects "
               "into SPEC."),
    "lab": ("xclone.cli.lab:lab", "The lab: a simulated xCAT management node, NIM master and "
            "HMCs seeded from a lab file."),
    "diff": ("xclone.cli.diff:diff_command",
             "Show what changes between two spec revisions, by resource, contacting nothing."),
    "completion": ("xclone.cli.completion:completion_command",
                   "Print the completion script for SHELL (bash, zsh or fish)."),
}


WHOLE = 1000  # the short-help length limit: the first sentence of a docstring, never cut


def load(name: str) -> click.Command:
    """Import the module behind `name` and return its command. The cyclic collector is off
    meanwhile: importing a command's modules makes classes and functions that live as long as
    the process and almost no garbage, so its passes over them (a few percent of a seed
    plan's CPU) would free nothing."""
    module, attribute = LAZY[name][0].split(":")
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        command = getattr(importlib.import_module(module), attribute)
    finally:
        if was_enabled:
            gc.enable()
    assert isinstance(command, click.Command), f"{module}:{attribute} is not a click command"
    return command


class WholeSummaries(click.Group):
    """A group whose command list shows each summary whole: click cuts it at the terminal's
    width with `...`, mid-sentence; here the lines wrap instead."""

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(WHOLE)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use; commands added with `add_command`
    (tests register them eagerly) take precedence over the table."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *LAZY})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in LAZY:
            self.add_command(load(cmd_name))
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list from the table, each summary whole (click would cut it at the
        terminal's width with `...`, mid-sentence); the lines wrap instead."""
        names = self.list_commands(ctx)
        if not names:
            return
        limit = WHOLE
        rows = []
        for name in names:
            loaded = self.commands.get(name)
            if loaded is not None and loaded.hidden:
                continue
            text = (loaded.get_short_help_str(limit) if loaded is not None
                    else click.Command(name, help=LAZY[name][1]).get_short_help_str(limit))
            rows.append((name, text))
        with formatter.section("Commands"):
            formatter.write_dl(rows)
