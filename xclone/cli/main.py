"""The `xclone` entry point: the command group, and the one place errors get their exit status.

CONTRACT §9: 0 success, 1 any error, 2 only "changes present" under `--detailed-exitcode`, 130
interrupted. click gives usage errors status 2, which a CI job would read as "changes", so they
become 1 here, with click's message and usage hint kept.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from xclone import __version__
from xclone.base.errors import XcloneError
from xclone.base.redact import redact
from xclone.cli.table import LazyGroup

USAGE_EXIT = 2
INTERRUPTED = 130


@contextmanager
def _usage_errors_exit_one() -> Iterator[None]:
    """A click usage error (bad option, missing file, unknown command) keeps its message but
    exits 1, as Terraform does: 2 is reserved for `--detailed-exitcode`."""
    try:
        yield
    except click.ClickException as exc:
        if exc.exit_code == USAGE_EXIT:
            # click types exit_code as a class variable but reads it from the instance
            exc.exit_code = 1  # type: ignore[misc]
        raise


_FLAGS = ("-v", "--verbose")
_VALUED = ("--log-format",)


def hoist_global_options(args: list[str]) -> list[str]:
    """Move `-v`/`-vv`/`--verbose` and `--log-format X` found after the subcommand to the front,
    so `xclone plan SPEC -v` means what `xclone -v plan SPEC` means. Nothing after `--` moves,
    nor anything after `lab run` (the words of a command for the lab's shell)."""
    front: list[str] = []
    rest: list[str] = []
    words = iter(args)
    for word in words:
        if word == "--" or (word == "run" and rest[-1:] == ["lab"]):
            rest.extend([word, *words])
            break
        if word in _FLAGS or (word.startswith("-v") and set(word[1:]) == {"v"}):
            front.append(word)
        elif word in _VALUED:
            front.extend([word, next(words, "")])
        elif word.startswith(tuple(f"{name}=" for name in _VALUED)):
            front.append(word)
        else:
            rest.append(word)
    return front + rest


class XcloneGroup(LazyGroup):
    """Turns every XcloneError into one clear message on stderr and exit status 1, usage errors
    into exit 1 and an interrupt into exit 130.

    The group's own options are parsed in `make_context`; a subcommand's options, and the
    subcommand name itself, are parsed inside `invoke`: both are covered."""

    def make_context(self, info_name: str | None, args: list[str],
                     parent: click.Context | None = None, **extra: Any) -> click.Context:
        with _usage_errors_exit_one():
            return super().make_context(info_name, hoist_global_options(args), parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with _usage_errors_exit_one():
                return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("\nInterrupted.", err=True)
            sys.exit(INTERRUPTED)
        except XcloneError as exc:
            # A message may quote a command's output (an HMC stanza, a secret echoed back).
            for diag in exc.diagnostics:
                click.echo(redact(diag.format()), err=True)
            if exc.message and not exc.diagnostics:
                click.echo(redact(f"Error: {exc.message}"), err=True)
            elif exc.message:
                click.echo(redact(exc.message), err=True)
            sys.exit(1)


@click.group(cls=XcloneGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="xclone")
@click.option("--log-format", type=click.Choice(("text", "json")), default="text",
              show_default=True, help="Log events on stderr as text or as JSON lines.")
@click.option("-v", "--verbose", count=True, help="More log events (-v info, -vv debug).")
def cli(log_format: str, verbose: int) -> None:
    """Plan and apply AIX LPAR clones from mksysb images with xCAT and NIM.

    `-v` and `--log-format` may also follow the subcommand (`xclone plan SPEC -v`).
    """
    from xclone.cli.logs import configure

    configure(log_format, verbose)


def _register() -> None:
    """Load every subcommand now (tests and the docs generator walk them all)."""
    from xclone.cli import commands

    for command in commands.ALL:
        cli.add_command(command)


def main() -> None:
    cli(prog_name="xclone")
