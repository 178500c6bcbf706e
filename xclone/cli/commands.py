"""Every subcommand, imported at once: for tests and the docs generator, which walk them all.

The CLI itself loads one command at a time through `xclone.cli.table`.
"""

from __future__ import annotations

import click

from xclone.cli.apply import apply_command, destroy_command
from xclone.cli.completion import completion_command
from xclone.cli.diff import diff_command
from xclone.cli.drift import drift_command
from xclone.cli.importing import import_command
from xclone.cli.lab import lab
from xclone.cli.observe import observe_command
from xclone.cli.plan import graph_command, plan_command, show_command
from xclone.cli.runs import force_unlock_command, runs_command
from xclone.cli.state import state_command
from xclone.cli.validate import validate

ALL: list[click.Command] = []
ALL.append(validate)
ALL.append(observe_command)
ALL.extend([plan_command, show_command, graph_command])
ALL.extend([apply_command, destroy_command, force_unlock_command, runs_command])
ALL.append(import_command)
ALL.append(lab)
ALL.append(diff_command)
ALL.extend([drift_command, state_command])
ALL.append(completion_command)
